import { leftBacklogSql, Params, pendingSql, planWindow, RollupFilters, scopeSql, storedLevelOf } from './rollups.summary';

/** The dimensions a series can be split by, as rollup columns. */
export type SeriesKey = 'priority' | 'category' | 'assignment_group';

const KEY_FILTER: Record<SeriesKey, keyof RollupFilters> = {
  priority: 'priority',
  category: 'category',
  assignment_group: 'assignmentGroup',
};

/**
 * The kept level whose cells a series sums: the level keeping the filtered dimensions and the
 * split, as storedLevelOf does for the summary (its own level for one, the finest for two or more).
 */
export function seriesLevelOf(filters: RollupFilters, by?: SeriesKey): number {
  return storedLevelOf(by ? { ...filters, [KEY_FILTER[by]]: '' } : filters);
}

/** A series' key of a row: the split column as text, '(none)' when missing; '' without a split. */
function keyOf(alias: string, by?: SeriesKey): string {
  return by ? `coalesce(${alias}.${by}::text, '(none)')` : `''`;
}

/** The cells a series reads (ids) and the key each one adds to. */
export function seriesCellsSql(filters: RollupFilters, by?: SeriesKey): { text: string; values: unknown[] } {
  const p = new Params();
  return {
    text: `select coalesce(array_agg(id order by id), '{}') as ids,
                  coalesce(array_agg(${keyOf('k', by)}::text order by id), '{}') as keys
             from rollup_cell k
            where k.level = ${p.add(seriesLevelOf(filters, by), 'smallint')} and ${scopeSql(p, filters, 'k')}`,
    values: p.values,
  };
}

export interface SeriesOptions {
  /** The rollups' watermark, and whether anything changed since (see SummaryOptions). */
  absorbedVersion: string;
  /** The watermark's time as text, to the microsecond. */
  absorbedAt: string | null;
  pending: boolean;
  /** The cells read and the key of each (seriesCellsSql). */
  ids: number[];
  keys: string[];
  by?: SeriesKey;
  /** Also the backlog at the end of each bucket (a series without a split only). */
  backlog: boolean;
}

/** One bucket's and key's counts, as the statement returns them. */
export interface SeriesRow {
  k: number;
  key: string;
  opened: number;
  restored: number;
  resolution_met: number;
  resolution_breached: number;
  response_met: number;
  response_breached: number;
}

const DAY_MS = 86_400_000;

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** The UTC days [first, end) as dates. */
function daysOf(first: string, end: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(first); t < Date.parse(end); t += DAY_MS) days.push(isoDate(new Date(t)));
  return days;
}

/**
 * One statement for the counts of a series of buckets [t_k, t_k+1) (`bounds`, instants), per
 * bucket and key, as of now: what summarySql does for one window, for every bucket at once. Whole
 * UTC days of a bucket come from rollup_day (mapped to their bucket by a day list), corrected
 * by the incidents changed since the last refresh; the partial days at a bucket's ends as the
 * summary's edges (planWindow): the rows inside added, or the whole day less the rows outside,
 * from the incident table (opened, restored) and from rollup_contrib (SLA clocks stopped). The
 * backlog at each bucket's end t_k+1 is everything opened minus everything that left before a
 * UTC day (a running sum over the days), corrected by the incident rows between that day and
 * t_k+1. Returns one row: `counts` (SeriesRow[], only rows with some count) and `backlog` (one
 * number per bucket, or null).
 */
