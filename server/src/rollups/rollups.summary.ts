import {
  ALL_LEVEL,
  contributionsOf,
  COUNTERS,
  DAY_HIST_LEVELS,
  DIMENSIONS,
  factsOf,
  HIST_KIND,
  HIST_LEVELS,
  KEPT_LEVELS,
  slaChangedSince,
  YEAR_HIST_LEVELS,
} from './rollups.sql';

/** The summary's filters as the rollups take them: the source already resolved to its id. */
export interface RollupFilters {
  sourceId?: number;
  priority?: number;
  category?: string;
  assignmentGroup?: string;
}

/**
 * A range [from, to) of instants read from the incident rows, added to what the rollups give
 * (sign 1) or taken away from it (sign -1).
 */
export type RawRange = [from: Date, to: Date, sign: 1 | -1];

/** How a window [from, to) of instants splits into what the rollups answer and what raw rows do. */
export interface WindowPlan {
  from: Date;
  to: Date;
  /** Whole UTC days [firstDay, endDay) read from rollup_day (empty when equal). */
  firstDay: string;
  endDay: string;
  /**
   * The window's partial days, read from the incident table: the part inside the window added,
   * or the part outside taken away from the whole day, whichever is shorter.
   */
  rawRanges: RawRange[];
  /**
   * The backlog at `to` (inclusive): rollup_day before `backlogDay`, then the rows between it and
   * `to`: added when `to` lies in the first half of its UTC day ([backlogDay, to], sign 1), else
   * taken away from that whole day ((to, backlogDay), sign -1).
   */
  backlogDay: Date;
  backlogSign: 1 | -1;
  /** Whole UTC months [firstMonth, endMonth) read from the histograms (empty when equal). */
  firstMonth: string;
  endMonth: string;
  /** Those months as whole UTC years and months: [grain, first day] pairs. */
  periods: ['y' | 'm', string][];
  /** First or last days of those months that lie outside the window: subtracted from them. */
  subtractDays: string[];
  /** What the histograms leave over, read from the incident table. */
  histRawRanges: RawRange[];
  /**
   * The whole UTC days of the window that no month covers (those histRawRanges reads beyond the
   * partial days): levels with a histogram for every day (DAY_HIST_LEVELS) read these instead.
   */
  histDays: string[];
}

const DAY_MS = 86_400_000;
const HALF_DAY_MS = DAY_MS / 2;

function utcDay(ms: number): Date {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS);
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Splits a window of instants into whole UTC days and months and the edges left over. A partial
 * day is read from the rows for the part inside the window when that is at most half the day,
 * else as the whole day from the rollups less the rows of the part outside: a local midnight an
 * hour off UTC reads one hour of rows at each end, not one hour and twenty-three (at 10 M
 * incidents, 1 100 rows instead of 27 000 a day).
 */
export function planWindow(from: Date, to: Date): WindowPlan {
  const f = from.getTime();
  const t = to.getTime();
  const fromDay = utcDay(f);
  const toDay = utcDay(t);
  const rawRanges: RawRange[] = [];
  let first: Date;
  let end: Date;
  if (fromDay.getTime() === toDay.getTime() && f !== fromDay.getTime()) {
    // Within one UTC day: the window itself, or the day less what lies before and after it.
    const next = new Date(toDay.getTime() + DAY_MS);
    if (t - f <= HALF_DAY_MS) {
      first = end = next;
      rawRanges.push([from, to, 1]);
    } else {
      [first, end] = [fromDay, next];
      rawRanges.push([fromDay, from, -1], [to, next, -1]);
    }
  } else {
    first = fromDay;
    if (f !== fromDay.getTime()) {
      const next = new Date(fromDay.getTime() + DAY_MS);
      if (next.getTime() - f <= HALF_DAY_MS) {
        first = next;
        rawRanges.push([from, next, 1]);
      } else {
        rawRanges.push([fromDay, from, -1]);
      }
    }
    end = toDay;
    if (t !== toDay.getTime()) {
      if (t - toDay.getTime() <= HALF_DAY_MS) {
        rawRanges.push([toDay, to, 1]);
      } else {
        end = new Date(toDay.getTime() + DAY_MS);
        rawRanges.push([to, end, -1]);
      }
    }
  }
  const backlogLate = t - toDay.getTime() > HALF_DAY_MS;
  const histogram = first < end ? planMonths(first, end) : null;
  const histDays = (histogram ? histogram.raw : first < end ? [[first, end]] : []).flatMap(([a, b]) => {
    const days: string[] = [];
    for (let day = a; day < b; day = addDays(day, 1)) days.push(isoDate(day));
    return days;
  });
  return {
    from,
    to,
    firstDay: isoDate(first),
    endDay: isoDate(end),
    rawRanges,
    backlogDay: backlogLate ? new Date(toDay.getTime() + DAY_MS) : toDay,
    backlogSign: backlogLate ? -1 : 1,
    firstMonth: histogram ? isoDate(histogram.first) : '0001-01-01',
    endMonth: histogram ? isoDate(histogram.end) : '0001-01-01',
    periods: histogram ? coverMonths(histogram.first, histogram.end) : [],
    subtractDays: histogram ? histogram.subtract.map(isoDate) : [],
    histRawRanges: histogram
      ? [...rawRanges, ...histogram.raw.map(([a, b]): RawRange => [a, b, 1])].sort((a, b) => a[0].getTime() - b[0].getTime())
      : [[from, to, 1]],
    histDays,
  };
}

