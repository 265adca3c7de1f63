import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { activityCopyLines, COPY_ACTIVITY, CREATE_ACTIVITY, ENRICH_FROM_ACTIVITY, INDEX_ACTIVITY } from './formats/bpi2014.activity';
import { deferIndexes, LOCK_OUT_BULK_LOAD_SQL, rebuildDeferredIndexes } from './import.bulk';
import { copyText } from './import.copy';
import { expectedIds, SeenIds } from './import.seen';
import { Encoding, ENCODINGS, isGzip, openCsv, openInput, ReadError } from './import.input';
import { Detected } from './import.detect';
import { withTightHeap } from './import.memory';
import { canReadInWorker, readInWorker, Reading } from './import.parallel';
import { PreparedItem, prepared } from './import.prepared';
import { detectFile, ImportRequestError, readItems, refuseWideText, withCutHint, withSpreadHint } from './import.read';
import { FileRejection, RejectionLog } from './import.rejections';
import {
  BATCH_SETTINGS,
  CLEAR_STAGE,
  COPY_DIRECT,
  COPY_DIRECT_EVENTS,
  COPY_SEEN_LOG,
  COPY_STAGE,
  COPY_STAGE_EVENTS,
  COUNT_CHANGED,
  CREATE_STAGING,
  DELETE_CHANGED_EVENTS,
  DELETE_EVENTS_OF_UPDATED,
  DROP_REPEATS,
  FIND_FIRST_LINES,
  FIRST_LINES,
  INSERT_CHANGED_EVENTS,
  INSERT_NEW,
  KEEP_BATCH_REPEATS,
  KEEP_REPEATS,
  RELEASE_STAGING,
  REPEATS_AFTER,
  SET_TEMP_BUFFERS,
  UPSERT,
  UPSERT_COUNTED,
} from './import.sql';
import { TimeReader } from './import.time';
import { canonicalZone, isKnownZone, ZONE_EXPECTED, zoneRefusal } from '../common/zones';
import { FORMAT_NAMES, FormatName } from './import.types';
import { LOCK_OUT_REFRESH_SQL } from '../refresh/refresh.service';

/** Rows per staging flush: large enough for COPY to pay off, small enough to keep memory flat. */
export const DEFAULT_BATCH_SIZE = 10_000;

export { ImportRequestError };

export interface ImportRequest {
  /** Path of the file to read. */
  file: string;
  /** Name to record and report (an upload's original name); default the file's base name. */
  fileName?: string;
  /** servicenow | bpi2014 | generic; detected from the header when absent. */
  format?: string;
  /** Source name; default the format's name. */
  source?: string;
  /** Zone for times written without one; default UTC. */
  timezone?: string;
  /** BPI 2014's activity log, which adds events and acknowledged_at to the incident file. */
  eventsFile?: string;
  eventsFileName?: string;
  /** utf8 (default) or latin1: how the file's bytes are read as text. */
  encoding?: string;
  /** Called now and then with the bytes read of the main file and its size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  batchSize?: number;
}

export interface ImportResult {
  id: number;
  source: string;
  format: FormatName;
  timezone: string;
  file: string;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first rejections; all of them are in import_rejection and the report. */
  rejections: FileRejection[];
  reportPath: string | null;
  durationMs: number;
  /** Set when the file could not be read to its end: the rows before the cut are written, the run is 'failed'. */
  error: string | null;
}