export function seriesSql(bounds: Date[], filters: RollupFilters, options: SeriesOptions): { text: string; values: unknown[] } {
  const p = new Params();
  const { by, pending } = options;
  const scopeOf = (alias: string) => scopeSql(p, filters, alias);
  const plans = bounds.slice(1).map((to, k) => planWindow(bounds[k], to));

  const dayK: number[] = [];
  const dayList: string[] = [];
  const rangeK: number[] = [];
  const rangeFrom: Date[] = [];
  const rangeTo: Date[] = [];
  const rangeSign: number[] = [];
  plans.forEach((plan, k) => {
    for (const day of daysOf(plan.firstDay, plan.endDay)) {
      dayK.push(k);
      dayList.push(day);
    }
    for (const [a, b, sign] of plan.rawRanges) {
      rangeK.push(k);
      rangeFrom.push(a);
      rangeTo.push(b);
      rangeSign.push(sign);
    }
  });
  const ids = p.add(options.ids, 'integer[]');
  const zero = (n: number) => Array.from({ length: n }, () => '0').join(', ');
  const counterColumns = 'opened, restored, resolution_met, resolution_breached, response_met, response_breached';
  const key = (alias: string) => keyOf(alias, by);

  // The whole days, from the rollups and the pending corrections.
  const wholeDays = [
    `select b.k, c.key, sum(d.opened), sum(d.restored), sum(d.resolution_met), sum(d.resolution_breached),
            sum(d.response_met), sum(d.response_breached)
       from rollup_day d
       join unnest(${ids}, ${p.add(options.keys, 'text[]')}) as c (id, key) on c.id = d.cell
       join bucket_days b on b.day = d.day
      where d.cell = any(${ids})
      group by 1, 2`,
  ];
  if (pending) {
    wholeDays.push(
      `select b.k, ${key('d')}, sum(sign * opened), sum(sign * restored), sum(sign * resolution_met),
              sum(sign * resolution_breached), sum(sign * response_met), sum(sign * response_breached)
         from pending_days d join bucket_days b on b.day = d.day
        group by 1, 2`,
    );
  }
  // The partial days: each distinct range read once, then added to or taken away from the buckets
  // that use it (r.sign). A boundary off UTC gives the same range to the buckets on both sides of
  // it. Each range is its own aggregate over one index range (a lateral subquery, run once per
  // span): written as a join, PostgreSQL could not tell how few rows a span holds and, with a
  // filter, scanned the whole index once instead (at 10 M incidents, six weeks in Europe/Berlin
  // by week for one assignment group and priority: 4.7 s).
  const perSpan = (counters: string, from: string, at: string, alias: string) =>
    `select s.a, s.b, x.*
       from raw_spans s
       cross join lateral (
         select ${key(alias)} as key, ${counters}
           from ${from}
          where ${at} >= s.a and ${at} < s.b and ${scopeOf(alias)}
          group by 1) x`;
  const spans = [
    perSpan(`count(*), ${zero(5)}`, 'incident i', 'i.opened_at', 'i'),
    perSpan(`0, count(*), ${zero(4)}`, 'incident i', 'i.restored_at', 'i'),
  ];
  // SLA clocks stopped in the partial days: the rollups' record of each incident, with the pending
  // incidents' old records out and their current ones in (d.sign).
  for (const [alias, table, sign] of [['c', 'rollup_contrib', '1'], ...(pending ? [['d', 'pending', 'd.sign']] : [])]) {
    spans.push(
      perSpan(
        `0, 0, coalesce(sum(${sign}) filter (where ${alias}.resolution_met), 0),
                coalesce(sum(${sign}) filter (where not ${alias}.resolution_met), 0), 0, 0`,
        `${table} ${alias}`,
        `${alias}.resolution_stopped_at`,
        alias,
      ),
      perSpan(
        `${zero(4)}, coalesce(sum(${sign}) filter (where ${alias}.response_met), 0),
                coalesce(sum(${sign}) filter (where not ${alias}.response_met), 0)`,
        `${table} ${alias}`,
        `${alias}.response_stopped_at`,
        alias,
      ),
    );
  }
  const edges = [
    `select r.k, c.key, ${counterColumns
      .split(', ')
      .map((column) => `sum(r.sign * c.${column})`)
      .join(', ')}
       from span_counted c join raw_ranges r on r.a = c.a and r.b = c.b
      group by 1, 2`,
  ];

  const ctes = [
    `bucket_days (k, day) as (select * from unnest(${p.add(dayK, 'integer[]')}, ${p.add(dayList, 'date[]')}))`,
    `raw_ranges (k, a, b, sign) as (
      select * from unnest(${p.add(rangeK, 'integer[]')}, ${p.add(rangeFrom, 'timestamptz[]')}, ${p.add(rangeTo, 'timestamptz[]')},
                           ${p.add(rangeSign, 'integer[]')}))`,
    `raw_spans (a, b) as (select distinct a, b from raw_ranges)`,
    `span_counted (a, b, key, ${counterColumns}) as (
      ${spans.join('\n      union all\n      ')})`,
    `counted (k, key, ${counterColumns}) as (
      ${[...wholeDays, ...edges].join('\n      union all\n      ')})`,
    `totals as (
      select k, key, ${counterColumns.split(', ').map((c) => `sum(${c})::int as ${c}`).join(', ')}
        from counted group by k, key
      having ${counterColumns.split(', ').map((c) => `sum(${c}) <> 0`).join(' or ')})`,
  ];
  let backlog = 'null::int[]';
  if (options.backlog) {
    ctes.push(...backlogCtes(p, plans, ids, pending, scopeOf));
    backlog = `(select array_agg(n::int order by k) from backlog)`;
  }
  const text = `
    with${pending ? pendingSql(p, options, scopeOf) : ''}
    ${ctes.join(',\n    ')}
    select coalesce((select json_agg(t order by k, key) from totals t), '[]') as counts, ${backlog} as backlog`;
  return { text, values: p.values };
}