/**
 * The incidents that left the backlog between backlogDay and a window's end `to`, inclusive, as
 * a signed count in SQL: added (sign 1) over [backlogDay, to], or taken away (sign -1) over
 * (to, backlogDay), each made half-open. One microsecond past `to` (timestamptz's resolution)
 * makes its inclusive end exclusive. An incident leaves at greatest(opened_at, restored_at): read
 * through the restored_at index (restored after opening) and the opened_at index (restored
 * before). `day`, `to` and `sign` are SQL expressions: bound parameters and a literal sign for
 * the summary, a row's columns for a series' buckets; with a literal sign PostgreSQL folds the
 * cases away, so the ranges stay index ranges.
 */
export function leftBacklogSql(scope: string, day: string, to: string, sign: string): string {
  const past = `(${to} + interval '1 microsecond')`;
  const lo = `(case when ${sign} = 1 then ${day} else ${past} end)`;
  const hi = `(case when ${sign} = 1 then ${past} else ${day} end)`;
  return `${sign} * (
             (select count(*) from incident i where ${scope} and i.opened_at >= ${lo} and i.opened_at < ${hi})
           - (select count(*) from incident i
               where ${scope} and i.restored_at >= ${lo} and i.restored_at < ${hi} and i.restored_at >= i.opened_at)
           - (select count(*) from incident i
               where ${scope} and i.opened_at >= ${lo} and i.opened_at < ${hi} and i.restored_at < i.opened_at))`;
}

/** Months [first, end) as the fewest whole UTC years (unless `years` is false) and months. */
export function coverMonths(first: Date, end: Date, years = true): ['y' | 'm', string][] {
  const periods: ['y' | 'm', string][] = [];
  let month = first;
  while (month < end) {
    if (years && month.getUTCMonth() === 0 && addMonths(month, 12) <= end) {
      periods.push(['y', isoDate(month)]);
      month = addMonths(month, 12);
    } else {
      periods.push(['m', isoDate(month)]);
      month = addMonths(month, 1);
    }
  }
  return periods;
}

const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const addMonths = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY_MS);

/**
 * Whole UTC days [first, end) as UTC months less at most their first or last day (kept as day
 * histograms), and raw day ranges where a month would need more; null when no month is left.
 */
function planMonths(first: Date, end: Date): { first: Date; end: Date; subtract: Date[]; raw: [Date, Date][] } | null {
  let firstMonth = monthStart(first);
  let endMonth = addMonths(monthStart(addDays(end, -1)), 1);
  const subtract: Date[] = [];
  const raw: [Date, Date][] = [];
  if (first.getTime() === addDays(firstMonth, 1).getTime()) {
    subtract.push(firstMonth);
  } else if (first > firstMonth) {
    const next = addMonths(firstMonth, 1);
    raw.push([first, next < end ? next : end]);
    firstMonth = next;
  }
  if (firstMonth >= endMonth) return null;
  if (end.getTime() === addDays(endMonth, -1).getTime()) {
    subtract.push(end);
  } else if (end < endMonth) {
    const last = addMonths(endMonth, -1);
    if (last >= firstMonth) {
      raw.push([last > first ? last : first, end]);
      endMonth = last;
    }
  }
  if (firstMonth >= endMonth) return null;
  return { first: firstMonth, end: endMonth, subtract, raw };
}

