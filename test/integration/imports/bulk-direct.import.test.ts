import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { BULK_LOAD_LOCK } from '../../../server/src/imports/import.bulk';
import { SeenIds } from '../../../server/src/imports/import.seen';
import { FIXTURES } from '../../unit/imports/fixtures';
import { useImportHarness } from './import-context';

/** A filter that has "maybe seen" every id: every row takes the staging table's way. */
class AlwaysMaybe extends SeenIds {
  override testAndAdd(): boolean {
    return true;
  }
}

const ROUTES = [
  ['a bulk load, unseen ids straight into the table', true, () => undefined],
  ['a bulk load, every id through the staging table', true, () => new AlwaysMaybe(0)],
  ['an ordinary import', false, () => undefined],
] as const;

describe.each(ROUTES)('%s', (_name, bulk, filter) => {
  const h = useImportHarness((made) => {
    made.imports.bulkLoadBytes = bulk ? 0 : Number.POSITIVE_INFINITY;
    const seen = filter();
    if (seen) made.imports.seenIds = () => seen;
  });
  beforeEach(async () => {
    // A bulk load needs an empty incident table.
    await h.sql('truncate incident cascade');
  });

  it('keeps the first of a repeated id across batches, as any import does', async () => {
    // Batches of 2 records: [G-1, G-2 (line 3)], then G-3 (priority 7) and G-4 (no opened_at)
    // are rejected, then [G-5, G-2 (line 7)]: the second G-2 repeats line 3.
    const file = path.join(FIXTURES, 'generic.csv');
    const result = await h.imports.run({ file, source: 'bulk', batchSize: 2 });
    expect(result).toMatchObject({ rowsRead: 6, inserted: 3, updated: 0, unchanged: 0, rejected: 3 });
    expect(result.rejections.map((r) => [r.line, r.field])).toEqual([
      [4, 'priority'],
      [5, 'opened_at'],
      [7, 'external_id'],
    ]);
    expect(result.rejections[2].reason).toBe('"G-2" repeats line 3; the first row is kept');
    const stored = await h.sql(`select line, field from import_rejection where import_run_id = $1 order by line`, [result.id]);
    expect(stored).toEqual([
      { line: 4, field: 'priority' },
      { line: 5, field: 'opened_at' },
      { line: 7, field: 'external_id' },
    ]);
    const report = fs.readFileSync(result.reportPath!, 'utf8').trimEnd().split('\n');
    expect(report).toHaveLength(4);

    const rows = await h.sql<{ external_id: string; reassignment_count: number; version: string; source: string }>(
      `select i.external_id, i.reassignment_count, i.version, s.name as source
         from incident i join source s on s.id = i.source_id order by 1`,
    );
    expect(rows.map((r) => r.external_id)).toEqual(['G-1', 'G-2', 'G-5']);
    expect(rows.every((r) => r.source === 'bulk')).toBe(true);
    // Line 3's G-2 (reassignment_count 1), not line 7's (2).
    expect(rows[1].reassignment_count).toBe(1);
    expect(new Set(rows.map((r) => r.version)).size).toBe(3);

    // The same file again (no longer a bulk load: the table holds rows) finds the same content
    // hashes: nothing changes.
    const again = await h.imports.run({ file, source: 'bulk' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, rejected: 3 });
  });

  it('names the first row of an id for every repeat, also a repeat of a repeat', async () => {
    const file = path.join(h.dataDir, 'chain.csv');
    fs.writeFileSync(
      file,
      [
        'external_id,opened_at,priority',
        'X-1,2024-01-01T00:00:00Z,3', // line 2, batch 1
        'X-2,2024-01-01T00:00:00Z,3', // line 3, batch 1
        'X-1,2024-01-02T00:00:00Z,2', // line 4, batch 2: repeats line 2
        'X-1,2024-01-03T00:00:00Z,1', // line 5, batch 2: repeats line 4, which repeats line 2
        'X-3,2024-01-01T00:00:00Z,3', // line 6, batch 2
      ].join('\n') + '\n',
    );
    const result = await h.imports.run({ file, source: 'chain', batchSize: 2 });
    expect(result).toMatchObject({ rowsRead: 5, inserted: 3, rejected: 2 });
    expect(result.rejections.map((r) => [r.line, r.reason])).toEqual([
      [4, '"X-1" repeats line 2; the first row is kept'],
      [5, '"X-1" repeats line 2; the first row is kept'],
    ]);
    const [x1] = await h.sql<{ priority: number }>(`select priority from incident where external_id = 'X-1'`);
    expect(x1.priority).toBe(3);
  });

  it('rejects a row with a NUL or a lone surrogate, which PostgreSQL cannot store, and keeps the rest', async () => {
    const file = path.join(h.dataDir, 'unstorable.json');
    // JSON escapes: "SUR\ud800" and "SUR\udc00" are two ids in JavaScript but one once encoded
    // (both U+FFFD); a NUL fails COPY and jsonb alike.
    fs.writeFileSync(
      file,
      `[
  {"external_id": "OK-1", "opened_at": "2024-01-01T00:00:00Z", "priority": 3},
  {"external_id": "SUR\\ud800", "opened_at": "2024-01-01T00:00:00Z", "priority": 3},
  {"external_id": "SUR\\udc00", "opened_at": "2024-01-01T00:00:00Z", "priority": 3},
  {"external_id": "NUL-1", "opened_at": "2024-01-01T00:00:00Z", "priority": 3, "category": "net\\u0000work"},
  {"external_id": "NUL-2", "opened_at": "2024-01-01T00:00:00Z", "priority": 3, "site": "a\\u0000b"},
  {"external_id": "N\\u0000UL", "opened_at": "2024-01-01T00:00:00Z", "priority": "3\\u0000"},
  {"external_id": "EV-1", "opened_at": "2024-01-01T00:00:00Z", "priority": 3,
   "events": [{"at": "2024-01-01T01:00:00Z", "kind": "status", "to": "Res\\udfffolved"}]},
  {"external_id": "OK-2", "opened_at": "2024-01-01T00:00:00Z", "priority": 4}
]
`,
    );
    const result = await h.imports.run({ file, source: 'unstorable', batchSize: 3 });
    // OK-1 and OK-2 written; the other six rejected, each naming its field.
    expect(result).toMatchObject({ rowsRead: 8, inserted: 2, rejected: 6 });
    expect(result.rejections.map((r) => [r.line, r.field, r.reason])).toEqual([
      [3, 'external_id', 'holds a lone UTF-16 surrogate (U+D800), which is not a character'],
      [4, 'external_id', 'holds a lone UTF-16 surrogate (U+DC00), which is not a character'],
      [5, 'category', 'holds a NUL character (U+0000), which PostgreSQL cannot store'],
      [6, 'site', 'holds a NUL character (U+0000), which PostgreSQL cannot store'],
      // The priority is read before the texts are checked; its reason quotes the value, NUL
      // replaced so that the rejection itself can be stored.
      [7, 'priority', 'expected 1..5, got "3\uFFFD"'],
      [8, 'events[0].to', 'holds a lone UTF-16 surrogate (U+DFFF), which is not a character'],
    ]);
    const stored = await h.sql<{ external_id: string }>(
      `select i.external_id from incident i join source s on s.id = i.source_id where s.name = 'unstorable' order by 1`,
    );
    expect(stored.map((r) => r.external_id)).toEqual(['OK-1', 'OK-2']);
    const [{ n }] = await h.sql<{ n: number }>('select count(*)::int as n from import_rejection where import_run_id = $1', [result.id]);
    expect(n).toBe(6);
  });

  it('stores JSON events with their incidents', async () => {
    const result = await h.imports.run({ file: path.join(FIXTURES, 'generic.json'), source: 'bulk-json', batchSize: 1 });
    // J-1 and J-2 written; J-3's event kind "reassign" is not one of the kinds.
    expect(result).toMatchObject({ rowsRead: 3, inserted: 2, rejected: 1 });
    const events = await h.sql(
      `select external_id, seq, kind, from_value, to_value from incident_event order by external_id, seq`,
    );
    // J-1's three events in time order.
    expect(events).toEqual([
      { external_id: 'J-1', seq: 1, kind: 'status', from_value: 'New', to_value: 'Active' },
      { external_id: 'J-1', seq: 2, kind: 'assignment', from_value: 'Net', to_value: 'Core' },
      { external_id: 'J-1', seq: 3, kind: 'status', from_value: 'Active', to_value: 'Resolved' },
    ]);
    const again = await h.imports.run({ file: path.join(FIXTURES, 'generic.json'), source: 'bulk-json' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
  });
});

describe('a bulk load with an activity log', () => {
  const h = useImportHarness((made) => {
    made.imports.bulkLoadBytes = 0;
  });

  it('stages every row, as the enrichment needs, and is not held up by its own lock', async () => {
    const result = await h.imports.run({
      file: path.join(FIXTURES, 'bpi2014-detail.csv'),
      eventsFile: path.join(FIXTURES, 'bpi2014-activity.csv.gz'),
    });
    // As in fixtures.import.test.ts: 4 detail rows read, IM0000006 rejected (no Open Time), and the
    // activity log's "yesterday" row.
    expect(result).toMatchObject({ rowsRead: 4, inserted: 3, rejected: 2 });
    // IM0000004's six events (Operator Update and Caused By CI make none).
    const [{ n }] = await h.sql<{ n: number }>(`select count(*)::int as n from incident_event where external_id = 'IM0000004'`);
    expect(n).toBe(6);
  });
});

describe('an import while a bulk load runs', () => {
  const h = useImportHarness();

  it('waits for it to end before writing', async () => {
    // What a bulk load holds for its whole length.
    const bulk = new Client({ connectionString: h.db.url });
    await bulk.connect();
    try {
      await bulk.query('select pg_advisory_lock($1)', [BULK_LOAD_LOCK]);
      let done = false;
      const importing = h.imports.run({ file: path.join(FIXTURES, 'generic.csv'), source: 'waiting' }).finally(() => {
        done = true;
      });
      // However long this takes, the import cannot write while the lock is held.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(done).toBe(false);
      const [{ n }] = await h.sql<{ n: number }>('select count(*)::int as n from incident');
      expect(n).toBe(0);
      // The list does not take the waiting run for a lost one: its session holds the run's lock.
      expect((await h.imports.recentRuns()).find((r) => r.source === 'waiting')).toMatchObject({ status: 'running' });
      await bulk.query('select pg_advisory_unlock($1)', [BULK_LOAD_LOCK]);
      expect(await importing).toMatchObject({ inserted: 3, rejected: 3 });
    } finally {
      await bulk.end();
    }
  });
});

describe('an import that stops part way', () => {
  const h = useImportHarness();

  it('records what its committed batches wrote', async () => {
    // A fault in the database at G-5: batches of 2 are [G-1, G-2] (committed), then [G-5, ...].
    await h.sql(`create function fail_at_g5() returns trigger language plpgsql as $$
                 begin if new.external_id = 'G-5' then raise exception 'disk on fire'; end if; return new; end $$`);
    await h.sql('create trigger fail_at_g5 before insert on incident for each row execute function fail_at_g5()');
    try {
      await expect(h.imports.run({ file: path.join(FIXTURES, 'generic.csv'), source: 'stops', batchSize: 2 })).rejects.toThrow(
        'disk on fire',
      );
    } finally {
      await h.sql('drop trigger fail_at_g5 on incident');
    }
    const [run] = await h.sql('select status, inserted, updated, unchanged, error from import_run order by id desc limit 1');
    expect(run).toMatchObject({ status: 'failed', inserted: 2, updated: 0, unchanged: 0, error: 'disk on fire' });
    const [{ n }] = await h.sql<{ n: number }>('select count(*)::int as n from incident');
    expect(n).toBe(2);
  });

  it('builds the indexes a bulk load it waited for left dropped', async () => {
    // What a bulk load killed while this import waited leaves: a definition recorded, its index gone.
    await h.sql(
      `insert into import_deferred_index (name, definition)
       select c.relname, pg_get_indexdef(c.oid) from pg_class c where c.relname = 'incident_category_idx'`,
    );
    await h.sql('drop index incident_category_idx');
    const result = await h.imports.run({ file: path.join(FIXTURES, 'generic.csv'), source: 'after-kill' });
    expect(result).toMatchObject({ inserted: 3 });
    const [{ found }] = await h.sql<{ found: boolean }>(`select to_regclass('incident_category_idx') is not null as found`);
    expect(found).toBe(true);
    expect(await h.sql('select * from import_deferred_index')).toEqual([]);
  });
});
