import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../../unit/imports/fixtures';
import { ImportHarness, importHarness } from './import-context';

/** incident's indexes by name, with the object id each has now (a rebuilt index gets a new one). */
const INDEXES = `select c.relname as name, c.oid::int as oid, pg_get_indexdef(c.oid) as definition
                   from pg_index x join pg_class c on c.oid = x.indexrelid
                  where x.indrelid = 'incident'::regclass order by 1`;

/** incident's foreign keys, likewise. */
const FOREIGN_KEYS = `select conname as name, oid::int as oid, pg_get_constraintdef(oid) as definition
                        from pg_constraint where conrelid = 'incident'::regclass and contype = 'f' order by 1`;

describe('bulk load into an empty incident table', () => {
  let h: ImportHarness;
  let before: { name: string; oid: number; definition: string }[];
  let keysBefore: { name: string; oid: number; definition: string }[];

  beforeAll(async () => {
    h = await importHarness();
    // Every file counts as large here; the product's threshold is 64 MB.
    h.imports.bulkLoadBytes = 0;
    before = await h.sql(INDEXES);
    keysBefore = await h.sql(FOREIGN_KEYS);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('drops the secondary indexes and builds the same ones again, even when the file is cut', async () => {
    // The key and eleven secondary indexes (sql/001-068, less those sql/046 dropped).
    expect(before.map((i) => i.name)).toEqual([
      'incident_assignment_group_idx',
      'incident_category_idx',
      'incident_long_restore_idx',
      'incident_open_idx',
      'incident_pkey',
      'incident_resolution_stop_gap_idx',
      'incident_response_stop_gap_idx',
      'incident_ttr_idx',
      'incident_version_idx',
      'rollup_incident_acknowledged_cover_idx',
      'rollup_incident_opened_cover_idx',
      'rollup_incident_restored_cover_idx',
    ]);
    const result = await h.imports.run({ file: path.join(FIXTURES, 'truncated.csv.gz'), source: 'cut', batchSize: 500 });
    // As without a bulk load: the 968 whole rows before the cut are written.
    expect(result).toMatchObject({ rowsRead: 969, inserted: 968, rejected: 1 });
    expect(result.error).toMatch(/could not be read past line 969/);

    const after = await h.sql<{ name: string; oid: number; definition: string }>(INDEXES);
    expect(after.map(({ name, definition }) => ({ name, definition }))).toEqual(
      before.map(({ name, definition }) => ({ name, definition })),
    );
    // The key stayed; each secondary index is a new one, built after the rows went in.
    for (const index of after) {
      const old = before.find((i) => i.name === index.name)!;
      if (index.name === 'incident_pkey') expect(index.oid).toBe(old.oid);
      else expect(index.oid, index.name).not.toBe(old.oid);
    }
    // The foreign key to source is dropped as well (checked once at the end, not row by row)
    // and added again: the same constraint, a new object.
    expect(keysBefore.map(({ name, definition }) => ({ name, definition }))).toEqual([
      { name: 'incident_source_id_fkey', definition: 'FOREIGN KEY (source_id) REFERENCES source(id)' },
    ]);
    const keysAfter = await h.sql<{ name: string; oid: number; definition: string }>(FOREIGN_KEYS);
    expect(keysAfter.map(({ name, definition }) => ({ name, definition }))).toEqual(
      keysBefore.map(({ name, definition }) => ({ name, definition })),
    );
    expect(keysAfter[0].oid).not.toBe(keysBefore[0].oid);
    expect(await h.sql('select * from import_deferred_index')).toEqual([]);
    const [{ n }] = await h.sql<{ n: number }>(`select count(*)::int as n from incident where source_id = (select id from source where name = 'cut')`);
    expect(n).toBe(968);
  });

  it('leaves the indexes alone when the table already holds incidents', async () => {
    const current = await h.sql<{ name: string; oid: number }>(INDEXES);
    const result = await h.imports.run({ file: path.join(FIXTURES, 'long-cells.csv'), source: 'long' });
    expect(result).toMatchObject({ inserted: 3, rejected: 2 });
    expect(await h.sql(INDEXES)).toEqual(current);
  });

  it('builds at start the indexes a bulk load killed before its end left dropped', async () => {
    // What a process killed mid-load leaves: two definitions recorded, those indexes gone.
    await h.sql(
      `insert into import_deferred_index (name, definition)
       select c.relname, pg_get_indexdef(c.oid) from pg_class c
        where c.relname in ('incident_category_idx', 'rollup_incident_opened_cover_idx')`,
    );
    await h.sql('drop index incident_category_idx, rollup_incident_opened_cover_idx');
    // And the foreign key, as the bulk load records it.
    await h.sql(
      `insert into import_deferred_index (name, definition)
       values ('incident_source_id_fkey', 'alter table incident add constraint incident_source_id_fkey FOREIGN KEY (source_id) REFERENCES source(id)')`,
    );
    await h.sql('alter table incident drop constraint incident_source_id_fkey');
    expect((await h.sql<{ name: string }>(INDEXES)).map((i) => i.name)).not.toContain('incident_category_idx');

    await h.imports.onApplicationBootstrap();

    const after = await h.sql<{ name: string; definition: string }>(INDEXES);
    expect(after.map(({ name, definition }) => ({ name, definition }))).toEqual(
      before.map(({ name, definition }) => ({ name, definition })),
    );
    const keys = await h.sql<{ name: string; definition: string }>(FOREIGN_KEYS);
    expect(keys.map(({ name, definition }) => ({ name, definition }))).toEqual(
      keysBefore.map(({ name, definition }) => ({ name, definition })),
    );
    expect(await h.sql('select * from import_deferred_index')).toEqual([]);
  });
});