/** One import run as GET /api/imports lists it. */
export interface ImportRunView {
  id: number;
  source: string | null;
  file: string;
  eventsFile: string | null;
  format: string;
  timezone: string;
  status: string;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** A run's counts as of its committed batches, which each batch's transaction records in import_run. */
interface Counts {
  runId: number;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Why the file could not be read to its end, or null. */
  cut: ReadError | null;
}

/**
 * COPY text gathered as UTF-8 bytes in one buffer that grows by doubling: a batch holds no string
 * per row, so its rows do not outlive the young generation and memory stays flat.
 */
class CopyText {
  private buffer = Buffer.allocUnsafe(0);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  append(text: string): void {
    const most = text.length * 3; // UTF-8 bytes of a UTF-16 code unit, at most
    if (this.length + most > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + most, 64 * 1024));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /** The text in pieces of about `size` bytes, each ending at a line's end. */
  *pieces(size: number): Generator<Buffer> {
    let from = 0;
    while (from < this.length) {
      let to = Math.min(from + size, this.length);
      if (to < this.length) to = this.buffer.indexOf(0x0a, to - 1) + 1 || this.length;
      yield this.buffer.subarray(from, to);
      from = to;
    }
  }
}

/** A batch of rows read, as COPY text for the staging tables (and a bulk load's straight copy). */
class Batch {
  /** The line of each id in the batch: a repeat within the batch is refused as it comes. */
  readonly lines = new Map<string, number>();
  /** Rows whose id came earlier in the batch, rejected when the batch is written. */
  readonly repeats: { externalId: string; line: number }[] = [];
  /**
   * The batch's rejected rows, logged when it is written: each batch's rejections then come
   * together, before its repeats, whatever the timing of the reading and the writing.
   */
  readonly rejections: FileRejection[] = [];
  /** Items read into the batch: rows, repeats, rejections (and a cut). */
  read = 0;
  readonly incidents = new CopyText();
  readonly events = new CopyText();
  /** A bulk load's rows of ids not seen before, for the incident table itself, and their events. */
  readonly direct = new CopyText();
  readonly directEvents = new CopyText();
  directRows = 0;
  /** A bulk load's ids with their lines, for import_seen_log. */
  readonly seen = new CopyText();

  get size(): number {
    return this.lines.size;
  }