/** Bound parameters, numbered as they are added. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }

  /** A parameter added on first use only (PostgreSQL cannot type a parameter it never sees). */
  lazy(value: unknown, type: string): () => string {
    let ref: string | undefined;
    return () => (ref ??= this.add(value, type));
  }
}

export const FILTER_COLUMNS: Record<(typeof DIMENSIONS)[number], keyof RollupFilters> = {
  source_id: 'sourceId',
  priority: 'priority',
  category: 'category',
  assignment_group: 'assignmentGroup',
};

const NONE = '(none)';

const DIMENSION_TYPES: Record<(typeof DIMENSIONS)[number], string> = {
  source_id: 'integer',
  priority: 'smallint',
  category: 'text',
  assignment_group: 'text',
};

/** The cube level that keeps exactly the filtered dimensions (a set bit = rolled up). */
export function levelOf(filters: RollupFilters): number {
  return DIMENSIONS.reduce((level, dim, i) => (filters[FILTER_COLUMNS[dim]] === undefined ? level | (1 << (3 - i)) : level), 0);
}

/**
 * The kept level whose cells a query with these filters sums: the filtered dimension's own level
 * for one filter, the source level (all its cells) for none, the finest level for two or more.
 */
export function storedLevelOf(filters: RollupFilters): number {
  const level = levelOf(filters);
  if (level === 15) return ALL_LEVEL;
  return (KEPT_LEVELS as readonly number[]).includes(level) ? level : 0;
}

/** Whether the histograms these filters read hold every day (DAY_HIST_LEVELS). */
function readsDays(filters: RollupFilters): boolean {
  return (DAY_HIST_LEVELS as readonly number[]).includes(storedLevelOf(filters));
}

/**
 * Whether a source filter given with other filters takes nothing away from them: no incident of
 * another source matches the others, neither one the rollups hold (a finest cell of another
 * source matching them) nor one changed since their last refresh (`absorbedVersion`). Then the
 * source can be left out, and the others read from their own level, with its histograms, where
 * source and priority together would read the finest cells and exact percentiles: with one
 * source (the usual case), `source=...&priority=4` over a year at 10 M incidents sorted 4.9
 * million durations twice (6 s) for figures priority 4 alone answers from the histograms. A
 * cell left behind by incidents deleted or moved since only keeps the source (it is never
 * wrong to keep it). With `split`, for a series split by another dimension, a source alone is
 * asked about too (source and category read the finest cells; category alone its own level).
 * Null when there is nothing to ask: no source, or (without `split`) no other filter.
 */
export function sourceAddsNothingSql(
  filters: RollupFilters,
  absorbedVersion: string,
  split = false,
): { text: string; values: unknown[] } | null {
  const others: RollupFilters = { ...filters, sourceId: undefined };
  if (filters.sourceId === undefined || (levelOf(others) === 15 && !split)) return null;
  const p = new Params();
  const source = p.add(filters.sourceId, 'integer');
  return {
    text: `select not exists (select from rollup_cell k where k.level = 0 and k.source_id <> ${source} and ${scopeSql(p, others, 'k')})
              and not exists (select from incident i
                               where i.version > ${p.add(absorbedVersion, 'bigint')} and i.source_id <> ${source}
                                 and ${scopeSql(p, others, 'i')}) as adds_nothing`,
    values: p.values,
  };
}

/**
 * Whether percentiles come from the histograms (else exactly from the incident rows): with a
 * whole UTC month in the window, or a whole day at a level with every day's histogram.
 */
export function usesHistograms(plan: WindowPlan, filters: RollupFilters): boolean {
  if (readsDays(filters)) return plan.firstDay < plan.endDay;
  return plan.firstMonth < plan.endMonth && (HIST_LEVELS as readonly number[]).includes(storedLevelOf(filters));
}

/**
 * Whether exact percentiles read the window's incident rows (no filter, or a source alone: the
 * source level's cells, which keep every day's histogram, so the exact path reads at most the
 * exact limit) rather than the rollups' record of the matching finest cells.
 */
function exactFromRows(filters: RollupFilters): boolean {
  return storedLevelOf(filters) === ALL_LEVEL;
}

