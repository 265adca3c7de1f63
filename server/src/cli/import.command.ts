import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SingleBar } from 'cli-progress';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app.config';
import { openDatabase } from '../database/database';
import { checkImportRequest, ImportRequestError, ImportResult, ImportService } from '../imports/import.service';
import { withTightHeap } from '../imports/import.memory';
import { FORMAT_NAMES } from '../imports/import.types';
import { RefreshService } from '../refresh/refresh.service';
import { userPath } from './cli.paths';

const USAGE = `usage: npm run import -- FILE [--format ${FORMAT_NAMES.join('|')}] [--source NAME] [--timezone TZ] [--events FILE] [--encoding utf8|latin1] [--no-refresh]`;

/** The summary line the import ends with. */
export function summaryLine(result: ImportResult): string {
  const counts = `read ${result.rowsRead}, inserted ${result.inserted}, updated ${result.updated}, unchanged ${result.unchanged}, rejected ${result.rejected}`;
  return result.reportPath ? `${counts} (rejections: ${result.reportPath})` : counts;
}

/** How many rejected rows the command shows; the report lists them all. */
const REJECTIONS_SHOWN = 5;

/**
 * The first rejected rows, one line each (line, field, reason; a row of another file than the one
 * imported, BPI 2014's activity log, is named with its file), then how many more the report
 * holds. Control characters a file's values bring into a reason are shown escaped, never sent to
 * the terminal as they are.
 */
export function rejectionLines(result: ImportResult): string[] {
  const shown = result.rejections
    .slice(0, REJECTIONS_SHOWN)
    .map((r) => `  ${r.file === result.file ? '' : `${r.file} `}line ${r.line}${r.field === null ? '' : `, ${r.field}`}: ${r.reason}`);
  const more = result.rejected - shown.length;
  if (more > 0) shown.push(`  and ${more} more in the report`);
  return shown.map(printable);
}

/** Text for a terminal: control characters written as \uXXXX. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `npm run import -- FILE ...`: exit 0 when the import ran, 1 when it failed, 2 on bad usage. */
export async function runImport(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        source: { type: 'string' },
        timezone: { type: 'string' },
        events: { type: 'string' },
        encoding: { type: 'string' },
        'no-refresh': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    process.stderr.write(`${parsed.positionals.length === 0 ? 'no file given' : 'one file at a time'}\n${USAGE}\n`);
    return 2;
  }

  const { format, source, timezone, encoding } = parsed.values;
  // From where the user typed the command, not the package root npm runs it in.
  const file = userPath(parsed.positionals[0]);
  const events = parsed.values.events === undefined ? undefined : userPath(parsed.values.events);
  try {
    // The zone is checked once connected, with the database's zones (IST is one to luxon and
    // another to PostgreSQL), and a zone refused is recorded as a failed run, as an upload's is.
    checkImportRequest({ file, format, source, eventsFile: events, encoding });
  } catch (error) {
    if (!(error instanceof ImportRequestError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }

  // The terminal gets the human lines below; Nest's own log lines only for warnings and errors.
  Logger.overrideLogger(['error', 'warn']);
  const config = loadConfig();
  const handle = await openDatabase(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, handle, { schedule: false }), {
    logger: ['error', 'warn'],
  });
  const bar = process.stderr.isTTY
    ? new SingleBar({ stream: process.stderr, format: 'importing [{bar}] {percentage}% | {value}/{total} bytes', hideCursor: true })
    : null;
  const request = { file, format, source, timezone, eventsFile: events, encoding };
  try {
    // Before the zone is named: "times without a zone are read in IST" was printed, then IST refused.
    const { zone } = await app.get(ImportService).checkRequest(request);
    process.stderr.write(`importing ${file}${events ? ` with ${events}` : ''}; times without a zone are read in ${zone}\n`);
    // Which database: a server started with another DATA_DIR or DATABASE_URL reads another one.
    process.stderr.write(`into ${describeDatabase(config.databaseUrl, handle.url, config.dataDir)}\n`);
    let started = false;
    const result = await app.get(ImportService).run({
      ...request,
      onProgress: (read, total) => {
        if (!bar) return;
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(read);
      },
    });
    bar?.stop();
    process.stderr.write(`source "${result.source}", format ${result.format}, time zone ${result.timezone}, import run ${result.id}\n`);
    if (parsed.values['no-refresh']) {
      // The summary counts the new rows at once (the rollups are corrected at query time); SLA
      // evaluations and the rollups catch up at the server's next refresh, or at its start.
      process.stderr.write("SLA evaluations and rollups are left to the server's next refresh\n");
    } else {
      process.stderr.write('bringing SLA evaluations and rollups up to date...\n');
      // The refresh's pages of incidents die young like the import's rows: the same tight heap
      // keeps the whole command's peak RSS at ~180 MB instead of ~300 MB at 1 M incidents.
      await withTightHeap(() => app.get(RefreshService).refreshAll('import'));
    }
    // The rows before a cut are written, but the file was not read to its end: say so, then the counts.
    if (result.error !== null) process.stderr.write(`${result.error}\n`);
    const rejected = rejectionLines(result);
    if (rejected.length > 0) process.stderr.write(`rejected rows:\n${rejected.join('\n')}\n`);
    process.stdout.write(`${summaryLine(result)}\n`);
    return result.error === null ? 0 : 1;
  } catch (error) {
    bar?.stop();
    if (error instanceof ImportRequestError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    new Logger('Import').error({ event: 'import failed', error });
    process.stderr.write(`import failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await app.close();
    await handle.release();
  }
}

/** The database an import goes to, for the terminal: never its password. */
export function describeDatabase(databaseUrl: string | undefined, url: string, dataDir: string): string {
  const target = new URL(url);
  const where = `${target.hostname}:${target.port || '5432'}${target.pathname}`;
  return databaseUrl === undefined ? `the embedded PostgreSQL of ${dataDir} (${where})` : `PostgreSQL at ${where} (DATABASE_URL)`;
}
