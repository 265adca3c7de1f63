import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RollupsService, SeriesFilters } from '../../../server/src/rollups/rollups.service';
import { createTestDatabase, TestDatabase } from '../../support/db';
import { changeIncidents, deriveEvaluations, filterArb, loadGenerated, openRollups, ZONES } from './rollups.fixture';

/**
 * A series' counts straight from the incidents and their evaluations, written from METRICS.md
 * without the rollups: per bucket [dates[k], dates[k+1]) of local dates in the zone and per key,
 * incidents opened, restored, and SLA clocks stopped met or breached by kind; and the backlog at
 * each bucket's end t (opened by t and not restored by t).
 */
const REFERENCE_SQL = `
  with bounds as (
    select n - 1 as k, d::timestamp at time zone $2 as at from unnest($1::date[]) with ordinality as u (d, n)
  ),
  b as (select * from (select k, at as f, lead(at) over (order by k) as t from bounds) x where t is not null),
  s as (
    select i.*,
           case $7::text when 'priority' then i.priority::text
                         when 'category' then coalesce(i.category, '(none)')
                         when 'assignment_group' then coalesce(i.assignment_group, '(none)')
                         else '' end as key
      from incident i
     where ($3::text is null or i.source_id = (select id from source where name = $3))
       and ($4::int is null or i.priority = $4)
       and ($5::text is null or i.category = $5 or ($5 = '(none)' and i.category is null))
       and ($6::text is null or i.assignment_group = $6 or ($6 = '(none)' and i.assignment_group is null))
  )
  select 'opened' as what, b.k, s.key, count(*)::int as n
    from b join s on s.opened_at >= b.f and s.opened_at < b.t group by 1, 2, 3
  union all
  select 'restored', b.k, s.key, count(*)::int
    from b join s on s.restored_at >= b.f and s.restored_at < b.t group by 1, 2, 3
  union all
  select e.kind || '_' || e.status, b.k, s.key, count(*)::int
    from b
    join sla_evaluation e on e.stopped_at >= b.f and e.stopped_at < b.t and e.status in ('met', 'breached')
    join s on s.source_id = e.source_id and s.external_id = e.external_id
   group by 1, 2, 3
  union all
  select 'backlog', b.k, '', (select count(*)::int from s where s.opened_at <= b.t and (s.restored_at is null or s.restored_at > b.t))
    from b where $7::text is null`;

type Counts = Record<string, number>;

async function reference(dataSource: DataSource, f: SeriesFilters): Promise<Counts> {
  const rows: { what: string; k: number; key: string; n: number }[] = await dataSource.query(REFERENCE_SQL, [
    f.dates,
    f.tz ?? 'UTC',
    f.source ?? null,
    f.priority ?? null,
    f.category ?? null,
    f.assignmentGroup ?? null,
    f.by ?? null,
  ]);
  return Object.fromEntries(rows.filter((r) => r.n !== 0 || r.what === 'backlog').map((r) => [`${r.what} ${r.k} ${r.key}`, r.n]));
}

async function actual(rollups: RollupsService, f: SeriesFilters): Promise<Counts> {
  const { rows, backlog } = await rollups.series({ ...f, backlog: f.by === undefined });
  const counts: Counts = {};
  for (const row of rows) {
    for (const what of ['opened', 'restored', 'resolution_met', 'resolution_breached', 'response_met', 'response_breached'] as const) {
      if (row[what] !== 0) counts[`${what} ${row.k} ${row.key}`] = row[what];
    }
  }
  backlog?.forEach((n, k) => (counts[`backlog ${k} `] = n));
  return counts;
}

async function expectAgreement(dataSource: DataSource, rollups: RollupsService, f: SeriesFilters): Promise<void> {
  const [got, want] = await Promise.all([actual(rollups, f), reference(dataSource, f)]);
  expect(got, JSON.stringify(f)).toEqual(want);
}


/**
 * Bucket boundaries as local dates: a start between late 2024 and early 2026, then 1 to 40
 * buckets of 1 to 40 days each (days, weeks, months and odd lengths alike).
 */
const seriesArb = fc
  .record({
    start: fc.integer({ min: 0, max: 420 }),
    lengths: fc.array(fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 40 }),
    tz: fc.constantFrom(...ZONES),
    by: fc.constantFrom(undefined, 'priority', 'category', 'assignment_group'),
  })
  .map(({ start, lengths, tz, by }) => {
    let at = Date.UTC(2024, 11, 1) + start * 86_400_000;
    const dates = [new Date(at).toISOString().slice(0, 10)];
    for (const days of lengths) {
      at += days * 86_400_000;
      dates.push(new Date(at).toISOString().slice(0, 10));
    }
    return { dates, tz, by } as SeriesFilters;
  });