export interface SummaryOptions {
  /** Percentiles of windows with at most this many durations (of any filter) are exact. */
  exactPercentileLimit: number;
  /** The rollups' watermark: the last incident version and the time of their last refresh. */
  absorbedVersion: string;
  /** The watermark's time as text, to the microsecond. */
  absorbedAt: string | null;
  /** Whether any incident changed since (else the statement leaves out the corrections). */
  pending: boolean;
  /** The cells the filters read (cellsSql) and those of the source level (every incident). */
  cells: number[];
  allCells: number[];
  /** The finest cells that match the filters (none without a filter or with a source alone): exact percentiles read these. */
  finestCells: number[];
  /** false: leave out the medians and p90s (null), the costly part, for callers that need counts. */
  percentiles?: boolean;
}

/**
 * The ids of the cells a query with these filters sums: at most one filter reads its own level
 * (the source level's few cells for none), two or more the finest level's cells that match. Also
 * the source level's cells, and the finest cells that match any filter but a source alone (exact
 * percentiles read the rollups' record of those).
 */
export function cellsSql(filters: RollupFilters): { text: string; values: unknown[] } {
  const p = new Params();
  const finest = exactFromRows(filters)
    ? `'{}'::integer[]`
    : `(select coalesce(array_agg(id), '{}') from rollup_cell f where f.level = 0 and ${scopeSql(p, filters, 'f')})`;
  return {
    text: `select coalesce(array_agg(id), '{}') as cells,
                  (select coalesce(array_agg(id), '{}') from rollup_cell where level = ${ALL_LEVEL}) as all_cells,
                  ${finest} as finest_cells
             from rollup_cell k
            where k.level = ${p.add(storedLevelOf(filters), 'smallint')} and ${scopeSql(p, filters, 'k')}`,
    values: p.values,
  };
}

/** `column = value` as a parameter; '(none)', a series' key for missing values, also matches null. */
export function matchOf(p: Params, column: string, value: unknown): string {
  return value === NONE && (column.endsWith('category') || column.endsWith('assignment_group'))
    ? `(${column} = ${p.add(value, 'text')} or ${column} is null)`
    : `${column} = ${p.add(value, DIMENSION_TYPES[column.replace(/^\w+\./, '') as (typeof DIMENSIONS)[number]])}`;
}

/** The median and p90 (p50, p90) of the histogram that `rows` (bucket, n) holds, in one pass. */
const histPercentiles = (rows: string) => `
  select pct[1] as p50, pct[2] as p90
    from (select rollup_hist_percentiles(array_agg(bucket order by bucket), array_agg(n order by bucket), '{0.5,0.9}') as pct
            from (${rows}) h) x`;

/**
 * One statement that answers the summary's figures for a window, as of now: counters from
 * rollup_day for the whole days inside, corrected by the incidents changed since the last refresh
 * (their recorded contributions out, their current ones in); the incident table for the partial
 * days at the ends; the backlog as everything opened minus everything that left by `to`; and
 * percentiles exactly from the rows when the window holds few durations (or no histogram level
 * fits), else from the histograms plus the raw edges and the changed incidents.
 */