  clear(): void {
    this.lines.clear();
    this.repeats.length = 0;
    this.rejections.length = 0;
    this.read = 0;
    this.incidents.clear();
    this.events.clear();
    this.direct.clear();
    this.directEvents.clear();
    this.directRows = 0;
    this.seen.clear();
  }
}

/**
 * How a bulk load routes rows: those of ids it has certainly not seen go straight into the
 * incident table; the others through the staging table. `prefix` is the source id and a tab.
 */
interface DirectRoute {
  seen: SeenIds;
  prefix: string;
}

/**
 * The import pipeline: stream a file, map each row with its format, stage batches through COPY
 * and write each with one set-based upsert, reporting every rejected row without stopping.
 */
@Injectable()
export class ImportService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ImportService.name);
  /**
   * A file of at least this many bytes imported into an empty incident table is a bulk load: the
   * table's secondary indexes are dropped for it and built again at its end (import.bulk.ts).
   */
  bulkLoadBytes = 64 * 1024 * 1024;
  /**
   * A file of at least this many bytes is read, parsed and mapped on a worker thread while this
   * one writes (import.parallel.ts); a smaller one is not worth the thread's start. A test sets 0.
   */
  workerThreadBytes = 4 * 1024 * 1024;
  /** The bulk load's filter of ids seen, for a file of `bytes` (a test swaps it). */
  seenIds = (bytes: number, gzip: boolean): SeenIds => new SeenIds(expectedIds(bytes, gzip));

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Builds the indexes a bulk load cut off before its end left dropped. */
  async onApplicationBootstrap(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      await this.rebuildIndexes(client, false);
    } finally {
      await runner.release();
    }
  }

  private async rebuildIndexes(client: PoolClient, holdsLock: boolean): Promise<void> {
    const started = Date.now();
    const built = await rebuildDeferredIndexes(client, holdsLock);
    if (built > 0) this.logger.log({ event: 'incident indexes rebuilt', built, durationMs: Date.now() - started });
  }

  async run(request: ImportRequest): Promise<ImportResult> {
    return withTightHeap(() => this.runImport(request));
  }

  /**
   * Checks a request with the database's zones loaded (checkImportRequest): a refusal, such as
   * a zone the database reads as another (IST), is recorded as a failed run, as an empty file's
   * is, and thrown. It once was thrown alone, so the list of runs never showed it. The command
   * calls it before it says in which zone it reads the file.
   */
  async checkRequest(request: ImportRequest): Promise<TimeReader> {
    const timezone = canonicalZone(request.timezone || 'UTC');
    try {
      return checkImportRequest(request, timezone);
    } catch (error) {
      await this.recordRefused(request, fileNameOf(request), timezone, eventsFileNameOf(request), error);
      throw error;
    }
  }

  private async runImport(request: ImportRequest): Promise<ImportResult> {
    const started = Date.now();
    const time = await this.checkRequest(request);
    const timezone = time.zone;
    const encoding = (request.encoding ?? 'utf8') as Encoding;
    const fileName = fileNameOf(request);
    const eventsFileName = eventsFileNameOf(request);
    let detected: Detected;
    try {
      detected = await ofPart('file', () => detectFile(request.file, request.format, { fileName, encoding }));
      if (request.eventsFile) await ofPart('events', () => refuseWideText(request.eventsFile!, eventsFileName!, encoding));
      // checkImportRequest refuses an events file with another format named; here, detected.
      if (request.eventsFile && (request.format ?? detected.format) !== 'bpi2014') {
        const other = request.format ?? detected.format;
        throw new ImportRequestError(
          `${fileName} is ${other}; an events file goes with the bpi2014 format (the activity log of Detail_Incident.csv)`,
          'events',
        );
      }
    } catch (error) {
      await this.recordRefused(request, fileName, timezone, eventsFileName, error);
      throw error;
    }
    const format = (request.format as FormatName | undefined) ?? detected.format;
    const source = (request.source ?? '').trim() || format;

    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    let runId: number | null = null;
    let reading: Reading | null = null;
    try {
      const sourceId = await upsertSource(client, source, format);
      runId = await startRun(client, sourceId, fileName, format, timezone, eventsFileName);
      const reportName = `import-${runId}-${fileName.replace(/[^\w.-]+/g, '_')}.rejections.csv`;
      const rejections = new RejectionLog(runId, path.join(this.config.dataDir, 'import-rejections'), reportName);
      // Counts of committed batches (and rows read): a run that fails part way records them too.
      const counts: Counts = { runId, rowsRead: 0, inserted: 0, updated: 0, unchanged: 0, cut: null };
      try {
        await client.query(SET_TEMP_BUFFERS).catch(() => undefined); // refused once the session used temp tables
        await client.query(CREATE_STAGING);
        let enrich: string | null = null;
        if (request.eventsFile) {
          await this.loadActivity(client, request.eventsFile, eventsFileName!, time, rejections, encoding);
          enrich = ENRICH_FROM_ACTIVITY;
        }
        const fileBytes = fs.statSync(request.file).size;
        reading = await naming(fileName, 'file', () => this.openReading(request, fileBytes, format, detected, time, encoding));
        const items = reading.items;
        const bulk = fileBytes >= this.bulkLoadBytes && (await deferIndexes(client));
        try {
          // A bulk load copies rows straight into the incident table, except for the activity
          // log's enrichment, which works on the staging table.
          const route: DirectRoute | null =
            bulk && enrich === null
              ? { seen: this.seenIds(fileBytes, isGzip(request.file)), prefix: `${sourceId}\t` }
              : null;
          await naming(fileName, 'file', () =>
            this.write(client, sourceId, items, fileName, rejections, enrich, route, counts, request.batchSize),
          );
        } catch (error) {
          if (bulk) {
            // After a failed batch the session may still be inside its transaction. A rebuild that
            // fails too leaves the definitions for the next start; the import's error is the news.
            await client.query('rollback').catch(() => undefined);
            await this.rebuildIndexes(client, true).catch((rebuild: unknown) =>
              this.logger.error({ event: 'incident index rebuild failed', error: rebuild }),
            );
          }
          throw error;
        }
        // A bulk load killed while this import waited for it left its indexes dropped.
        await this.rebuildIndexes(client, bulk);
        const { cut, runId: _run, ...written } = counts;
        await rejections.close();

        const result: ImportResult = {
          id: runId,
          source,
          format,
          timezone,
          file: fileName,
          ...written,
          rejected: rejections.total,
          rejections: rejections.first,
          reportPath: rejections.reportPath,
          durationMs: Date.now() - started,
          error: cut === null ? null : `${fileName}: ${cut.message}`,
        };
        await finishRun(client, result);
        const { rejections: _list, reportPath: _report, timezone: _zone, id, file, ...logged } = result;
        // A cut is the user's file, not a fault of ours: the run records it and the caller shows it.
        this.logger.log({ event: cut === null ? 'import finished' : 'import cut short', importRunId: id, ...logged, file });
        return result;
      } catch (error) {
        await rejections.close().catch(() => undefined);
        await client.query('rollback').catch(() => undefined);
        await client
          .query(
            `update import_run set status = 'failed', error = $2, finished_at = now(),
                    rows_read = $3, inserted = $4, updated = $5, unchanged = $6
              where id = $1`,
            [runId, (error as Error).message, counts.rowsRead, counts.inserted, counts.updated, counts.unchanged],
          )
          .catch(() => undefined);
        if (error instanceof ImportRequestError) {
          // The caller shows the message; a stack trace would only bury it.
          this.logger.log({ event: 'import refused', importRunId: runId, source, format, file: fileName, reason: error.message });
        } else {
          this.logger.error({ event: 'import failed', importRunId: runId, source, format, file: fileName, error });
        }
        throw error;
      }
    } finally {
      await reading?.close();
      await client.query(RELEASE_STAGING).catch(() => undefined);
      // The session goes back to the pool: the run's lock may not stay with it.
      if (runId !== null) await client.query(`select pg_advisory_unlock(${RUN_LOCK}, ${runKey('$1::bigint')})`, [runId]).catch(() => undefined);
      await runner.release();
    }
  }

  /** The file's items: read on a worker thread when it is large enough, else on this one. */
  private async openReading(
    request: ImportRequest,
    fileBytes: number,
    format: FormatName,
    detected: Detected,
    time: TimeReader,
    encoding: Encoding,
  ): Promise<Reading> {
    if (fileBytes >= this.workerThreadBytes && canReadInWorker()) {
      return readInWorker({ file: request.file, format, detected, zone: time.zone, encoding }, request.onProgress);
    }
    const items = await readItems(request.file, format, detected, time, request.onProgress, encoding);
    return { items: prepared(items), close: async () => undefined };
  }

  /** Records a run refused before it started (an empty file, a format that cannot be told), so the list shows it. */
  private async recordRefused(
    request: ImportRequest,
    fileName: string,
    timezone: string,
    eventsFileName: string | null,
    error: unknown,
  ): Promise<void> {
    if (!(error instanceof ImportRequestError)) return;
    const rows = await this.dataSource.query(
      `insert into import_run (file_name, format, timezone, events_file_name, status, error, finished_at)
       values ($1, $2, $3, $4, 'failed', $5, now()) returning id`,
      [fileName, request.format ?? 'unknown', timezone, eventsFileName, error.message],
    );
    this.logger.log({ event: 'import refused', importRunId: Number(rows[0].id), file: fileName, reason: error.message });
  }

  /** The most recent import runs (at most `limit`), newest first. */
  async recentRuns(limit = 50): Promise<ImportRunView[]> {
    await this.dataSource.query(MARK_LOST_RUNS);
    const rows = await this.dataSource.query(
      `select r.id::int as id, s.name as source, r.file_name as file, r.events_file_name as "eventsFile", r.format,
              r.timezone, r.status, r.rows_read as "rowsRead", r.inserted, r.updated, r.unchanged, r.rejected, r.error,
              r.started_at as "startedAt", r.finished_at as "finishedAt"
         from import_run r left join source s on s.id = r.source_id
        order by r.started_at desc, r.id desc
        limit $1`,
      [limit],
    );
    return rows.map((row: ImportRunView & { startedAt: Date; finishedAt: Date | null }) => ({
      ...row,
      startedAt: new Date(row.startedAt).toISOString(),
      finishedAt: row.finishedAt ? new Date(row.finishedAt).toISOString() : null,
    }));
  }

  /** A run's rejections in file and line order, every one or the first `limit`; null when there is no such run. */
  async rejections(runId: number, limit?: number): Promise<FileRejection[] | null> {
    const found = await this.dataSource.query('select 1 from import_run where id = $1', [runId]);
    if (found.length === 0) return null;
    return this.dataSource.query(
      `select coalesce(file, '') as file, line, field, reason, external_id as "externalId"
         from import_rejection where import_run_id = $1
        order by file, line
        limit $2`,
      [runId, limit ?? null],
    );
  }

  /** Streams the activity log into a session table; it is joined to each batch of incidents. */
  private async loadActivity(
    client: PoolClient,
    file: string,
    fileName: string,
    time: TimeReader,
    rejections: RejectionLog,
    encoding: Encoding,
  ): Promise<void> {
    await client.query(CREATE_ACTIVITY);
    const { header, rows, unterminatedLine, spreadOf } = await naming(fileName, 'events', () => openCsv(openInput(file, encoding), ','));
    const lines = activityCopyLines(rows, header, time, (r) =>
      rejections.add(withCutHint(withSpreadHint({ ...r, file: fileName }, spreadOf), unterminatedLine())),
    );
    try {
      await naming(fileName, 'events', () => pipeline(Readable.from(lines), client.query(copyFrom(COPY_ACTIVITY))));
    } catch (error) {
      // Half an activity log would give half-known histories, and nothing is written yet: refused.
      if (error instanceof ReadError) throw new ImportRequestError(`${fileName}: ${error.message}`, 'events');
      throw error;
    }
    await client.query(INDEX_ACTIVITY);
    await rejections.flush(client);
  }

  private async write(
    client: PoolClient,
    sourceId: number,
    items: AsyncIterable<PreparedItem>,
    fileName: string,
    rejections: RejectionLog,
    enrich: string | null,
    route: DirectRoute | null,
    counts: Counts,
    batchSize = DEFAULT_BATCH_SIZE,
  ): Promise<void> {
    // While PostgreSQL writes one batch, the next one is read and mapped.
    let writing: Promise<void> = Promise.resolve();
    let failure: unknown = null;
    const writeBatch = async (full: Batch) => {
      await writing;
      if (failure !== null) throw failure;
      const flushing = route
        ? this.flushDirect(client, sourceId, full, rejections, counts)
        : this.flush(client, sourceId, full, fileName, rejections, enrich, counts);
      writing = flushing.catch((error: unknown) => {
        failure = error;
      });
    };

    try {
      await this.readBatches(items, counts, fileName, batchSize, route, writeBatch);
    } catch (error) {
      // The client must not go back to the pool while a batch is still being written on it.
      await writing;
      throw error;
    }
    await writing;
    if (failure !== null) throw failure;
    if (route) await reportRepeats(client, fileName, rejections);
  }

  private async readBatches(
    items: AsyncIterable<PreparedItem>,
    counts: Counts,
    fileName: string,
    batchSize: number,
    route: DirectRoute | null,
    writeBatch: (batch: Batch) => Promise<void>,
  ): Promise<void> {
    // Two batches take turns: one is filled while the other is written. writeBatch returns once
    // the write before it has finished, so the batch it leaves can be filled again.
    const batches = [new Batch(), new Batch()];
    let batch = batches[0];
    try {
      for await (const item of items) {
        batch.read++;
        if (item.kind === 'rejection') batch.rejections.push({ ...item.rejection, file: fileName });
        else if (batch.lines.has(item.externalId)) {
          // The first row wins, so a re-import of the same file finds every kept row unchanged.
          // The line it repeats is told when the batch is written: the batch's first row of the
          // id may itself repeat an earlier batch's.
          batch.repeats.push({ externalId: item.externalId, line: item.line });
        } else add(batch, item, route);
        // Repeats and rejections count too: a file of one id over and over, or of bad rows only,
        // must not gather them all in memory before its first write.
        if (batch.size + batch.repeats.length + batch.rejections.length >= batchSize) {
          await writeBatch(batch);
          batch = batch === batches[0] ? batches[1] : batches[0];
          batch.clear();
        }
      }
    } catch (error) {
      if (!(error instanceof ReadError)) throw error;
      // Every row before the cut is good and is written; the cut itself is reported as a rejection.
      batch.read++;
      counts.cut = error;
      batch.rejections.push({ file: fileName, line: error.at, field: null, reason: error.message, externalId: null });
    }
    await writeBatch(batch);
  }

  /**
   * A bulk load's batch in one transaction: the rows of unseen ids copied straight into the
   * incident table, the others staged and inserted unless an earlier row of the file had their id
   * (kept for the report at the end), and every id logged with its line.
   */
  private async flushDirect(
    client: PoolClient,
    sourceId: number,
    batch: Batch,
    rejections: RejectionLog,
    counts: Counts,
  ): Promise<void> {
    await client.query('begin');
    await client.query(BATCH_SETTINGS);
    await client.query(LOCK_OUT_REFRESH_SQL);
    for (const rejection of batch.rejections) rejections.add(rejection);
    let inserted = batch.directRows;
    if (batch.directRows > 0) {
      await copyIn(client, COPY_DIRECT, batch.direct);
      if (batch.directEvents.length > 0) await copyIn(client, COPY_DIRECT_EVENTS, batch.directEvents);
    }
    if (batch.seen.length > 0) await copyIn(client, COPY_SEEN_LOG, batch.seen);
    // Repeats within the batch, like those of earlier batches, get their first line at the end.
    if (batch.repeats.length > 0) {
      await client.query(KEEP_BATCH_REPEATS, [batch.repeats.map((r) => r.line), batch.repeats.map((r) => r.externalId)]);
    }
    if (batch.incidents.length > 0) {
      await client.query(CLEAR_STAGE);
      await copyIn(client, COPY_STAGE, batch.incidents);
      if (batch.events.length > 0) await copyIn(client, COPY_STAGE_EVENTS, batch.events);
      const { rowCount } = await client.query(INSERT_NEW, [sourceId]);
      inserted += rowCount ?? 0;
      await client.query(KEEP_REPEATS);
      if (batch.events.length > 0) await client.query(INSERT_CHANGED_EVENTS, [sourceId]);
    }
    await rejections.flush(client);
    await commitBatch(client, counts, { read: batch.read, inserted, updated: 0, unchanged: 0 }, rejections.total);
  }

  /** One batch in one transaction: stage through COPY, drop the ids an earlier batch had, upsert, replace changed events, rejections. */
  private async flush(
    client: PoolClient,
    sourceId: number,
    batch: Batch,
    fileName: string,
    rejections: RejectionLog,
    enrich: string | null,
    counts: Counts,
  ): Promise<void> {
    await client.query('begin');
    await client.query(BATCH_SETTINGS);
    // Waits while a bulk load runs (it writes without checking for other writers), then keeps the
    // refresh out; in this order, so that no batch waits for the bulk load holding the refresh off.
    await client.query(LOCK_OUT_BULK_LOAD_SQL);
    await client.query(LOCK_OUT_REFRESH_SQL);
    for (const rejection of batch.rejections) rejections.add(rejection);
    let written = { inserted: 0, updated: 0, unchanged: 0 };
    if (batch.size > 0) {
      await client.query(CLEAR_STAGE);
      await copyIn(client, COPY_STAGE, batch.incidents);
      if (batch.events.length > 0) await copyIn(client, COPY_STAGE_EVENTS, batch.events);
      const repeats = await client.query<{ external_id: string; line: number }>(DROP_REPEATS);
      const firstLine = new Map<string, number>();
      if (repeats.rows.length > 0) {
        const first = await client.query<{ external_id: string; line: number }>(FIRST_LINES, [
          repeats.rows.map((r) => r.external_id),
        ]);
        for (const r of first.rows) firstLine.set(r.external_id, r.line);
      }
      // Repeats of an earlier batch, and repeats within this one (of its first row of the id, or
      // of the earlier batch's row that one repeats), in line order.
      const all = [
        ...repeats.rows.map((r) => ({ externalId: r.external_id, line: r.line })),
        ...batch.repeats,
      ].sort((a, b) => a.line - b.line);
      for (const r of all) {
        const first = firstLine.get(r.externalId) ?? batch.lines.get(r.externalId)!;
        rejections.add(repeated(fileName, r.externalId, r.line, first));
      }
      if (enrich) await client.query(enrich);

      let inserted: number;
      let updated: number;
      if (batch.events.length > 0 || enrich !== null) {
        await client.query(UPSERT, [sourceId]);
        ({ inserted, updated } = (await client.query(COUNT_CHANGED)).rows[0]);
        // A changed incident may have had events before, even if it has none now.
        if (updated > 0) await client.query(DELETE_CHANGED_EVENTS, [sourceId]);
        await client.query(INSERT_CHANGED_EVENTS, [sourceId]);
      } else {
        ({ inserted, updated } = (await client.query(UPSERT_COUNTED, [sourceId])).rows[0]);
        if (updated > 0) await client.query(DELETE_EVENTS_OF_UPDATED, [sourceId]);
      }
      written = { inserted, updated, unchanged: batch.size - repeats.rows.length - inserted - updated };
    }
    await rejections.flush(client);
    await commitBatch(client, counts, { read: batch.read, ...written }, rejections.total);
  }
}

