import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FiguresDto } from '../../../server/src/metrics/metrics.dto';
import { RollupsService, SeriesFilters, SummaryFilters } from '../../../server/src/rollups/rollups.service';
import { coverMonths, planWindow } from '../../../server/src/rollups/rollups.summary';
import { DELETE_EVALUATIONS } from '../../../server/src/sla/sla.sql';
import { createTestDatabase, TestDatabase } from '../../support/db';
import { changeIncidents, filterArb, loadGenerated, openRollups, ZONES } from './rollups.fixture';

/**
 * The summary's figures straight from the incidents, written from METRICS.md without the rollups:
 * the reference the rollup-based figures must equal.
 */
const REFERENCE_SQL = `
  with w as (select ($1::date::timestamp at time zone $3) as f, ($2::date::timestamp at time zone $3) as t),
  s as (
    select i.* from incident i
     where ($4::text is null or i.source_id = (select id from source where name = $4))
       and ($5::int is null or i.priority = $5)
       and ($6::text is null or i.category = $6 or ($6 = '(none)' and i.category is null))
       and ($7::text is null or i.assignment_group = $7 or ($7 = '(none)' and i.assignment_group is null))
  ),
  restored as (select s.* from s, w where s.restored_at >= w.f and s.restored_at < w.t),
  mtrs as (select extract(epoch from restored_at - opened_at)::float8 / 3600 as h,
                  extract(epoch from restored_at - opened_at) as sec
             from restored where restored_at >= opened_at),
  mtta as (select extract(epoch from acknowledged_at - opened_at)::float8 / 3600 as h,
                  extract(epoch from acknowledged_at - opened_at) as sec
             from s, w where acknowledged_at >= w.f and acknowledged_at < w.t and acknowledged_at >= opened_at),
  sla as (select e.kind, e.status, s.source_sla_met from sla_evaluation e
            join s on s.source_id = e.source_id and s.external_id = e.external_id, w
           where e.status in ('met', 'breached') and e.stopped_at >= w.f and e.stopped_at < w.t)
  select
    (select count(*)::int from s, w where opened_at >= w.f and opened_at < w.t) as opened,
    (select count(*)::int from restored) as restored,
    (select count(*)::int from restored where reassignment_count = 0 and reopen_count = 0) as first_time,
    (select count(*)::int from restored where reassignment_count > 0) as escalated,
    (select count(*)::int from restored where reopen_count > 0) as reopened,
    (select count(*)::int from mtrs) as mtrs_n,
    (select (sum(sec) / count(*) / 3600)::float8 from mtrs) as mtrs_mean,
    (select percentile_cont(0.5) within group (order by h) from mtrs) as mtrs_median,
    (select percentile_cont(0.9) within group (order by h) from mtrs) as mtrs_p90,
    (select count(*)::int from mtta) as mtta_n,
    (select (sum(sec) / count(*) / 3600)::float8 from mtta) as mtta_mean,
    (select percentile_cont(0.5) within group (order by h) from mtta) as mtta_median,
    (select count(*)::int from s, w where opened_at <= w.t and (restored_at is null or restored_at > w.t)) as backlog,
    (select count(*)::int from sla where kind = 'resolution' and status = 'met') as resolution_met,
    (select count(*)::int from sla where kind = 'resolution' and status = 'breached') as resolution_breached,
    (select count(*)::int from sla where kind = 'response' and status = 'met') as response_met,
    (select count(*)::int from sla where kind = 'response' and status = 'breached') as response_breached,
    (select count(*)::int from sla where kind = 'resolution' and source_sla_met is not null) as verdict_n,
    (select count(*)::int from sla where kind = 'resolution' and source_sla_met = (status = 'met')) as verdict_agree,
    (select count(*)::int from sla where kind = 'resolution' and source_sla_met is not null and status = 'met') as verdict_met`;

async function reference(dataSource: DataSource, f: SummaryFilters) {
  const [row] = await dataSource.query(REFERENCE_SQL, [
    f.from,
    f.to,
    f.tz ?? 'UTC',
    f.source ?? null,
    f.priority ?? null,
    f.category ?? null,
    f.assignmentGroup ?? null,
  ]);
  return row;
}