/**
 * The backlog at each bucket's end t (inclusive), as the summary's: opened minus left the backlog
 * over the UTC days before the plan's backlogDay (a running sum: the days before the first
 * bucket's, then each bucket's days since the previous one's), corrected by the pending changes,
 * plus or minus the rows between that day and t.
 */
function backlogCtes(
  p: Params,
  plans: ReturnType<typeof planWindow>[],
  ids: string,
  pending: boolean,
  scopeOf: (alias: string) => string,
): string[] {
  const days = plans.map((plan) => isoDate(plan.backlogDay));
  const dayK: number[] = [];
  const dayList: string[] = [];
  days.forEach((day, k) => {
    if (k === 0) return;
    for (const d of daysOf(days[k - 1], day)) {
      dayK.push(k);
      dayList.push(d);
    }
  });
  const first = p.add(days[0], 'date');
  const moves = [
    `select 0 as k, coalesce(sum(opened - left_backlog), 0) as n from rollup_day where cell = any(${ids}) and day < ${first}`,
    `select b.k, sum(d.opened - d.left_backlog) from rollup_day d join backlog_days b on b.day = d.day
      where d.cell = any(${ids}) group by 1`,
  ];
  if (pending) {
    moves.push(
      `select 0, coalesce(sum(sign * (opened - left_backlog)), 0) from pending_days where day < ${first}`,
      `select b.k, sum(sign * (d.opened - d.left_backlog)) from pending_days d join backlog_days b on b.day = d.day group by 1`,
    );
  }
  const scope = scopeOf('i');
  return [
    `backlog_days (k, day) as (select * from unnest(${p.add(dayK, 'integer[]')}, ${p.add(dayList, 'date[]')}))`,
    `backlog_edges (k, day, t, sign) as (
      select * from unnest(${p.add(
          plans.map((_, k) => k),
          'integer[]',
        )}, ${p.add(
          plans.map((plan) => plan.backlogDay),
          'timestamptz[]',
        )}, ${p.add(
          plans.map((plan) => plan.to),
          'timestamptz[]',
        )}, ${p.add(
          plans.map((plan) => plan.backlogSign),
          'integer[]',
        )}) as u (k, day, t, sign))`,
    `backlog_moves (k, n) as (
      ${moves.join('\n      union all\n      ')})`,
    // Left the backlog between t's day and t: as the summary's raw_backlog, per bucket.
    `backlog_edge_counts (k, n) as (
      select e.k, ${leftBacklogSql(scope, 'e.day', 'e.t', 'e.sign')} from backlog_edges e)`,
    // The day moves accumulate; a bucket's edge rows count for that bucket only.
    `backlog (k, n) as (
      select e.k, sum(coalesce(m.n, 0)) over (order by e.k) + e.n
        from backlog_edge_counts e
        left join (select k, sum(n) as n from backlog_moves group by k) m on m.k = e.k)`,
  ];
}