/** Adds a record to the batch: to the staging text, or for a bulk load's unseen id to the straight copy. */
function add(batch: Batch, item: PreparedItem & { kind: 'row' }, route: DirectRoute | null): void {
  const { externalId, line, row, events } = item;
  batch.lines.set(externalId, line);
  if (route !== null) batch.seen.append(copyText(externalId) + '\t' + line + '\n');
  if (route === null || route.seen.testAndAdd(externalId)) {
    batch.incidents.append(row + '\t' + line + '\n');
    if (events !== '') batch.events.append(events);
  } else {
    batch.directRows++;
    batch.direct.append(route.prefix + row + '\n');
    // Each event line starts with the source id too.
    if (events !== '') batch.directEvents.append(route.prefix + events.slice(0, -1).replaceAll('\n', '\n' + route.prefix) + '\n');
  }
}

/**
 * Reports a bulk load's repeats, a page at a time in line order, with the line each id first came
 * on: one pass over the ids it kept.
 */
async function reportRepeats(client: PoolClient, fileName: string, rejections: RejectionLog): Promise<void> {
  const [{ any }] = (await client.query('select exists (select from import_repeat) as any')).rows;
  if (!any) return;
  await client.query(FIND_FIRST_LINES);
  const page = 5_000;
  for (let after = 0; ; ) {
    const { rows } = await client.query<{ line: number; external_id: string; first_line: number }>(REPEATS_AFTER, [after, page]);
    for (const r of rows) rejections.add(repeated(fileName, r.external_id, r.line, r.first_line));
    await rejections.flush(client);
    if (rows.length < page) return;
    after = rows[rows.length - 1].line;
  }
}