describe('series from the rollups', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let rollups: RollupsService;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ dataSource, rollups } = await openRollups(db.url));
    await loadGenerated(dataSource, 5_000, 977);
    await rollups.refresh();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('counts a hand-picked Kolkata week by local days, split by priority', async () => {
    // Three buckets of local days in Asia/Kolkata (+05:30) cut every UTC day in two; the
    // reference counts each straight from the rows.
    await expectAgreement(dataSource, rollups, {
      dates: ['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-08'],
      tz: 'Asia/Kolkata',
      by: 'priority',
    });
  });

  it('counts an incident restored exactly at a bucket end out of its backlog', async () => {
    // UTC days over a quarter: each bucket ends on a UTC midnight, where the fixture put some
    // restorations; an incident restored exactly at t has left the backlog at t.
    const dates = Array.from({ length: 91 }, (_, d) => new Date(Date.UTC(2025, 3, 1 + d)).toISOString().slice(0, 10));
    const [{ n }] = await dataSource.query(
      `select count(*)::int as n from incident
        where restored_at = any($1::timestamptz[]) and opened_at < restored_at`,
      [dates.slice(1)],
    );
    expect(n).toBeGreaterThan(0);
    await expectAgreement(dataSource, rollups, { dates, tz: 'UTC' });
  });

  it('counts Tokyo days as UTC days less their last nine hours, with the backlog', async () => {
    // Local midnight in Tokyo (+09:00) is 15:00 UTC: each bucket [15:00, 15:00 next day) is
    // read as 9 hours added before the UTC day it ends in, then that whole day less its
    // [15:00, 24:00), and the backlog at 15:00 as the days to 24:00 less what moved after 15:00.
    const dates = ['2025-06-02', '2025-06-03', '2025-06-04', '2025-06-05', '2025-06-06'];
    const [{ n }] = await dataSource.query(
      `select count(*)::int as n from incident
        where (opened_at at time zone 'UTC')::time >= '15:00' and opened_at >= '2025-06-02' and opened_at < '2025-06-06'`,
    );
    // Not vacuous: incidents opened in the hours taken away.
    expect(n).toBeGreaterThan(0);
    await expectAgreement(dataSource, rollups, { dates, tz: 'Asia/Tokyo' });
  });

  it('agrees with counts straight from the incidents, for random buckets, zones, splits and filters', async () => {
    await fc.assert(
      fc.asyncProperty(seriesArb, filterArb, async (series, filters) => {
        await expectAgreement(dataSource, rollups, { ...series, ...filters });
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('includes changes before the refresh that absorbs them, and after it', async () => {
    await changeIncidents(dataSource, 11);
    await fc.assert(
      fc.asyncProperty(seriesArb, filterArb, async (series, filters) => {
        await expectAgreement(dataSource, rollups, { ...series, ...filters });
      }),
      { numRuns: 30, seed: 6 },
    );
    expect((await rollups.refresh()).changed).toBeGreaterThan(100);
    await fc.assert(
      fc.asyncProperty(seriesArb, filterArb, async (series, filters) => {
        await expectAgreement(dataSource, rollups, { ...series, ...filters });
      }),
      { numRuns: 30, seed: 8 },
    );
  });

  it('counts what happens exactly at a Tokyo midnight in the day it starts, pending and absorbed', async () => {
    // Tokyo's midnight is 15:00 UTC, so each Tokyo day is read as UTC days with the raw range
    // [15:00, 24:00) added or taken away. Incidents opened, acknowledged and restored exactly at
    // 15:00 UTC (their SLA clocks stopping then too) belong to the Tokyo day starting at that
    // instant; those restored exactly at 00:00 UTC lie just past the range's end. The reference
    // counts each straight from the rows, with half-open buckets [start, end).
    await dataSource.query(
      `update incident set
          opened_at = timestamptz '2025-07-02 15:00Z' + (hashtext(external_id) % 3) * interval '1 day',
          acknowledged_at = timestamptz '2025-07-03 15:00Z' + (hashtext(external_id) % 3) * interval '1 day',
          restored_at = case when hashtext(external_id) % 2 = 0 then timestamptz '2025-07-04 15:00Z'
                             else timestamptz '2025-07-05 00:00Z' end,
          version = nextval('incident_version_seq')
        where hashtext(external_id) % 23 = 0`,
    );
    await deriveEvaluations(dataSource, 'hashtext(external_id) % 23 = 0');
    const [{ opened, stopped }] = await dataSource.query(
      `select count(*) filter (where opened_at = '2025-07-02 15:00Z')::int as opened,
              (select count(*)::int from sla_evaluation where stopped_at = '2025-07-04 15:00Z') as stopped
         from incident`,
    );
    // Not vacuous: incidents opened, and SLA clocks stopped, exactly at a bucket's start.
    expect(opened).toBeGreaterThan(0);
    expect(stopped).toBeGreaterThan(0);
    const dates = ['2025-07-01', '2025-07-02', '2025-07-03', '2025-07-04', '2025-07-05', '2025-07-06', '2025-07-07'];
    for (const by of [undefined, 'priority'] as const) {
      await expectAgreement(dataSource, rollups, { dates, tz: 'Asia/Tokyo', by });
      await expectAgreement(dataSource, rollups, { dates, tz: 'Asia/Tokyo', by, priority: 3 });
    }
    expect((await rollups.refresh()).changed).toBeGreaterThan(0);
    for (const by of [undefined, 'priority'] as const) {
      await expectAgreement(dataSource, rollups, { dates, tz: 'Asia/Tokyo', by });
      await expectAgreement(dataSource, rollups, { dates, tz: 'Asia/Tokyo', by, priority: 3 });
    }
  });
});
