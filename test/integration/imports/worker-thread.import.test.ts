import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportRequest, ImportResult } from '../../../server/src/imports/import.service';
import { FIXTURES } from '../../unit/imports/fixtures';
import { DATASETS, useImportHarness } from './import-context';

/**
 * A large file is read, parsed and mapped on a worker thread (import.parallel.ts). Whatever a file
 * holds, the outcome must be the one of reading it on the importing thread, which the other
 * import tests check by hand: the same counts, rejections (file, line, field, reason), error,
 * stored rows (their content hashes cover every field and event) and events. Each file is imported
 * both ways under two sources of its own and the two compared.
 */
describe('reading on a worker thread', () => {
  const h = useImportHarness();

  type Outcome = { result: Omit<ImportResult, 'id' | 'source' | 'durationMs' | 'reportPath'> | null; error: string | null };

  async function importWith(workerThreadBytes: number, source: string, request: ImportRequest): Promise<Outcome> {
    h.imports.workerThreadBytes = workerThreadBytes;
    try {
      const { id: _id, source: _source, durationMs: _ms, reportPath: _report, ...result } = await h.imports.run({ ...request, source });
      return { result, error: null };
    } catch (error) {
      return { result: null, error: (error as Error).message };
    } finally {
      h.imports.workerThreadBytes = 4 * 1024 * 1024;
    }
  }

  async function stored(source: string) {
    const incidents = await h.sql(
      `select i.external_id, i.content_hash from incident i join source s on s.id = i.source_id
        where s.name = $1 order by i.external_id`,
      [source],
    );
    const events = await h.sql(
      `select e.external_id, e.seq, e.at, e.kind, e.from_value, e.to_value from incident_event e
         join source s on s.id = e.source_id where s.name = $1 order by e.external_id, e.seq`,
      [source],
    );
    const rejections = await h.sql(
      `select j.file, j.line, j.field, j.reason, j.external_id from import_rejection j
         join import_run r on r.id = j.import_run_id join source s on s.id = r.source_id
        where s.name = $1 order by j.file, j.line, j.field`,
      [source],
    );
    return { incidents, events, rejections };
  }

  /** Imports `request` on this thread and on a worker; returns the worker's outcome after comparing. */
  async function bothWays(name: string, request: ImportRequest): Promise<Outcome> {
    const here = await importWith(Number.POSITIVE_INFINITY, `here-${name}`, request);
    const worker = await importWith(0, `worker-${name}`, request);
    expect(worker, name).toEqual(here);
    expect(await stored(`worker-${name}`), name).toEqual(await stored(`here-${name}`));
    return worker;
  }

  it('gives the outcome of the importing thread for every fixture, bad ones included', async () => {
    const files = fs.readdirSync(FIXTURES).sort();
    for (const file of files) await bothWays(file, { file: path.join(FIXTURES, file) });
    await bothWays('latin1.csv as latin1', { file: path.join(FIXTURES, 'latin1.csv'), encoding: 'latin1' });
    await bothWays('latin1.json as latin1', { file: path.join(FIXTURES, 'latin1.json'), encoding: 'latin1' });
    await bothWays('bpi2014 with events', {
      file: path.join(FIXTURES, 'bpi2014-detail.csv'),
      eventsFile: path.join(FIXTURES, 'bpi2014-activity-cut.csv.gz'),
    });
    await bothWays('generic.csv in Berlin', { file: path.join(FIXTURES, 'generic.csv'), timezone: 'Europe/Berlin', batchSize: 2 });
  });

  it('gives the same outcome for a real export of 141 712 events, and a file cut mid-row', async () => {
    const servicenow = path.join(DATASETS, 'servicenow-uci-incident-event-log', 'incident_event_log.csv.gz');
    const outcome = await bothWays('servicenow', { file: servicenow, batchSize: 3_000 });
    // An event log's items are its incidents; the export's SOURCE.md: 24 918 incidents.
    expect(outcome.result?.rowsRead).toBe(24_918);

    // A generic file cut in its last row, and the same rows with a row the worker must reject.
    const rows = ['external_id,opened_at,priority', 'C-1,2025-01-01T00:00:00Z,2', 'C-2,2025-01-02T00:00:00Z,9', 'C-3,2025-01-03T0'];
    const cut = path.join(h.dataDir, 'cut.csv');
    fs.writeFileSync(cut, rows.join('\n'));
    const cutOutcome = await bothWays('cut', { file: cut, format: 'generic' });
    // 3 rows read: C-1 written; C-2 rejected (priority 9 is not 1..5); C-3 rejected, its time cut.
    expect(cutOutcome.result).toMatchObject({ rowsRead: 3, inserted: 1, rejected: 2 });
  });

  it('reports progress from the worker up to the whole file', async () => {
    const file = path.join(FIXTURES, 'generic.csv');
    const seen: [number, number][] = [];
    h.imports.workerThreadBytes = 0;
    try {
      await h.imports.run({ file, source: 'progress', onProgress: (read, total) => seen.push([read, total]) });
    } finally {
      h.imports.workerThreadBytes = 4 * 1024 * 1024;
    }
    const size = fs.statSync(file).size;
    expect(seen.at(-1)).toEqual([size, size]);
  });

  it('ends the worker when writing fails part way', async () => {
    const file = path.join(h.dataDir, 'many.csv');
    const lines = ['external_id,opened_at,priority'];
    for (let i = 1; i <= 5_000; i++) lines.push(`W-${i},2025-01-01T00:00:00Z,3`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    // The third batch of 1 000 rows holds W-2500; the trigger fails its insert.
    await h.sql(`create function fail_w2500() returns trigger language plpgsql as $$
      begin if new.external_id = 'W-2500' then raise exception 'refused W-2500'; end if; return new; end $$`);
    await h.sql('create trigger fail_w2500 before insert on incident for each row execute function fail_w2500()');
    // A worker is a thread of this process. The tests before this one imported on workers too, so
    // the threads that stay (libuv's pool) are there already.
    const threads = () => fs.readdirSync('/proc/self/task').length;
    const before = threads();
    h.imports.workerThreadBytes = 0;
    try {
      await expect(h.imports.run({ file, source: 'failing', batchSize: 1_000 })).rejects.toThrow('refused W-2500');
    } finally {
      h.imports.workerThreadBytes = 4 * 1024 * 1024;
      await h.sql('drop trigger fail_w2500 on incident');
    }
    // Two batches of 1 000 were committed before the failing third: the run counts those only,
    // however far the worker had read.
    const [run] = await h.sql<{ status: string; rows_read: number; inserted: number }>(
      `select r.status, r.rows_read, r.inserted from import_run r join source s on s.id = r.source_id where s.name = 'failing'`,
    );
    expect(run).toEqual({ status: 'failed', rows_read: 2_000, inserted: 2_000 });
    expect(threads()).toBe(before);
  });
});