/**
 * Runs `work` on the content of one part of the request, the file or its events file: a request
 * error it throws of no parameter (an empty file, a header without the format's columns) is made
 * one of that part, so that the upload's 400 names it under `parameters`, as it names a field.
 */
async function ofPart<T>(part: 'file' | 'events', work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ImportRequestError && error.parameter === undefined) throw new ImportRequestError(error.message, part);
    throw error;
  }
}

/**
 * ofPart, putting the file's name before the message of a request error `work` throws, when it
 * does not start with it (a header without the format's columns).
 */
async function naming<T>(fileName: string, part: 'file' | 'events', work: () => Promise<T>): Promise<T> {
  return ofPart(part, async () => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ImportRequestError && !error.message.startsWith(fileName)) {
        throw new ImportRequestError(`${fileName}: ${error.message}`, error.parameter);
      }
      throw error;
    }
  });
}

/** The rejection of a row whose external id came earlier in the file. */
function repeated(file: string, externalId: string, line: number, firstLine: number): FileRejection {
  return {
    file,
    line,
    field: 'external_id',
    reason: `"${externalId}" repeats line ${firstLine}; the first row is kept`,
    externalId,
  };
}

/** The name of the file imported, as its sender knows it. */
const fileNameOf = (request: ImportRequest): string => request.fileName ?? path.basename(request.file);