/** Means exact up to float conversion; percentiles within 0.1 % relative. */
function expectClose(actual: number | null, expected: number | null, relative: number, label: string): void {
  if (expected === null) {
    expect(actual, label).toBeNull();
    return;
  }
  expect(actual, label).not.toBeNull();
  expect(Math.abs(actual! - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    relative * Math.abs(expected) + 1e-12,
  );
}

async function expectAgreement(dataSource: DataSource, rollups: RollupsService, f: SummaryFilters): Promise<FiguresDto> {
  const [got, want] = await Promise.all([rollups.summary(f), reference(dataSource, f)]);
  const label = JSON.stringify(f);
  expect(
    {
      opened: got.volume.opened,
      restored: got.volume.restored,
      first_time: got.firstTimeResolution.firstTime,
      escalated: got.firstTimeResolution.escalated,
      reopened: got.firstTimeResolution.reopened,
      mtrs_n: got.mtrs.n,
      mtta_n: got.mtta.n,
      backlog: got.backlog.n,
      resolution_met: got.sla.resolution.met,
      resolution_breached: got.sla.resolution.breached,
      response_met: got.sla.response.met,
      response_breached: got.sla.response.breached,
      verdict_n: got.sla.sourceVerdict.n,
      verdict_agree: got.sla.sourceVerdict.agree,
      verdict_met: got.sla.sourceVerdict.ourMet,
    },
    label,
  ).toEqual({
    opened: want.opened,
    restored: want.restored,
    first_time: want.first_time,
    escalated: want.escalated,
    reopened: want.reopened,
    mtrs_n: want.mtrs_n,
    mtta_n: want.mtta_n,
    backlog: want.backlog,
    resolution_met: want.resolution_met,
    resolution_breached: want.resolution_breached,
    response_met: want.response_met,
    response_breached: want.response_breached,
    verdict_n: want.verdict_n,
    verdict_agree: want.verdict_agree,
    verdict_met: want.verdict_met,
  });
  expectClose(got.mtrs.meanHours, want.mtrs_mean, 1e-12, `${label} mtrs mean`);
  expectClose(got.mtta.meanHours, want.mtta_mean, 1e-12, `${label} mtta mean`);
  const tolerance = (method: string) => (method === 'exact' ? 1e-9 : 0.001);
  expectClose(got.mtrs.medianHours, want.mtrs_median, tolerance(got.mtrs.percentiles), `${label} mtrs median`);
  expectClose(got.mtrs.p90Hours, want.mtrs_p90, tolerance(got.mtrs.percentiles), `${label} mtrs p90`);
  expectClose(got.mtta.medianHours, want.mtta_median, tolerance(got.mtta.percentiles), `${label} mtta median`);
  return got;
}


/** Windows of local dates between late 2024 and early 2026, from one day to a whole year and more. */
const windowArb = fc
  .record({
    start: fc.integer({ min: 0, max: 420 }),
    days: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 25, max: 120 }), fc.integer({ min: 300, max: 400 })),
    tz: fc.constantFrom(...ZONES),
  })
  .map(({ start, days, tz }) => {
    const from = new Date(Date.UTC(2024, 11, 1) + start * 86_400_000);
    const to = new Date(from.getTime() + days * 86_400_000);
    return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10), tz };
  });

/** Whole local months (1 to 14 of them) in any zone: the histograms' path with day subtraction. */
const monthWindowArb = fc
  .record({ start: fc.integer({ min: 0, max: 13 }), months: fc.integer({ min: 1, max: 14 }), tz: fc.constantFrom(...ZONES) })
  .map(({ start, months, tz }) => {
    const from = new Date(Date.UTC(2024, 11 + start, 1));
    const to = new Date(Date.UTC(2024, 11 + start + months, 1));
    return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10), tz };
  });

const anyWindowArb = fc.oneof(windowArb, monthWindowArb);