export function summarySql(
  plan: WindowPlan,
  filters: RollupFilters,
  options: SummaryOptions,
): { text: string; values: unknown[] } {
  const p = new Params();
  const rolled = `cell = any(${p.add(options.cells, 'integer[]')})`;
  // Without changes since the last refresh the corrections are left out: a smaller statement
  // plans in half the time.
  const pending = options.pending;
  const scopeOf = (alias: string) => scopeSql(p, filters, alias);
  const scope = scopeOf('i');
  // One index range scan per edge (union all) rather than OR'ed ranges, which PostgreSQL turns
  // into a bitmap scan that cannot be index-only. Each row carries its range's sign.
  const edge = (columns: string, column: string, ranges: RawRange[], extra = 'true') =>
    ranges.length === 0
      ? `(select 0 as sign, ${columns} from incident i where false) i`
      : `(${ranges
          .map(([a, b, sign]) => `select ${sign} as sign, ${columns} from incident i
             where ${scope} and ${extra} and ${column} >= ${p.add(a, 'timestamptz')} and ${column} < ${p.add(b, 'timestamptz')}`)
          .join(' union all ')}) i`;
  // The SLA clocks stopped in the edges, from the rollups' record of each incident (one index
  // range scan per kind and edge) plus the pending changes, as for the whole days.
  const slaEdges = (['resolution', 'response'] as const)
    .flatMap((kind) =>
      plan.rawRanges.flatMap(([a, b, rangeSign]) => {
        const [from, to] = [p.add(a, 'timestamptz'), p.add(b, 'timestamptz')];
        const stopped = (alias: string, sign: string) =>
          `select ${rangeSign} * ${sign} as sign, '${kind}' as kind, ${alias}.${kind}_met as met,
                  ${kind === 'resolution' ? `${alias}.source_sla_met` : 'null::boolean'} as source_sla_met
             from ${alias === 'c' ? 'rollup_contrib' : 'pending'} ${alias}
            where ${scopeOf(alias)} and ${alias}.${kind}_stopped_at >= ${from} and ${alias}.${kind}_stopped_at < ${to}`;
        return pending ? [stopped('c', '1'), stopped('d', 'd.sign')] : [stopped('c', '1')];
      }),
    )
    .concat(`select 0 as sign, 'none' as kind, null::boolean as met, null::boolean as source_sla_met where false`)
    .join('\n      union all\n      ');
  const restoredColumns = 'i.restored_at, i.opened_at, i.reassignment_count, i.reopen_count';
  const ackColumns = 'i.acknowledged_at, i.opened_at';

  const firstDay = p.add(plan.firstDay, 'date');
  const endDay = p.add(plan.endDay, 'date');
  const backlogDate = p.add(plan.backlogDay.toISOString().slice(0, 10), 'date');
  const to = p.add(plan.to, 'timestamptz');
  const from = p.add(plan.from, 'timestamptz');
  const ttr = 'extract(epoch from i.restored_at - i.opened_at)';
  const tta = 'extract(epoch from i.acknowledged_at - i.opened_at)';
  // Buckets from float seconds, exactly as the refresh computes them.
  const bucketOf = (column: string) => `rollup_bucket(date_part('epoch', ${column} - i.opened_at))`;

  // Durations for the exact percentiles as float seconds straight from the interval: the same
  // values as extract(epoch ...)::float8 (to the last bit for times in whole seconds), without a
  // numeric per row, which took a third of an exact percentile's time (59 000 durations: 20 ms).
  const secondsOf = (column: string, alias: string) => `date_part('epoch', ${column} - ${alias}.opened_at)`;
  const percentilesOf = (seconds: string, rows: string) =>
    `select percentile_cont(0.5) within group (order by ${seconds}) as p50,
            percentile_cont(0.9) within group (order by ${seconds}) as p90
       from ${rows}`;
  // Exact percentiles of the durations in the window. With no filter or a source alone, from the
  // incident rows of the window through the column's covering index, filtered by source: the
  // exact path reads at most the exact limit of them there (the source level keeps every day's
  // histogram), where the source's finest cells are thousands of index ranges (a week at 1 M
  // incidents: 3 244). With any other filter, from the rollups' record of the finest cells that
  // match it, one index range each, swapping the pending incidents' records for their current
  // facts: that reads the filter's own durations, where the covering index would be read for every
  // duration in the window and filtered (at 10 M incidents, six weeks in Europe/Berlin by
  // category, 17 such reads: 4.5 s), since their levels keep no day histograms.
  const finestCells = p.lazy(options.finestCells, 'integer[]');
  const exact = (column: string) => {
    if (exactFromRows(filters)) {
      return percentilesOf(
        secondsOf(column, 'i'),
        `incident i where ${scope} and ${column} >= ${from} and ${column} < ${to} and ${column} >= i.opened_at`,
      );
    }
    const at = column.replace(/^i\./, '');
    // The cells as a sub-select, so that the planner sees one value to be known when it runs: given
    // the array itself, it estimated each of its elements (3 244 finest cells for a source filter
    // at 1 M incidents), and planning the summary took 14-19 ms, of a 20-30 ms answer.
    const recorded = `select ${secondsOf(`c.${at}`, 'c')} as seconds
       from rollup_contrib c
      where c.cell = any((select ${finestCells()})::integer[]) and c.${at} >= ${from} and c.${at} < ${to} and c.${at} >= c.opened_at
        ${pending ? 'and not exists (select from pending_keys k where k.source_id = c.source_id and k.external_id = c.external_id)' : ''}`;
    // Built only when used: every parameter added must appear in the statement.
    const current = () => `select ${secondsOf(`d.${at}`, 'd')}
       from pending d
      where d.sign = 1 and ${scopeOf('d')} and d.${at} >= ${from} and d.${at} < ${to} and d.${at} >= d.opened_at`;
    return percentilesOf('seconds', `(${pending ? `${recorded} union all ${current()}` : recorded}) x`);
  };

  // The histograms' periods: whole years where the level keeps them, else their months; and at a
  // level with every day's histogram, the whole days no month covers, which the other levels read
  // from the rows.
  const days = readsDays(filters);
  const periods = [
    ...((YEAR_HIST_LEVELS as readonly number[]).includes(storedLevelOf(filters))
      ? plan.periods
      : plan.periods.flatMap(([grain, first]): ['y' | 'm', string][] =>
          grain === 'm' ? [[grain, first]] : coverMonths(new Date(first), addMonths(new Date(first), 12), false),
        )),
    ...(days ? plan.histDays.map((day): ['d', string] => ['d', day]) : []),
  ];
  const histRawRanges = days ? plan.rawRanges : plan.histRawRanges;
  const firstMonth = p.lazy(plan.firstMonth, 'date');
  const endMonth = p.lazy(plan.endMonth, 'date');
  const subtractDays = p.lazy(plan.subtractDays, 'date[]');
  // The pending changes in the days the histograms cover: every whole day of the window when
  // they hold every day, else the whole months less the days subtracted from them.
  const pendingCovered = (day: string) =>
    days
      ? `${day} >= ${firstDay} and ${day} < ${endDay}`
      : `${day} >= ${firstMonth()} and ${day} < ${endMonth()} and ${day} <> all(${subtractDays()})`;
  // One cell's one histogram with nothing to add or take away (a whole UTC year or month with one
  // filter, nothing pending): read in bucket order as stored, without merging (half the time).
  const single =
    options.cells.length === 1 &&
    periods.length === 1 &&
    plan.subtractDays.length === 0 &&
    histRawRanges.length === 0 &&
    !pending;
  const histogram = (kind: 'ttr' | 'tta', column: string) => {
    const at = column.replace(/^i\./, 'd.');
    const pendingDay = `(${at} at time zone 'UTC')::date`;
    if (single) {
      const [[grain, period]] = periods;
      return histPercentiles(`select bucket, n::bigint as n
                from rollup_hist
               where cell = ${p.add(options.cells[0], 'integer')} and kind = '${HIST_KIND[kind]}'
                 and grain = ${p.add(grain, '"char"')} and period = ${p.add(period, 'date')}`);
    }
    return histPercentiles(`select bucket, sum(n)::bigint as n
                      from (select bucket, n from rollup_hist
                             where kind = '${HIST_KIND[kind]}' and ${rolled}
                               and (grain, period) in (select * from unnest(${p.add(periods.map(([g]) => g), '"char"[]')}, ${p.add(periods.map(([, d]) => d), 'date[]')}))
                            union all
                            select bucket, -n from rollup_hist
                             where kind = '${HIST_KIND[kind]}' and ${rolled} and grain = 'd' and period = any(${subtractDays()})
                            union all
                            select ${bucketOf(column)}, i.sign
                              from ${edge(kind === 'ttr' ? restoredColumns : ackColumns, column, histRawRanges, `${column} >= i.opened_at`)}
                            ${
                              pending
                                ? `union all
                            -- Changes since the last refresh, in the periods the histograms cover.
                            select rollup_bucket(date_part('epoch', ${at} - d.opened_at)), d.sign
                              from pending d
                             where ${scopeOf('d')} and ${at} >= d.opened_at and ${pendingCovered(pendingDay)}`
                                : ''
                            }) x
                     group by bucket having sum(n) <> 0`);
  };
  // Exact from the rows when the window holds few durations of any filter (the rows a scan of it
  // reads, counted by the unfiltered level as of the last refresh), or when no histogram fits;
  // else from the histograms. The branch not taken is never executed (CASE runs subplans lazily).
  const hist = usesHistograms(plan, filters);
  const exactLimit = p.lazy(options.exactPercentileLimit, 'bigint');
  const spanColumn = { ttr: 'restored', tta: 'mtta_n' };
  const histogramUsed = (kind: 'ttr' | 'tta') =>
    hist && options.percentiles !== false ? `(select ${spanColumn[kind]} from span) > ${exactLimit()}` : 'false';
  // Without percentiles their CTEs go unreferenced, and PostgreSQL never runs them.
  const percentile = (kind: 'ttr' | 'tta', which: 'p50' | 'p90') =>
    options.percentiles === false
      ? 'null::float8'
      : hist
        ? `case when ${histogramUsed(kind)} then (select ${which} from ${kind}_hist) else (select ${which} from ${kind}_exact) end`
        : `(select ${which} from ${kind}_exact)`;

  const corrections = () => pendingSql(p, options, scopeOf);

  const text = `
    with${pending ? corrections() : ''}
    days as (
      select ${COUNTERS.map((c) => `coalesce(sum(${c}), 0) as ${c}`).join(', ')}
        from rollup_day where ${rolled} and day >= ${firstDay} and day < ${endDay}
    ),
    pending_in as (${
      pending
        ? `
      select ${COUNTERS.map((c) => `coalesce(sum(sign * ${c}), 0) as ${c}`).join(', ')}
        from pending_days where day >= ${firstDay} and day < ${endDay}`
        : `select ${COUNTERS.map((c) => `0 as ${c}`).join(', ')}`
    }
    ),
    before_to as (
      select (select coalesce(sum(opened), 0) - coalesce(sum(left_backlog), 0)
                from rollup_day where ${rolled} and day < ${backlogDate})
           + ${pending ? `(select coalesce(sum(sign * (opened - left_backlog)), 0) from pending_days where day < ${backlogDate})` : '0'}
             as backlog
    ),
    raw_opened as (
      select coalesce(sum(i.sign), 0) as opened from ${edge('i.opened_at', 'i.opened_at', plan.rawRanges)}
    ),
    raw_restored as (
      select coalesce(sum(i.sign), 0) as restored,
             coalesce(sum(i.sign) filter (where i.reassignment_count = 0 and i.reopen_count = 0), 0) as first_time,
             coalesce(sum(i.sign) filter (where i.reassignment_count > 0), 0) as escalated,
             coalesce(sum(i.sign) filter (where i.reopen_count > 0), 0) as reopened,
             coalesce(sum(i.sign) filter (where i.restored_at >= i.opened_at), 0) as mtrs_n,
             coalesce(sum(i.sign * ${ttr}) filter (where i.restored_at >= i.opened_at), 0) as mtrs_seconds
        from ${edge(restoredColumns, 'i.restored_at', plan.rawRanges)}
    ),
    raw_ack as (
      select coalesce(sum(i.sign), 0) as mtta_n, coalesce(sum(i.sign * ${tta}), 0) as mtta_seconds
        from ${edge(ackColumns, 'i.acknowledged_at', plan.rawRanges, 'i.acknowledged_at >= i.opened_at')}
    ),
    raw_backlog as (
      -- Added to, or taken away from, backlogDay's day before (backlogSign).
      select ${leftBacklogSql(scope, p.add(plan.backlogDay, 'timestamptz'), to, String(plan.backlogSign))} as backlog
    ),
    sla_edges as (
      ${slaEdges}
    ),
    raw_sla as (
      select coalesce(sum(sign) filter (where kind = 'resolution' and met), 0) as resolution_met,
             coalesce(sum(sign) filter (where kind = 'resolution' and not met), 0) as resolution_breached,
             coalesce(sum(sign) filter (where kind = 'response' and met), 0) as response_met,
             coalesce(sum(sign) filter (where kind = 'response' and not met), 0) as response_breached,
             coalesce(sum(sign) filter (where kind = 'resolution' and source_sla_met is not null), 0) as verdict_n,
             coalesce(sum(sign) filter (where kind = 'resolution' and source_sla_met), 0) as verdict_source_met,
             coalesce(sum(sign) filter (where kind = 'resolution' and source_sla_met = met), 0) as verdict_agree,
             coalesce(sum(sign) filter (where kind = 'resolution' and source_sla_met is not null and met), 0) as verdict_met
        from sla_edges
    ),
    totals as (
      select ${COUNTERS.map((c) => `d.${c} + pi.${c} as ${c}`).join(', ')}
        from days d, pending_in pi
    ),
    span as (
      select coalesce(sum(restored), 0) as restored, coalesce(sum(mtta_n), 0) as mtta_n
        from rollup_day
       where cell = any(${p.add(options.allCells, 'integer[]')}) and day >= ${firstDay} and day < ${endDay}
    ),
    ttr_exact as (${exact('i.restored_at')}),
    tta_exact as (${exact('i.acknowledged_at')})${
      usesHistograms(plan, filters)
        ? `,
    ttr_hist as (${histogram('ttr', 'i.restored_at')}),
    tta_hist as (${histogram('tta', 'i.acknowledged_at')})`
        : ''
    }
    select (t.opened + o.opened)::int as opened,
           (t.restored + r.restored)::int as restored,
           (t.first_time + r.first_time)::int as first_time,
           (t.escalated + r.escalated)::int as escalated,
           (t.reopened + r.reopened)::int as reopened,
           (t.mtrs_n + r.mtrs_n)::int as mtrs_n,
           ((t.mtrs_seconds + r.mtrs_seconds) / nullif(t.mtrs_n + r.mtrs_n, 0) / 3600)::float8 as mtrs_mean_hours,
           ${percentile('ttr', 'p50')} / 3600 as mtrs_median_hours,
           ${percentile('ttr', 'p90')} / 3600 as mtrs_p90_hours,
           ${histogramUsed('ttr')} as mtrs_histogram,
           (t.mtta_n + a.mtta_n)::int as mtta_n,
           ((t.mtta_seconds + a.mtta_seconds) / nullif(t.mtta_n + a.mtta_n, 0) / 3600)::float8 as mtta_mean_hours,
           ${percentile('tta', 'p50')} / 3600 as mtta_median_hours,
           ${percentile('tta', 'p90')} / 3600 as mtta_p90_hours,
           ${histogramUsed('tta')} as mtta_histogram,
           (bt.backlog + rb.backlog)::int as backlog,
           (t.resolution_met + s.resolution_met)::int as resolution_met,
           (t.resolution_breached + s.resolution_breached)::int as resolution_breached,
           (t.response_met + s.response_met)::int as response_met,
           (t.response_breached + s.response_breached)::int as response_breached,
           (t.verdict_n + s.verdict_n)::int as verdict_n,
           (t.verdict_source_met + s.verdict_source_met)::int as verdict_source_met,
           (t.verdict_agree + s.verdict_agree)::int as verdict_agree,
           (t.verdict_met + s.verdict_met)::int as verdict_met
      from totals t, before_to bt, raw_opened o, raw_restored r, raw_ack a, raw_backlog rb, raw_sla s`;
  return { text, values: p.values };
}