/** The name of its events file, as its sender knows it, or null without one. */
const eventsFileNameOf = (request: ImportRequest): string | null =>
  request.eventsFile ? (request.eventsFileName ?? path.basename(request.eventsFile)) : null;

/** Checks what can be checked before the database is touched; throws ImportRequestError. */
export function checkImportRequest(request: ImportRequest, timezone = request.timezone || 'UTC'): TimeReader {
  for (const [option, file] of [
    ['file', request.file],
    ['--events', request.eventsFile],
  ] as const) {
    if (file === undefined) continue;
    if (!fs.existsSync(file)) throw new ImportRequestError(`${option === 'file' ? 'file' : '--events file'} not found: ${file}`);
    if (!fs.statSync(file).isFile()) throw new ImportRequestError(`not a file: ${file}`);
  }
  if (request.format !== undefined && !FORMAT_NAMES.includes(request.format as FormatName)) {
    throw new ImportRequestError(`unknown format "${request.format}"; expected ${FORMAT_NAMES.join(', ')}`, 'format');
  }
  if (!isKnownZone(timezone)) {
    // CET or IST is known, but to the database as another zone than to the import's reader.
    throw new ImportRequestError(`timezone: ${zoneRefusal(timezone)}; expected ${ZONE_EXPECTED}`, 'timezone');
  }
  if (request.eventsFile && request.format !== undefined && request.format !== 'bpi2014') {
    throw new ImportRequestError('an events file goes with the bpi2014 format (the activity log of Detail_Incident.csv)', 'events');
  }
  if (request.encoding !== undefined && !ENCODINGS.includes(request.encoding as Encoding)) {
    throw new ImportRequestError(`unknown encoding "${request.encoding}"; expected ${ENCODINGS.join(' or ')}`, 'encoding');
  }
  if (request.source !== undefined && request.source.trim().length > 200) {
    throw new ImportRequestError('source: at most 200 characters', 'source');
  }
  // A tab, a line break or a bell in the name the incidents are filed under would show in every
  // list and filter of the dashboard, and the name is typed again to filter by it.
  const control = request.source === undefined ? null : /\p{Cc}/u.exec(request.source);
  if (control !== null) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new ImportRequestError(
      `source: holds a control character (U+${code}); a source name is text without tabs, line breaks or other control characters`,
      'source',
    );
  }
  return new TimeReader(timezone);
}