describe('rollups', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let rollups: RollupsService;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ dataSource, rollups } = await openRollups(db.url));
    await loadGenerated(dataSource, 6_000, 4242);
    await rollups.refresh();
    // Histogram percentiles wherever a histogram fits: the limit for exact ones is far above 6 000.
    rollups.exactPercentileLimit = 0;
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('splits a Kolkata window into whole UTC days, reading the shorter part of each partial day', () => {
    // 2025-03-01 00:00 +05:30 = 2025-02-28T18:30Z; 2025-03-03 00:00 +05:30 = 2025-03-02T18:30Z.
    // 28 Feb: 5.5 h inside the window (at most half the day): those rows are added.
    // 2 Mar: 18.5 h inside: the whole day from the rollups, less the rows of its last 5.5 h.
    const plan = planWindow(new Date('2025-02-28T18:30:00Z'), new Date('2025-03-02T18:30:00Z'));
    expect(plan.firstDay).toBe('2025-03-01');
    expect(plan.endDay).toBe('2025-03-03');
    expect(plan.rawRanges.map(([a, b, sign]) => [a.toISOString(), b.toISOString(), sign])).toEqual([
      ['2025-02-28T18:30:00.000Z', '2025-03-01T00:00:00.000Z', 1],
      ['2025-03-02T18:30:00.000Z', '2025-03-03T00:00:00.000Z', -1],
    ]);
    // The backlog at 18:30 on 2 Mar: the days before 3 Mar, less what moved after 18:30.
    expect([plan.backlogDay.toISOString(), plan.backlogSign]).toEqual(['2025-03-03T00:00:00.000Z', -1]);
    // No whole UTC month inside: percentiles come exactly from the rows.
    expect(plan.firstMonth).toBe(plan.endMonth);
  });

  it('reads a Berlin day as its UTC day less the hour after, plus the hour before', () => {
    // 2025-03-10 00:00 +01:00 = 2025-03-09T23:00Z; 2025-03-11 00:00 +01:00 = 2025-03-10T23:00Z.
    // 9 Mar: 1 h inside, added; 10 Mar: 23 h inside, so the day less [23:00, 24:00).
    const plan = planWindow(new Date('2025-03-09T23:00:00Z'), new Date('2025-03-10T23:00:00Z'));
    expect([plan.firstDay, plan.endDay]).toEqual(['2025-03-10', '2025-03-11']);
    expect(plan.rawRanges.map(([a, b, sign]) => [a.toISOString(), b.toISOString(), sign])).toEqual([
      ['2025-03-09T23:00:00.000Z', '2025-03-10T00:00:00.000Z', 1],
      ['2025-03-10T23:00:00.000Z', '2025-03-11T00:00:00.000Z', -1],
    ]);
  });

  it('reads a window inside one UTC day as itself when short, else as the day less both sides', () => {
    // 02:00-08:00 is 6 h: the rows themselves; no whole day.
    const short = planWindow(new Date('2025-05-05T02:00:00Z'), new Date('2025-05-05T08:00:00Z'));
    expect(short.firstDay).toBe(short.endDay);
    expect(short.rawRanges.map(([a, b, sign]) => [a.toISOString(), b.toISOString(), sign])).toEqual([
      ['2025-05-05T02:00:00.000Z', '2025-05-05T08:00:00.000Z', 1],
    ]);
    // 01:00-22:00 is 21 h: 5 May whole, less [00:00, 01:00) and [22:00, 24:00).
    const long = planWindow(new Date('2025-05-05T01:00:00Z'), new Date('2025-05-05T22:00:00Z'));
    expect([long.firstDay, long.endDay]).toEqual(['2025-05-05', '2025-05-06']);
    expect(long.rawRanges.map(([a, b, sign]) => [a.toISOString(), b.toISOString(), sign])).toEqual([
      ['2025-05-05T00:00:00.000Z', '2025-05-05T01:00:00.000Z', -1],
      ['2025-05-05T22:00:00.000Z', '2025-05-06T00:00:00.000Z', -1],
    ]);
    // 22:00 is past midday: the backlog counts 5 May whole and takes away what moved after 22:00.
    expect([long.backlogDay.toISOString(), long.backlogSign]).toEqual(['2025-05-06T00:00:00.000Z', -1]);
    expect([short.backlogDay.toISOString(), short.backlogSign]).toEqual(['2025-05-05T00:00:00.000Z', 1]);
  });

  it('reads a Berlin year as one UTC year, plus the hour before it and less its last hour', () => {
    // 2025-01-01 00:00 +01:00 = 2024-12-31T23:00Z; 2026-01-01 00:00 +01:00 = 2025-12-31T23:00Z.
    // 31 Dec 2024: 1 h inside, added. 31 Dec 2025: 23 h inside, so the whole day less its last
    // hour. Whole UTC days: 1 Jan .. 31 Dec 2025 = the twelve months, nothing to subtract.
    const plan = planWindow(new Date('2024-12-31T23:00:00Z'), new Date('2025-12-31T23:00:00Z'));
    expect([plan.firstMonth, plan.endMonth, plan.subtractDays]).toEqual(['2025-01-01', '2026-01-01', []]);
    // Read as one yearly histogram.
    expect(plan.periods).toEqual([['y', '2025-01-01']]);
    expect(plan.histRawRanges.map(([a, b, sign]) => [a.toISOString(), b.toISOString(), sign])).toEqual([
      ['2024-12-31T23:00:00.000Z', '2025-01-01T00:00:00.000Z', 1],
      ['2025-12-31T23:00:00.000Z', '2026-01-01T00:00:00.000Z', -1],
    ]);
  });

  it('reads a New York quarter as three UTC months, less the hours of 1 April before it', () => {
    // 2025-04-01 00:00 -04:00 = 04:00Z; 2025-07-01 00:00 -04:00 = 2025-07-01T04:00Z.
    // 1 Apr: 20 h inside, so the whole day less [00:00, 04:00). 1 Jul: 4 h inside, added.
    // Whole UTC days: 1 Apr .. 30 Jun = the months Apr..Jun, nothing to subtract.
    const plan = planWindow(new Date('2025-04-01T04:00:00Z'), new Date('2025-07-01T04:00:00Z'));
    expect([plan.firstMonth, plan.endMonth, plan.subtractDays]).toEqual(['2025-04-01', '2025-07-01', []]);
    // No quarterly histograms: a quarter is its three months.
    expect(plan.periods).toEqual([
      ['m', '2025-04-01'],
      ['m', '2025-05-01'],
      ['m', '2025-06-01'],
    ]);
    expect(plan.histRawRanges.map(([a, b, sign]) => [a.toISOString(), b.toISOString(), sign])).toEqual([
      ['2025-04-01T00:00:00.000Z', '2025-04-01T04:00:00.000Z', -1],
      ['2025-07-01T00:00:00.000Z', '2025-07-01T04:00:00.000Z', 1],
    ]);
  });

  it('reads a window from 14:00 UTC on 1 April as April less its first day, plus ten hours', () => {
    // 1 Apr: 10 h inside (14:00-24:00), added; whole days from 2 Apr. To 1 Jun 00:00 UTC.
    // Whole UTC days 2 Apr .. 31 May = the months Apr..May less the day 1 Apr (its day histogram).
    const plan = planWindow(new Date('2025-04-01T14:00:00Z'), new Date('2025-06-01T00:00:00Z'));
    expect([plan.firstMonth, plan.endMonth, plan.subtractDays]).toEqual(['2025-04-01', '2025-06-01', ['2025-04-01']]);
    expect(plan.histRawRanges.map(([a, b, sign]) => [a.toISOString(), b.toISOString(), sign])).toEqual([
      ['2025-04-01T14:00:00.000Z', '2025-04-02T00:00:00.000Z', 1],
    ]);
  });

  it('covers February 2025 to April 2026 with the fewest whole periods', () => {
    // Neither 2025 (from February) nor 2026 (to April) is whole: fifteen months. Only a whole
    // calendar year is read as its yearly histogram.
    expect(coverMonths(new Date('2025-02-01T00:00:00Z'), new Date('2026-05-01T00:00:00Z'))).toEqual(
      ['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11',
       '2025-12', '2026-01', '2026-02', '2026-03', '2026-04'].map((m) => ['m', `${m}-01`]),
    );
    // December 2024 to January 2027: December, the years 2025 and 2026, January.
    expect(coverMonths(new Date('2024-12-01T00:00:00Z'), new Date('2027-02-01T00:00:00Z'))).toEqual([
      ['m', '2024-12-01'],
      ['y', '2025-01-01'],
      ['y', '2026-01-01'],
      ['m', '2027-01-01'],
    ]);
  });

  it('agrees with figures computed straight from the incidents, for random windows and filters', async () => {
    await fc.assert(
      fc.asyncProperty(anyWindowArb, filterArb, async (window, filters) => {
        await expectAgreement(dataSource, rollups, { ...window, ...filters });
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('agrees for random windows and filters when every percentile is exact', async () => {
    // With the limit above the 6 000 incidents, every window's percentiles come from the incident
    // rows: by the cells a filter picks, or (a source alone) by the source's own rows. The two
    // sources alternate, so a window that lost its source's scope would take in the other's
    // durations and miss the reference by far more than 1e-9.
    rollups.exactPercentileLimit = 50_000;
    try {
      await fc.assert(
        fc.asyncProperty(anyWindowArb, filterArb, async (window, filters) => {
          const got = await expectAgreement(dataSource, rollups, { ...window, ...filters });
          expect([got.mtrs.percentiles, got.mtta.percentiles]).toEqual(['exact', 'exact']);
        }),
        { numRuns: 60, seed: 11 },
      );
    } finally {
      rollups.exactPercentileLimit = 0;
    }
  });

  it('takes the histogram path with a subtracted day for whole months in a zone off UTC', async () => {
    const got = await expectAgreement(dataSource, rollups, { from: '2025-02-01', to: '2025-05-01', tz: 'America/St_Johns', category: 'network' });
    expect(got.mtrs.percentiles).toBe('histogram');
  });

  it('uses the histograms for a year with one filter and stays within 0.1 %', async () => {
    const got = await expectAgreement(dataSource, rollups, { from: '2025-01-01', to: '2026-01-01', tz: 'Asia/Kolkata', priority: 4 });
    expect(got.mtrs.percentiles).toBe('histogram');
    expect(got.mtrs.n).toBeGreaterThan(1000);
  });

  it('keeps yearly histograms for the source and priority levels only, and merges months for the rest', async () => {
    // Levels (sql: rollups.sql.ts): 7 source, 11 priority, 13 category, 14 assignment group.
    const grains: { level: number; grains: string[] }[] = await dataSource.query(
      `select k.level, array_agg(distinct h.grain::text order by h.grain::text) as grains
         from rollup_hist h join rollup_cell k on k.id = h.cell group by k.level order by k.level`,
    );
    expect(grains).toEqual([
      { level: 7, grains: ['d', 'm', 'y'] },
      { level: 11, grains: ['d', 'm', 'y'] },
      { level: 13, grains: ['d', 'm'] },
      { level: 14, grains: ['d', 'm'] },
    ]);
    // A whole UTC year with a category or an assignment group: twelve months merged, and still
    // within 0.1 % of the exact percentiles (expectAgreement).
    for (const f of [
      { from: '2025-01-01', to: '2026-01-01', tz: 'UTC', category: 'network' },
      { from: '2025-01-01', to: '2026-01-01', tz: 'UTC', assignmentGroup: 'group-01' },
    ]) {
      const got = await expectAgreement(dataSource, rollups, f);
      expect([got.mtrs.percentiles, got.mtta.percentiles]).toEqual(['histogram', 'histogram']);
      expect(got.mtrs.n).toBeGreaterThan(100);
    }
  });

  it('keeps a histogram for each UTC day at the source level, and for the month edges only at the others', async () => {
    // A day is a month edge when it is the 1st or the day after it is the 1st.
    const days: { level: number; other_days: number }[] = await dataSource.query(
      `select k.level, count(distinct h.period)::int as other_days
         from rollup_hist h join rollup_cell k on k.id = h.cell
        where h.grain = 'd' and extract(day from h.period) <> 1 and extract(day from h.period + 1) <> 1
        group by k.level order by k.level`,
    );
    expect(days.map((d) => d.level)).toEqual([7]);
    expect(days[0].other_days).toBeGreaterThan(300);
    // 15 March 2025 at the source level: one count per duration restored that UTC day, straight
    // from the incidents.
    const [{ want }] = await dataSource.query(
      `select count(*)::int as want from incident
        where restored_at >= '2025-03-15T00:00:00Z' and restored_at < '2025-03-16T00:00:00Z' and restored_at >= opened_at`,
    );
    const [{ got }] = await dataSource.query(
      `select coalesce(sum(h.n), 0)::int as got from rollup_hist h join rollup_cell k on k.id = h.cell
        where k.level = 7 and h.kind = 'r' and h.grain = 'd' and h.period = '2025-03-15'`,
    );
    expect(want).toBeGreaterThan(0);
    expect(got).toBe(want);
  });

  it('answers a window with no whole month and no filter from the day histograms', async () => {
    // Six Berlin weeks: 2025-03-03 00:00 +01:00 = 2 Mar 23:00Z, 2025-04-14 00:00 +02:00 = 13 Apr
    // 22:00Z. Whole UTC days 3 Mar .. 13 Apr (29 + 13 = 42 days, no whole month: March lacks its
    // first two days, April its last 17); the hour of 2 Mar is added from the rows and the last two
    // hours of 13 Apr taken away.
    const plan = planWindow(new Date('2025-03-02T23:00:00Z'), new Date('2025-04-13T22:00:00Z'));
    expect(plan.firstMonth).toBe(plan.endMonth);
    expect([plan.histDays.length, plan.histDays[0], plan.histDays[41]]).toEqual([42, '2025-03-03', '2025-04-13']);
    for (const f of [
      { from: '2025-03-03', to: '2025-04-14', tz: 'Europe/Berlin' },
      { from: '2025-03-03', to: '2025-04-14', tz: 'Europe/Berlin', source: 'alpha' },
    ]) {
      const got = await expectAgreement(dataSource, rollups, f);
      expect([got.mtrs.percentiles, got.mtta.percentiles]).toEqual(['histogram', 'histogram']);
    }
    // With a category the days come from the rows: only the source level keeps every day.
    const got = await expectAgreement(dataSource, rollups, { from: '2025-03-03', to: '2025-04-14', tz: 'Europe/Berlin', category: 'network' });
    expect(got.mtrs.percentiles).toBe('exact');
  });

  it('reads one stored histogram as it is for a whole UTC year or month with one filter', async () => {
    // 2025 in UTC is the yearly histogram of one cell, with no edges: read without merging.
    for (const f of [
      { from: '2025-01-01', to: '2026-01-01', tz: 'UTC', priority: 2 },
      { from: '2025-06-01', to: '2025-07-01', tz: 'UTC', category: 'network' },
      { from: '2025-01-01', to: '2026-01-01', tz: 'UTC', source: 'beta' },
    ]) {
      const got = await expectAgreement(dataSource, rollups, f);
      expect([got.mtrs.percentiles, got.mtta.percentiles]).toEqual(['histogram', 'histogram']);
    }
  });

  it('computes percentiles exactly when the window holds no more durations than the limit', async () => {
    rollups.exactPercentileLimit = 50_000;
    try {
      const got = await expectAgreement(dataSource, rollups, { from: '2025-01-01', to: '2026-01-01', tz: 'Asia/Kolkata', priority: 4 });
      // Fewer than 6 000 incidents in all, so at most 6 000 durations: exact.
      expect([got.mtrs.percentiles, got.mtta.percentiles]).toEqual(['exact', 'exact']);
    } finally {
      rollups.exactPercentileLimit = 0;
    }
  });

  it('moves changed incidents out of their old buckets on the next refresh', async () => {
    await changeIncidents(dataSource, 13);

    // Before the refresh the figures already reflect the changes: the changed incidents' recorded
    // contributions are swapped for their current ones at query time, also in the day histograms
    // (six Berlin weeks, and a UTC week, with no filter and with a source).
    for (const window of [
      { from: '2025-03-03', to: '2025-04-14', tz: 'Europe/Berlin' },
      { from: '2025-06-02', to: '2025-06-09', tz: 'UTC' },
    ]) {
      for (const filters of [{}, { source: 'beta' }]) {
        const got = await expectAgreement(dataSource, rollups, { ...window, ...filters });
        expect(got.mtrs.percentiles).toBe('histogram');
      }
    }
    await fc.assert(
      fc.asyncProperty(anyWindowArb, filterArb, async (window, filters) => {
        await expectAgreement(dataSource, rollups, { ...window, ...filters });
      }),
      { numRuns: 40, seed: 13 },
    );

    const { changed } = await rollups.refresh();
    expect(changed).toBeGreaterThan(100);

    await fc.assert(
      fc.asyncProperty(anyWindowArb, filterArb, async (window, filters) => {
        await expectAgreement(dataSource, rollups, { ...window, ...filters });
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('absorbs a mass change, whose SLA clocks are joined rather than probed, to the same figures', async () => {
    await changeIncidents(dataSource, 29);
    rollups.manyChanged = 0;
    try {
      expect((await rollups.refresh()).changed).toBeGreaterThan(100);
    } finally {
      rollups.manyChanged = 20_000;
    }
    await fc.assert(
      fc.asyncProperty(anyWindowArb, filterArb, async (window, filters) => {
        await expectAgreement(dataSource, rollups, { ...window, ...filters });
      }),
      { numRuns: 20, seed: 29 },
    );
  });

  it('refreshes nothing when nothing changed, and a rebuild gives the same counters', async () => {
    expect((await rollups.refresh()).changed).toBe(0);
    const snapshot = () =>
      dataSource.query(
        `select level, day, source_id, priority, category, assignment_group, opened, restored, mtrs_n, mtrs_seconds::float8 as mtrs_seconds,
                left_backlog, resolution_met
           from rollup_day join rollup_cell on id = cell
          where opened <> 0 or restored <> 0 or mtrs_n <> 0 or left_backlog <> 0 or resolution_met <> 0 or mtta_n <> 0
          order by 1, 2, 3, 4, 5, 6`,
      );
    const histograms = () =>
      dataSource.query(
        `select kind, level, grain, period, source_id, priority, category, assignment_group, bucket, n::int as n
           from rollup_hist join rollup_cell on id = cell where n <> 0 order by 1, 2, 3, 4, 5, 6, 7, 8, 9`,
      );
    // Each incident's record, with its cell by what it holds (a rebuild numbers cells anew).
    const contributions = () =>
      dataSource.query(
        `select c.*, k.level, k.source_id as cell_source, k.priority as cell_priority, k.category as cell_category,
                k.assignment_group as cell_group
           from rollup_contrib c join rollup_cell k on k.id = c.cell order by c.source_id, c.external_id`,
      ).then((rows: Record<string, unknown>[]) => rows.map(({ cell: _cell, ...rest }) => rest));
    const indexes = () =>
      dataSource.query(`select indexname, indexdef from pg_indexes where tablename = 'rollup_contrib' order by indexname`);
    const incremental = await snapshot();
    const incrementalHistograms = await histograms();
    const incrementalContributions = await contributions();
    const incrementalIndexes = await indexes();
    expect(incrementalIndexes).toHaveLength(5);
    // The rebuild takes the path of a first build after a big import: rollup_contrib's four
    // secondary indexes dropped, the records inserted, the indexes built again.
    rollups.rebuildContribIndexesFrom = 1;
    try {
      await rollups.rebuild();
    } finally {
      rollups.rebuildContribIndexesFrom = 100_000;
    }
    expect(await snapshot()).toEqual(incremental);
    // A rebuild sums years from its months; increments add to each grain directly.
    expect(await histograms()).toEqual(incrementalHistograms);
    expect(await contributions()).toEqual(incrementalContributions);
    expect(await indexes()).toEqual(incrementalIndexes);
  });

  it('reads the indexes a rebuild built again into shared buffers, every block of them', async () => {
    // CREATE INDEX writes its pages past the shared buffers; the refresh reads them in after.
    await dataSource.query('create extension if not exists pg_buffercache');
    const cached = () =>
      dataSource.query(
        `select c.relname as name, (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as blocks,
                (select count(*)::int from pg_buffercache b
                  where b.reldatabase = (select oid from pg_database where datname = current_database())
                    and b.relfilenode = pg_relation_filenode(c.oid)) as cached
           from pg_index x join pg_class c on c.oid = x.indexrelid
          where x.indrelid = 'rollup_contrib'::regclass and not x.indisprimary
          order by 1`,
      );
    rollups.rebuildContribIndexesFrom = 1;
    try {
      await rollups.rebuild();
    } finally {
      rollups.rebuildContribIndexesFrom = 100_000;
    }
    const indexes = await cached();
    // The four secondary indexes (sql/047, sql/050), each wholly cached: pages = blocks.
    expect(indexes).toHaveLength(4);
    for (const index of indexes) expect(index.cached, index.name).toBe(index.blocks);
    expect(Math.min(...indexes.map((i: { blocks: number }) => i.blocks))).toBeGreaterThan(1);
  });

  it('re-absorbs an incident whose stopped clock was recomputed, not one whose open clock was rechecked', async () => {
    const [open, stopped] = await dataSource.query(
      `select source_id, external_id from sla_evaluation
        where kind = 'resolution' and status in ('met', 'breached') and stopped_at is not null
        order by external_id limit 2`,
    );
    const key = 'source_id = $1 and external_id = $2';
    // The first clock becomes open with a change of its incident (as a reopening would), absorbed
    // through the incident's version: one incident.
    await dataSource.query(
      `update sla_evaluation set stopped_at = null, status = 'breached', computed_at = now() where kind = 'resolution' and ${key}`,
      [open.source_id, open.external_id],
    );
    await dataSource.query(`update incident set version = nextval('incident_version_seq') where ${key}`, [
      open.source_id,
      open.external_id,
    ]);
    expect((await rollups.refresh()).changed).toBe(1);
    // Ten minutes later the SLA engine rechecks the open breached clock: its elapsed time moved,
    // which counts nowhere in the rollups. Nothing to absorb.
    await dataSource.query(
      `update sla_evaluation set elapsed_minutes = elapsed_minutes + 10, computed_at = now() where kind = 'resolution' and ${key}`,
      [open.source_id, open.external_id],
    );
    expect((await rollups.refresh()).changed).toBe(0);
    // A policy change turns the second clock's verdict: its incident is absorbed again, one.
    await dataSource.query(
      `update sla_evaluation set status = case status when 'met' then 'breached' else 'met' end, computed_at = now()
        where kind = 'resolution' and ${key}`,
      [stopped.source_id, stopped.external_id],
    );
    expect((await rollups.refresh()).changed).toBe(1);
    const [record] = await dataSource.query(
      `select resolution_met, resolution_stopped_at is null as open from rollup_contrib where ${key}`,
      [stopped.source_id, stopped.external_id],
    );
    const [now] = await dataSource.query(`select status = 'met' as met from sla_evaluation where kind = 'resolution' and ${key}`, [
      stopped.source_id,
      stopped.external_id,
    ]);
    expect(record).toEqual({ resolution_met: now.met, open: false });
  });

  it('counts a deleted stopped clock out at once, and absorbs the deletion at the next refresh', async () => {
    const [gone] = await dataSource.query(
      `select source_id, external_id, stopped_at::text as stopped from sla_evaluation
        where kind = 'resolution' and status in ('met', 'breached') and stopped_at is not null
        order by external_id desc limit 1`,
    );
    // A window of the UTC day the clock stopped in, so the verdict is in it.
    const day = new Date(gone.stopped);
    const from = day.toISOString().slice(0, 10);
    const to = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1)).toISOString().slice(0, 10);
    const before = await expectAgreement(dataSource, rollups, { from, to });
    // What the SLA engine runs when a policy edit leaves the incident's priority without a target.
    await dataSource.query(DELETE_EVALUATIONS, [[gone.source_id], [gone.external_id], ['resolution']]);
    // Before any refresh: one verdict fewer, met or breached, as the incident rows say.
    const pending = await expectAgreement(dataSource, rollups, { from, to });
    const verdicts = (f: FiguresDto) => f.sla.resolution.met + f.sla.resolution.breached;
    expect(verdicts(pending)).toBe(verdicts(before) - 1);
    // The refresh absorbs that one incident, forgets the deletion, and the next finds nothing.
    expect((await rollups.refresh()).changed).toBe(1);
    expect((await dataSource.query('select count(*)::int as n from sla_evaluation_removed'))[0].n).toBe(0);
    expect((await rollups.refresh()).changed).toBe(0);
    expect(verdicts(await expectAgreement(dataSource, rollups, { from, to }))).toBe(verdicts(before) - 1);
  });

  it('compares recomputed clocks with the watermark to the microsecond', async () => {
    // A watermark at .000900 s and a clock recomputed at .000400 s, in the same millisecond and
    // before it: absorbed already. Read as a millisecond Date the watermark was .000, and the
    // clock counted as changed again.
    await dataSource.query(`update rollup_state set refreshed_at = '2030-01-01 00:00:00.0009+00'`);
    await dataSource.query(
      `update sla_evaluation set computed_at = '2030-01-01 00:00:00.0004+00'
        where (source_id, external_id, kind) in (select source_id, external_id, kind from sla_evaluation where stopped_at is not null limit 1)`,
    );
    expect((await rollups.refresh()).changed).toBe(0);
    // Back to a time in the past, so the tests after see no clock recomputed in the future.
    await dataSource.query(`update sla_evaluation set computed_at = now() - interval '1 day' where computed_at > now()`);
  });

  it('stays exact after a crash empties the unlogged rollups, and the next refresh rebuilds them', async () => {
    // What crash recovery leaves of unlogged tables: nothing, the watermark included.
    const unlogged: { relname: string }[] = await dataSource.query(
      `select relname from pg_class where relpersistence = 'u' and relkind = 'r' order by relname`,
    );
    expect(unlogged.map((r) => r.relname)).toEqual(['rollup_cell', 'rollup_contrib', 'rollup_day', 'rollup_hist', 'rollup_state']);
    await dataSource.query('truncate rollup_cell, rollup_day, rollup_hist, rollup_contrib, rollup_state');

    // Every incident counts as pending until the next refresh, so figures still equal the rows.
    await fc.assert(
      fc.asyncProperty(anyWindowArb, filterArb, async (window, filters) => {
        await expectAgreement(dataSource, rollups, { ...window, ...filters });
      }),
      { numRuns: 10, seed: 17 },
    );
    const [{ n }] = await dataSource.query('select count(*)::int as n from incident');
    expect((await rollups.refresh()).changed).toBe(n);
    expect((await rollups.refresh()).changed).toBe(0);
    await expectAgreement(dataSource, rollups, { from: '2025-01-01', to: '2026-01-01', tz: 'Asia/Kolkata', priority: 2 });
  });
});

describe('rollups on a hand-worked fixture', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let rollups: RollupsService;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ dataSource, rollups } = await openRollups(db.url));
    await dataSource.query(`insert into source (name) values ('s')`);
    await dataSource.query(
      `insert into incident (source_id, external_id, opened_at, restored_at, priority, reassignment_count, reopen_count, content_hash)
       select (select id from source), x.id, x.o::timestamptz, x.r::timestamptz, 3, x.rc, 0, 'h'
         from (values
           ('A', '2025-03-01T10:00:00Z', '2025-03-01T20:00:00Z', 0),  -- restored 01:30 on 2 Mar in Kolkata
           ('B', '2025-03-02T17:00:00Z', '2025-03-02T19:00:00Z', 1),  -- restored 00:30 on 3 Mar in Kolkata
           ('C', '2025-03-02T00:00:00Z', '2025-03-02T04:00:00Z', 0),  -- restored 09:30 on 2 Mar in Kolkata
           ('D', '2025-03-02T12:00:00Z', null, 0)                     -- still open
         ) as x (id, o, r, rc)`,
    );
    await rollups.refresh();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('counts 2 March in Asia/Kolkata by its local day', async () => {
    // Window: 2025-03-02 00:00 +05:30 .. 2025-03-03 00:00 +05:30 = [2025-03-01T18:30Z, 2025-03-02T18:30Z).
    // Restored in it: A (20:00Z on 1 Mar, TTR 10 h) and C (04:00Z, TTR 4 h); B (19:00Z) is after.
    // MTRS = (10 + 4) / 2 = 7 h; median = 7 h; p90 = 4 + 0.9 * (10 - 4) = 9.4 h; n = 2.
    // Opened in it: B (17:00Z), C (00:00Z), D (12:00Z) = 3; A opened 10:00Z on 1 Mar, before.
    // First time: A and C have no reassignment or reopen: 2 of 2.
    // Backlog at 18:30Z on 2 Mar: opened by then A, B, C, D; B restored 19:00Z is later, D open: 2.
    const got = await rollups.summary({ from: '2025-03-02', to: '2025-03-03', tz: 'Asia/Kolkata' });
    expect(got.mtrs).toEqual({ meanHours: 7, medianHours: 7, p90Hours: 9.4, n: 2, percentiles: 'exact' });
    expect(got.volume).toEqual({ opened: 3, restored: 2 });
    expect(got.firstTimeResolution.firstTime).toBe(2);
    expect(got.backlog.n).toBe(2);
  });
});

describe('rollups: a source filter that takes nothing away', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let rollups: RollupsService;
  const year = { from: '2025-01-01', to: '2026-01-01', tz: 'UTC' };

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ dataSource, rollups } = await openRollups(db.url));
    await loadGenerated(dataSource, 2_000, 99);
    // A third source whose 300 incidents alone have the category 'mainframe': incident k (1..300)
    // opens k hours after 1 March 2025 and is restored k hours later (TTR k h), all in March.
    await dataSource.query(`insert into source (name) values ('gamma')`);
    await dataSource.query(
      `insert into incident (source_id, external_id, opened_at, acknowledged_at, restored_at, priority, category, content_hash)
       select (select id from source where name = 'gamma'), 'G-' || k,
              timestamptz '2025-03-01 00:00Z' + k * interval '1 hour',
              timestamptz '2025-03-01 00:00Z' + k * interval '1 hour' + interval '30 minutes',
              timestamptz '2025-03-01 00:00Z' + 2 * k * interval '1 hour', 3, 'mainframe', 'test'
         from generate_series(1, 300) k`,
    );
    await rollups.refresh();
    // Histograms wherever a level keeps them.
    rollups.exactPercentileLimit = 0;
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('reads the other filter’s own level, with its histograms, when no other source matches it', async () => {
    // No incident of alpha or beta has the category 'mainframe', so gamma + mainframe is mainframe
    // alone: the category level's histograms answer, within 0.1 %.
    // TTR 1..300 h: n = 300, mean = (1 + 300) / 2 = 150.5 h, median = 150.5 h,
    // p90 = 1 + 0.9 * (300 - 1) = 270.1 h (percentile_cont).
    const got = await expectAgreement(dataSource, rollups, { ...year, source: 'gamma', category: 'mainframe' });
    expect(got.mtrs.percentiles).toBe('histogram');
    expect(got.mtrs.n).toBe(300);
    expect(got.mtrs.meanHours).toBeCloseTo(150.5, 9);
    expect(Math.abs(got.mtrs.medianHours! - 150.5) / 150.5).toBeLessThanOrEqual(0.001);
    expect(Math.abs(got.mtrs.p90Hours! - 270.1) / 270.1).toBeLessThanOrEqual(0.001);
    // With a second filter besides the source, the finest cells answer exactly, as before.
    const both = await expectAgreement(dataSource, rollups, { ...year, source: 'gamma', priority: 3, category: 'mainframe' });
    expect([both.mtrs.percentiles, both.mtrs.n]).toEqual(['exact', 300]);
  });

  it('keeps the source when another source matches the other filters', async () => {
    // alpha and beta both hold 'network' incidents (loadGenerated alternates the sources).
    const got = await expectAgreement(dataSource, rollups, { ...year, source: 'alpha', category: 'network' });
    expect(got.mtrs.percentiles).toBe('exact');
    // An unknown source matches nothing, whatever the others.
    const none = await expectAgreement(dataSource, rollups, { ...year, source: 'nowhere', category: 'mainframe' });
    expect([none.mtrs.n, none.volume.opened]).toEqual([0, 0]);
  });

  it('keeps the source of a series split by another dimension while other sources hold incidents', async () => {
    // March 2025 by category. gamma: its 300 'mainframe' incidents open (k hours after 1 March,
    // k = 1..300: by 13 March) and are restored (2k hours: by 26 March) in March. alpha and beta
    // hold incidents too, so gamma's series keeps its source: only 'mainframe', 300 and 300.
    const march = { dates: ['2025-03-01', '2025-04-01'], tz: 'UTC', by: 'category' as const };
    const counts = async (f: SeriesFilters) =>
      (await rollups.series(f)).rows.filter((r) => r.opened + r.restored > 0).map((r) => [r.key, r.opened, r.restored]);
    expect(await counts({ ...march, source: 'gamma' })).toEqual([['mainframe', 300, 300]]);
    // alpha's series by category holds its own categories only: none is 'mainframe'.
    const alpha = await counts({ ...march, source: 'alpha' });
    expect(alpha.length).toBeGreaterThan(1);
    expect(alpha.map(([key]) => key)).not.toContain('mainframe');
  });

  it('keeps the source when an incident of another source changed since the refresh matches them', async () => {
    // One beta incident in 'mainframe', not yet absorbed: the category alone would count it
    // (301), so the source stays and the finest cells answer, exactly; after the refresh beta
    // has a 'mainframe' cell of its own.
    await dataSource.query(
      `insert into incident (source_id, external_id, opened_at, restored_at, priority, category, content_hash)
       values ((select id from source where name = 'beta'), 'B-MAINFRAME', '2025-04-01T00:00Z', '2025-04-01T05:00Z', 3, 'mainframe', 'test')`,
    );
    for (const refreshed of [false, true]) {
      if (refreshed) await rollups.refresh();
      const got = await expectAgreement(dataSource, rollups, { ...year, source: 'gamma', category: 'mainframe' });
      expect([got.mtrs.percentiles, got.mtrs.n], `refreshed: ${refreshed}`).toEqual(['exact', 300]);
      // Without the source: 300 + 1 = 301.
      const all = await expectAgreement(dataSource, rollups, { ...year, category: 'mainframe' });
      expect(all.mtrs.n, `refreshed: ${refreshed}`).toBe(301);
    }
  });
});