/** `alias.dim = value and ...` for the filters given, as parameters ('true' without filters). */
export function scopeSql(p: Params, filters: RollupFilters, alias: string): string {
  return DIMENSIONS.filter((dim) => filters[FILTER_COLUMNS[dim]] !== undefined)
    .map((dim) => matchOf(p, `${alias}.${dim}`, filters[FILTER_COLUMNS[dim]]))
    .concat('true')
    .join(' and ');
}

/**
 * The CTEs of the incidents changed since the last refresh (or whose stopped SLA clock was
 * recomputed or deleted): `pending_keys`, `pending` (their recorded contributions with sign -1,
 * their current facts with sign +1) and `pending_days` (what those add per UTC day, within the
 * filters). The rollups still hold what they contributed then; the current contributions replace
 * it. Each CTE ends with a comma.
 */
export function pendingSql(
  p: Params,
  options: { absorbedVersion: string; absorbedAt: string | null },
  scopeOf: (alias: string) => string,
): string {
  return `
    pending_keys as (
      select source_id, external_id from incident where version > ${p.add(options.absorbedVersion, 'bigint')}
      union
      select source_id, external_id from (${slaChangedSince(p.add(options.absorbedAt, 'timestamptz'))}) sla
    ),
    pending as materialized (
      select -1 as sign, c.*
        from rollup_contrib c
       where (c.source_id, c.external_id) in (select source_id, external_id from pending_keys)
      union all
      select 1, f.*
        from (${factsOf('(i.source_id, i.external_id) in (select source_id, external_id from pending_keys)')}) f
    ),
    pending_days as (
      select * from (${contributionsOf('pending')}) c where ${scopeOf('c')}
    ),`;
}