/** Sends COPY text about 1 MiB a write, waiting whenever the connection is behind. */
async function copyIn(client: PoolClient, sql: string, text: CopyText): Promise<void> {
  await pipeline(Readable.from(text.pieces(1 << 20)), client.query(copyFrom(sql)));
}

async function upsertSource(client: PoolClient, name: string, format: FormatName): Promise<number> {
  const { rows } = await client.query(
    `insert into source (name, format) values ($1, $2)
     on conflict (name) do update set format = excluded.format returning id`,
    [name, format],
  );
  return rows[0].id;
}

async function startRun(
  client: PoolClient,
  sourceId: number,
  fileName: string,
  format: FormatName,
  timezone: string,
  eventsFileName: string | null,
): Promise<number> {
  // The run's lock is taken in the statement that makes the row visible: no one sees it unlocked.
  const { rows } = await client.query(
    `with run as (
       insert into import_run (source_id, file_name, format, timezone, events_file_name)
       values ($1, $2, $3, $4, $5) returning id
     )
     select id, pg_advisory_lock(${RUN_LOCK}, ${runKey('id')}) from run`,
    [sourceId, fileName, format, timezone, eventsFileName],
  );
  return Number(rows[0].id);
}

/**
 * Held by an import's session for as long as its run is 'running' (two-key advisory lock: this
 * class and the run's id). A run still 'running' whose lock is free lost its process.
 */
