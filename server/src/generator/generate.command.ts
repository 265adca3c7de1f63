import * as fs from 'node:fs';
import { once } from 'node:events';
import { userPath } from '../cli/cli.paths';
import { IncidentGenerator } from './incident.generator';
import { csvHeader, csvLine, jsonIncident } from './generator.writer';

export interface GenerateOptions {
  incidents: number;
  seed: number;
  out: string | null;
  format: 'csv' | 'json';
  start: Date;
  months: number;
}

const USAGE =
  'usage: npm run generate -- --incidents N [--seed S] [--out FILE] [--format csv|json] [--start 2025-01-01] [--months 12]\n';

/** Reads the command line; throws with a message naming the bad option. */
export function parseGenerateArgs(args: string[]): GenerateOptions {
  const options: GenerateOptions = {
    incidents: 0,
    seed: 1,
    out: null,
    format: 'csv',
    start: new Date('2025-01-01T00:00:00Z'),
    months: 12,
  };
  for (let i = 0; i < args.length; i++) {
    const name = args[i];
    const value = args[i + 1];
    if (value === undefined) throw new Error(`${name} needs a value`);
    i++;
    switch (name) {
      case '--incidents':
        options.incidents = positiveInt(name, value);
        break;
      case '--seed':
        options.seed = positiveInt(name, value);
        break;
      case '--out':
        options.out = value;
        break;
      case '--format':
        if (value !== 'csv' && value !== 'json') throw new Error('--format must be csv or json');
        options.format = value;
        break;
      case '--start':
        if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
          throw new Error('--start must be a date YYYY-MM-DD');
        }
        options.start = new Date(`${value}T00:00:00Z`);
        break;
      case '--months':
        options.months = positiveInt(name, value);
        break;
      default:
        throw new Error(`unknown option ${name}`);
    }
  }
  if (options.incidents === 0) throw new Error('--incidents is required');
  return options;
}

function positiveInt(name: string, value: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

/**
 * Writes generated incidents to a stream in chunks, waiting for the stream to drain so that
 * memory stays flat whatever the count. Calls `progress` every 1 % or so.
 */
export async function writeIncidents(
  options: GenerateOptions,
  stream: NodeJS.WritableStream,
  progress: (done: number) => void = () => undefined,
): Promise<void> {
  const generator = new IncidentGenerator({ ...options, events: options.format === 'json' });
  const json = options.format === 'json';
  const step = Math.max(1, Math.floor(options.incidents / 100));
  let chunk = json ? '[\n' : csvHeader();
  let done = 0;
  for (const record of generator.incidents()) {
    chunk += json ? `${done > 0 ? ',\n' : ''}${jsonIncident(record)}` : csvLine(record);
    done += 1;
    if (chunk.length > 1 << 16) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
    if (done % step === 0) progress(done);
  }
  chunk += json ? '\n]\n' : '';
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** `npm run generate -- --incidents N ...`: writes a generic-format file (or stdout). */
export async function runGenerate(args: string[]): Promise<number> {
  let options: GenerateOptions;
  try {
    options = parseGenerateArgs(args);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }

  const started = Date.now();
  // From where the user typed the command, not the package root npm runs it in.
  const out = options.out ? userPath(options.out) : null;
  const stream = out !== null ? fs.createWriteStream(out) : process.stdout;
  const tty = process.stderr.isTTY;
  const progress = (done: number) => {
    const line = `generated ${done}/${options.incidents} (${Math.round((100 * done) / options.incidents)}%)`;
    if (tty) process.stderr.write(`\r${line}`);
    else if (done % Math.max(1, Math.floor(options.incidents / 10)) < Math.max(1, Math.floor(options.incidents / 100))) {
      process.stderr.write(`${line}\n`);
    }
  };
  await writeIncidents(options, stream, progress);
  if (out !== null) {
    (stream as fs.WriteStream).end();
    await once(stream, 'finish');
  }
  if (tty) process.stderr.write('\n');
  process.stderr.write(
    `${JSON.stringify({ event: 'generated', incidents: options.incidents, seed: options.seed, format: options.format, out: out ?? 'stdout', durationMs: Date.now() - started })}\n`,
  );
  return 0;
}
