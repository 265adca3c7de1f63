import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, elevenP1Evaluations, insertElevenP1, insertIncident, refresh, SlaHarness, startHarness } from './sla.fixture';

// A first pass over many incidents (sla_evaluation empty) drops the table's secondary indexes,
// writes every evaluation, and builds the indexes again: however the pass ends, the table keeps
// the indexes it had, and a pass cut off has them built by the next refresh.

let h: SlaHarness;

beforeEach(async () => {
  h = await startHarness({ ORG_TIMEZONE: 'UTC' });
  // Every pass with at least one changed incident counts as large; pages of two, two in flight.
  h.engine.deferIndexesFrom = 1;
  h.engine.pageSize = 2;
});

afterEach(async () => {
  await h?.close();
});

const indexes = async () =>
  (await h.client.query(`select indexname, indexdef from pg_indexes where tablename = 'sla_evaluation' order by indexname`))
    .rows;

/** sla_evaluation's foreign keys (to incident), by name and definition. */
const foreignKeys = async () =>
  (
    await h.client.query(
      `select conname, pg_get_constraintdef(oid) as definition from pg_constraint
        where conrelid = 'sla_evaluation'::regclass and contype = 'f' order by 1`,
    )
  ).rows;

const elevenIncidents = () => insertElevenP1(h.client, 'first-pass', 'FP');

/** Records, at each statement writing sla_evaluation, how many indexes and foreign keys it has then. */
async function watchIndexCount(): Promise<void> {
  await h.client.query(`
    create table index_count_seen (n int not null, keys int not null);
    create function note_index_count() returns trigger language plpgsql as $$
    begin
      insert into index_count_seen
      select (select count(*) from pg_indexes where tablename = 'sla_evaluation'),
             (select count(*) from pg_constraint where conrelid = 'sla_evaluation'::regclass and contype = 'f');
      return null;
    end $$;
    create trigger note_index_count after insert on sla_evaluation
      for each statement execute function note_index_count();`);
}

describe('a first SLA pass over many incidents', () => {
  it('writes every evaluation without the secondary indexes, then builds them again', async () => {
    const before = await indexes();
    // The primary key and at least the stopped, open, policy, recheck and computed indexes.
    expect(before.length).toBeGreaterThanOrEqual(6);
    const keysBefore = await foreignKeys();
    expect(keysBefore).toEqual([
      {
        conname: 'sla_evaluation_source_id_external_id_fkey',
        definition: 'FOREIGN KEY (source_id, external_id) REFERENCES incident(source_id, external_id) ON DELETE CASCADE',
      },
    ]);
    await elevenIncidents();
    await watchIndexCount();

    await refresh(h.base);

    // Eleven incidents in pages of two: six pages, each written with one upsert while only the
    // primary key was there, and no foreign key checked row by row.
    const seen = (await h.client.query('select n, keys from index_count_seen')).rows.map((r) => [r.n, r.keys]);
    expect(seen).toEqual(Array(6).fill([1, 0]));
    expect(await indexes()).toEqual(before);
    expect(await foreignKeys()).toEqual(keysBefore);
    expect((await h.client.query('select * from sla_deferred_index')).rows).toEqual([]);
    const { rows } = await h.client.query(
      `select external_id, kind, elapsed_minutes::float8 as elapsed, status from sla_evaluation
        order by length(external_id), external_id, kind`,
    );
    expect(rows).toEqual(elevenP1Evaluations('FP'));
  });

  it('keeps the indexes up row by row when the table already holds evaluations', async () => {
    await insertIncident(h.client, { source: 'first-pass', externalId: 'FP-0', openedAt: '2026-05-04T07:00:00Z', priority: 1 });
    await refresh(h.base);
    const before = await indexes();
    await elevenIncidents();
    await watchIndexCount();

    await refresh(h.base);

    const seen = (await h.client.query('select n, keys from index_count_seen')).rows.map((r) => [r.n, r.keys]);
    expect(seen).toEqual(Array(6).fill([before.length, 1]));
    expect(await indexes()).toEqual(before);
  });

  it('builds the indexes again when the pass fails part way', async () => {
    const before = await indexes();
    await elevenIncidents();
    // The page holding FP-7 fails to write.
    await h.client.query(`
      create function refuse_fp7() returns trigger language plpgsql as $$
      begin
        if new.external_id = 'FP-7' then raise exception 'refused for the test'; end if;
        return new;
      end $$;
      create trigger refuse_fp7 before insert on sla_evaluation for each row execute function refuse_fp7();`);

    const { status, body } = await api(h.base, '/refresh', { method: 'POST' });

    expect([status, body.status]).toEqual([200, 'failed']);
    expect(body.error).toContain('refused for the test');
    expect(await indexes()).toEqual(before);
    expect(await foreignKeys()).toHaveLength(1);
    expect((await h.client.query('select * from sla_deferred_index')).rows).toEqual([]);
  });

  it('builds indexes a pass cut off left dropped, at the next refresh', async () => {
    const before = await indexes();
    // What a process killed mid-pass leaves: an index dropped, its definition kept.
    const stopped = before.find((i) => i.indexname === 'sla_evaluation_stopped_idx');
    expect(stopped).toBeDefined();
    await h.client.query('insert into sla_deferred_index (name, definition) values ($1, $2)', [
      stopped.indexname,
      stopped.indexdef,
    ]);
    await h.client.query('drop index sla_evaluation_stopped_idx');
    // Nothing changed since: no pass of its own to defer anything.
    h.engine.deferIndexesFrom = 1_000_000;

    await refresh(h.base);

    expect(await indexes()).toEqual(before);
    expect((await h.client.query('select * from sla_deferred_index')).rows).toEqual([]);
  });
});