const RUN_LOCK = 7_301_004;
const runKey = (id: string) => `(${id} % 2147483647)::int`;

/** Runs whose process ended (killed, crashed) before they did: failed, with the reason. */
const MARK_LOST_RUNS = `
  update import_run set status = 'failed', finished_at = now(),
         error = 'stopped before its end: the importing process ended (killed or crashed)'
   where status = 'running'
     and case when status = 'running' then pg_try_advisory_xact_lock(${RUN_LOCK}, ${runKey('id')}) else false end`;

/**
 * Records in import_run what the run has written with this batch, and commits the batch: a run
 * that fails or is killed later shows the counts of the batches it committed.
 */
async function commitBatch(
  client: PoolClient,
  counts: Counts,
  batch: { read: number; inserted: number; updated: number; unchanged: number },
  rejected: number,
): Promise<void> {
  const after = {
    rowsRead: counts.rowsRead + batch.read,
    inserted: counts.inserted + batch.inserted,
    updated: counts.updated + batch.updated,
    unchanged: counts.unchanged + batch.unchanged,
  };
  await client.query(
    'update import_run set rows_read = $2, inserted = $3, updated = $4, unchanged = $5, rejected = $6 where id = $1',
    [counts.runId, after.rowsRead, after.inserted, after.updated, after.unchanged, rejected],
  );
  await client.query('commit');
  Object.assign(counts, after);
}

async function finishRun(client: PoolClient, result: ImportResult): Promise<void> {
  await client.query(
    `update import_run set status = $8, rows_read = $2, inserted = $3, updated = $4, unchanged = $5,
            rejected = $6, report_path = $7, error = $9, finished_at = now()
      where id = $1`,
    [
      result.id,
      result.rowsRead,
      result.inserted,
      result.updated,
      result.unchanged,
      result.rejected,
      result.reportPath,
      result.error === null ? 'finished' : 'failed',
      result.error,
    ],
  );
}
