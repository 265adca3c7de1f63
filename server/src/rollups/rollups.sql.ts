/**
 * The SQL of the rollups. Identifiers come only from the fixed lists below; every value is a
 * bound parameter.
 */

/** The counters of rollup_day, in table order. */
export const COUNTERS = [
  'opened',
  'restored',
  'first_time',
  'escalated',
  'reopened',
  'mtrs_n',
  'mtrs_seconds',
  'mtta_n',
  'mtta_seconds',
  'left_backlog',
  'resolution_met',
  'resolution_breached',
  'response_met',
  'response_breached',
  'verdict_n',
  'verdict_source_met',
  'verdict_agree',
  'verdict_met',
] as const;
export type Counter = (typeof COUNTERS)[number];

/** The four filters, in the order of the level bits (source is bit 3, assignment group bit 0). */
export const DIMENSIONS = ['source_id', 'priority', 'category', 'assignment_group'] as const;

/**
 * Levels kept (a set bit = that dimension rolled up): 0 (every dimension, the finest cells) and
 * those that keep exactly one dimension (7 source, 11 priority, 13 category, 14 assignment group).
 * A query with no filter sums the source level's cells (as few as there are sources); one with
 * two or more sums the level-0 cells that match. A full cube (16 levels) cost three times the rows
 * and writes for little gain (docs/performance.md).
 */
export const KEPT_LEVELS = [0, 7, 11, 13, 14] as const;
export const HIST_LEVELS = [7, 11, 13, 14] as const;
/**
 * Levels that also keep yearly histograms: source and priority, whose few cells answer a year's
 * percentiles from one histogram each (the headline question, a year by priority). A category's
 * or assignment group's year merges its twelve months, far smaller histograms; keeping their
 * years cost a refresh of 1 000 changes about 3 700 of its 14 500 histogram rows.
 */
export const YEAR_HIST_LEVELS = [7, 11] as const;
/** The level a query with no filter reads: every source's cells, summed. */
export const ALL_LEVEL = 7;

const LEVEL_SETS = '(source_id, priority, category, assignment_group), (source_id), (priority), (category), (assignment_group)';
const HIST_LEVEL_SETS = '(source_id), (priority), (category), (assignment_group)';

/** Histogram kinds as stored: time to restore and time to acknowledge. */
export const HIST_KIND = { ttr: 'r', tta: 'a' } as const;

/**
 * Joins relation `a` (with a level and the four dimensions, rolled-up ones null) to its cell `k`.
 * The coalesced equalities let PostgreSQL hash the join; the null-safe ones make it exact.
 */
const cellJoin = (a: string, k = 'k') => `join rollup_cell ${k} on ${k}.level = ${a}.level and ${sameDimensions(k, a)}`;

/** Cell `k` holds the dimensions of relation `a` (hashable, and exact for nulls). */
const sameDimensions = (k: string, a: string) =>
  `${DIMENSIONS.map((d) => `coalesce(${k}.${d}::text, '') = coalesce(${a}.${d}::text, '')`).join(' and ')}
     and ${DIMENSIONS.map((d) => `${k}.${d} is not distinct from ${a}.${d}`).join(' and ')}`;

/** Registers the cells the rows of `rows` fall in (at every kept level) that are new. */
const registerCells = (rows: string) => `
  insert into rollup_cell (level, ${DIMENSIONS.join(', ')})
  select grouping(${DIMENSIONS.join(', ')}), ${DIMENSIONS.join(', ')}
    from ${rows}
   group by grouping sets (${LEVEL_SETS})
  on conflict do nothing`;

/** Registers the cells the delta's rows fall in that are new. */
export const CELLS_SQL = registerCells('rollup_delta');

/**
 * A first build's (or rebuild's) cells, those of the changed incidents, registered before its
 * delta is made (FIRST_DELTA_SQL), so that each delta row carries its finest cell.
 */
export const FIRST_CELLS_SQL = registerCells('incident join rollup_changed using (source_id, external_id)');

/** The UTC day of a timestamptz expression. */
const day = (expr: string) => `((${expr}) at time zone 'UTC')::date`;

/**
 * The incidents the rollups re-absorb for their SLA clocks alone, keyed by source_id and
 * external_id: those with a stopped clock recomputed (a policy or calendar change can turn a
 * verdict) or deleted (an edit took away its target: sql/057) at or after `since`, an SQL
 * expression (a bound parameter). An open clock counts nowhere in the rollups, so its periodic
 * rechecks are left out; a clock starts or stops only when its incident changes, which its
 * version shows. Read through the partial index of sql/056 and the index of sql/057.
 */
export const slaChangedSince = (since: string) => `
  select source_id, external_id from sla_evaluation where stopped_at is not null and computed_at >= ${since}
  union all
  select source_id, external_id from sla_evaluation_removed where removed_at >= ${since}`;

/**
 * The incidents to absorb: changed since the watermark ($1), or whose stopped SLA clock was
 * recomputed or deleted since the last refresh ($2, e.g. after a policy change).
 */
export const CHANGED_SQL = `
  create temp table rollup_changed on commit drop as
  select source_id, external_id from incident where version > $1
  union
  select source_id, external_id from (${slaChangedSince('$2')}) sla where $2::timestamptz is not null`;

/** Deletions of stopped clocks absorbed by this refresh ($1: its start, the new watermark). */
export const FORGET_REMOVED_SQL = 'delete from sla_evaluation_removed where removed_at < $1';

/** Old contributions (sign -1) and new ones (sign +1) of the changed incidents. */
export const DELTA_SQL = `
  create temp table rollup_delta on commit drop as
  select -1 as sign, c.*
    from rollup_contrib c join rollup_changed using (source_id, external_id)
  union all
  select 1 as sign, f.*
    from rollup_changed ch
    cross join lateral (${factsOf('i.source_id = ch.source_id and i.external_id = ch.external_id')}) f`;

/** The columns of factsOf, in the order of rollup_contrib's. */
const FACT_COLUMNS = [
  'source_id',
  'external_id',
  'opened_at',
  'acknowledged_at',
  'restored_at',
  'priority',
  'category',
  'assignment_group',
  'reassignment_count',
  'reopen_count',
  'source_sla_met',
  'resolution_stopped_at',
  'resolution_met',
  'response_stopped_at',
  'response_met',
  'cell',
] as const;

/**
 * A first build's delta (the rollup tables are empty, so no old contributions): every changed
 * incident with its finest cell, registered by FIRST_CELLS_SQL. Setting the cells afterwards with
 * an update rewrote the whole temporary table (10 M rows at 10 M incidents), and every later scan
 * of it read both versions.
 */
export const FIRST_DELTA_SQL = `
  create temp table rollup_delta on commit drop as
  select 1 as sign, ${FACT_COLUMNS.map((c) => (c === 'cell' ? 'k.id as cell' : `f.${c}`)).join(', ')}
    from (select f.*
            from rollup_changed ch
            cross join lateral (${factsOf('i.source_id = ch.source_id and i.external_id = ch.external_id')}) f) f
    join rollup_cell k on k.level = 0 and ${sameDimensions('k', 'f')}`;

/**
 * An incident as the rollups see it (FACT_COLUMNS, those of rollup_contrib), for incidents
 * matching `where`; its cell is not known yet (null) until the refresh has registered it.
 */
export function factsOf(where: string): string {
  return `
    select i.source_id, i.external_id, i.opened_at, i.acknowledged_at, i.restored_at, i.priority,
           i.category, i.assignment_group, i.reassignment_count, i.reopen_count, i.source_sla_met,
           r.stopped_at as resolution_stopped_at, r.status = 'met' as resolution_met,
           s.stopped_at as response_stopped_at, s.status = 'met' as response_met, null::integer as cell
      from incident i
      left join sla_evaluation r
        on r.source_id = i.source_id and r.external_id = i.external_id and r.kind = 'resolution'
       and r.status in ('met', 'breached') and r.stopped_at is not null
      left join sla_evaluation s
        on s.source_id = i.source_id and s.external_id = i.external_id and s.kind = 'response'
       and s.status in ('met', 'breached') and s.stopped_at is not null
     where ${where}`;
}

/**
 * Each delta row's contributions, one row per (UTC day, what happened that day): opened,
 * restored (with first-time resolution and, when restored after opening, its duration),
 * acknowledged, left the backlog, SLA clocks stopped. Columns: sign, `keys` (the dimensions, or
 * the cell for a first build), day, COUNTERS (with `micros`, the sums of seconds in microseconds).
 * `delta` is a relation with a sign and the columns of rollup_contrib.
 *
 * One scan of the delta per kind of event, glued with union all: a lateral VALUES list of the six
 * rows per incident was ten times slower (PostgreSQL sets up a VALUES row's expressions again for
 * every outer row).
 */
export function contributionsOf(
  delta: string,
  { keys = 'd.source_id, d.priority, d.category, d.assignment_group', micros = false } = {},
): string {
  // Seconds as numeric, or (micros) as whole microseconds in a bigint: exact, since timestamps
  // hold microseconds, and summed in a fraction of the memory.
  const value = (c: Counter, expr: string | undefined) => {
    if (!c.endsWith('_seconds')) return expr ?? '0';
    if (!micros) return expr ?? '0::numeric';
    return expr === undefined ? '0::bigint' : `(${expr} * 1000000)::bigint`;
  };
  const event = (at: string, counters: Partial<Record<Counter, string>>, where: string) =>
    `select d.sign, ${keys}, ${day(at)} as day,
            ${COUNTERS.map((c) => `${value(c, counters[c])} as ${c}`).join(', ')}
       from ${delta} d where ${where}`;
  const restoredAfterOpening = 'd.restored_at >= d.opened_at';
  const ackedAfterOpening = 'd.acknowledged_at >= d.opened_at';
  return [
    event('d.opened_at', { opened: '1' }, 'true'),
    event(
      'd.restored_at',
      {
        restored: '1',
        first_time: '(d.reassignment_count = 0 and d.reopen_count = 0)::int',
        escalated: '(d.reassignment_count > 0)::int',
        reopened: '(d.reopen_count > 0)::int',
        mtrs_n: `(${restoredAfterOpening})::int`,
        mtrs_seconds: `case when ${restoredAfterOpening} then extract(epoch from d.restored_at - d.opened_at) else 0 end`,
      },
      'd.restored_at is not null',
    ),
    event(
      'd.acknowledged_at',
      {
        mtta_n: `(${ackedAfterOpening})::int`,
        mtta_seconds: `case when ${ackedAfterOpening} then extract(epoch from d.acknowledged_at - d.opened_at) else 0 end`,
      },
      'd.acknowledged_at is not null',
    ),
    // Keyed at greatest(opened_at, restored_at): a restoration before opening leaves at opening.
    event('greatest(d.opened_at, d.restored_at)', { left_backlog: '1' }, 'd.restored_at is not null'),
    event(
      'd.resolution_stopped_at',
      {
        resolution_met: 'd.resolution_met::int',
        resolution_breached: '(not d.resolution_met)::int',
        verdict_n: '(d.source_sla_met is not null)::int',
        verdict_source_met: 'coalesce(d.source_sla_met, false)::int',
        verdict_agree: 'coalesce(d.source_sla_met = d.resolution_met, false)::int',
        verdict_met: '(d.source_sla_met is not null and d.resolution_met)::int',
      },
      'd.resolution_stopped_at is not null',
    ),
    event(
      'd.response_stopped_at',
      { response_met: 'd.response_met::int', response_breached: '(not d.response_met)::int' },
      'd.response_stopped_at is not null',
    ),
  ].join('\n    union all\n    ');
}

/**
 * The signed rows of `rows` (a relation with a sign, the four dimensions and `columns`) with equal
 * ones summed into one (sign = how many, net) and those that cancel out dropped. A changed incident
 * mostly contributes what it did before (the same day opened, the same acknowledgement): its old
 * row (-1) and new one (+1) cancel here, once, instead of at each of the levels after.
 */
function netted(rows: string, columns: readonly string[]): string {
  const key = [...DIMENSIONS, ...columns].join(', ');
  return `select sum(sign)::int as sign, ${key} from (${rows}) r group by ${key} having sum(sign) <> 0`;
}

/**
 * Adds the delta's contributions to rollup_day at each kept level, in key order (an upsert in key
 * order touches each index page once; measured 20 % faster than in no order). A first build (the
 * tables empty) takes applyFirstDaySql instead.
 */
export function applyDaySql(): string {
  const contributions = contributionsOf('rollup_delta');
  return `
  insert into rollup_day (cell, day, ${COUNTERS.join(', ')})
  select k.id, a.day, ${COUNTERS.map((c) => `a.${c}`).join(', ')}
    from (
      select grouping(${DIMENSIONS.join(', ')}) as level, day, ${DIMENSIONS.join(', ')},
             ${COUNTERS.map((c) => `sum(sign * ${c}) as ${c}`).join(', ')}
        from (${netted(contributions, ['day', ...COUNTERS])}) c
       group by day, grouping sets (${LEVEL_SETS})
      having ${COUNTERS.map((c) => `sum(sign * ${c}) <> 0`).join(' or ')}
    ) a
    ${cellJoin('a')}
   order by k.id, a.day
  on conflict (cell, day) do update set
    ${COUNTERS.map((c) => `${c} = rollup_day.${c} + excluded.${c}`).join(',\n    ')}`;
}

/**
 * Each finest cell's cells at the one-dimension levels (7, 11, 13, 14): the cell with the same
 * value of that dimension.
 */
const PARENT_CELLS = DIMENSIONS.map(
  (d, i) => `
    select f.id as cell, k.id as parent
      from rollup_cell f
      join rollup_cell k on k.level = ${15 - (1 << (3 - i))}
       and coalesce(k.${d}::text, '') = coalesce(f.${d}::text, '') and k.${d} is not distinct from f.${d}
     where f.level = 0`,
).join('\n    union all');

/**
 * A first build's day counters (the tables are empty; the delta holds every incident once, with
 * its cell: FIRST_DELTA_SQL). Summed per finest cell and day first, keyed by the cell's id and
 * with durations in microseconds: keyed by the four dimensions and summing numeric seconds, that
 * aggregate held ~1 KB per group, and at 10 M incidents (1.1 M groups) PostgreSQL sorted its
 * 60 M rows on disk instead (303 s). The one-dimension levels are then sums of their finest
 * cells' rows.
 */
export function applyFirstDaySql(): string {
  // A cell's microseconds in one day stay far inside bigint; a sum past it would fail, not wrap.
  const sums = COUNTERS.map((c) => `sum(sign * ${c})${c.endsWith('_seconds') ? '::bigint' : ''} as ${c}`).join(', ');
  const seconds = (c: Counter) => (c.endsWith('_seconds') ? `${c} * 0.000001` : c);
  return `
  insert into rollup_day (cell, day, ${COUNTERS.join(', ')})
  with finest as (
    select cell, day, ${sums}
      from (${contributionsOf('rollup_delta', { keys: 'd.cell', micros: true })}) c
     group by cell, day
  )
  select cell, day, ${COUNTERS.map(seconds).join(', ')}
    from (
      select cell, day, ${COUNTERS.join(', ')} from finest
      union all
      select p.parent, f.day, ${COUNTERS.map((c) => `sum(f.${c})`).join(', ')}
        from finest f join (${PARENT_CELLS}) p on p.cell = f.cell
       group by p.parent, f.day
    ) a
   where ${COUNTERS.map((c) => `${c} <> 0`).join(' or ')}
   order by cell, day`;
}

/**
 * Adds the delta's durations to the histograms of the levels in HIST_LEVELS: per UTC month, per
 * UTC day for the first and last day of each month, and per UTC year for YEAR_HIST_LEVELS. `first` as for applyDaySql,
 * and then only months and days: HIST_YEARS_FROM_MONTHS_SQL sums the months into years.
 *
 * Each grain is one scan of the durations, glued with union all, as for the day counters: a
 * lateral VALUES list of the grains cost 5.7 of a first build's 21 s at 1 M incidents.
 */
export function applyHistSql(first: boolean): string {
  const durations = `
    select sign, '${HIST_KIND.ttr}'::"char" as kind, (restored_at at time zone 'UTC')::date as day,
           ${DIMENSIONS.join(', ')},
           rollup_bucket(date_part('epoch', restored_at - opened_at)) as bucket
      from rollup_delta where restored_at >= opened_at
    union all
    select sign, '${HIST_KIND.tta}'::"char", (acknowledged_at at time zone 'UTC')::date,
           ${DIMENSIONS.join(', ')},
           rollup_bucket(date_part('epoch', acknowledged_at - opened_at))
      from rollup_delta where acknowledged_at >= opened_at`;
  const grain = (name: string, period: string, where = 'true') =>
    `select sign, kind, '${name}'::"char" as grain, ${period} as period, ${DIMENSIONS.join(', ')}, bucket from d where ${where}`;
  const grains = [
    ...(first ? [] : [grain('y', `date_trunc('year', day)::date`)]),
    grain('m', `date_trunc('month', day)::date`),
    grain('d', 'day', 'extract(day from day) = 1 or extract(day from day + 1) = 1'),
  ];
  return `
  insert into rollup_hist (cell, kind, grain, period, bucket, n)
  with d as (${first ? durations : netted(durations, ['kind', 'day', 'bucket'])})
  select k.id, a.kind, a.grain, a.period, a.bucket, a.n
    from (
      select grouping(${DIMENSIONS.join(', ')}) as level, ${DIMENSIONS.join(', ')}, kind, grain, period, bucket,
             sum(sign) as n
        from (${grains.join('\n        union all\n        ')}) h
       group by kind, grain, period, bucket, grouping sets (${HIST_LEVEL_SETS})
      having sum(sign) <> 0
         and (grain <> 'y' or grouping(${DIMENSIONS.join(', ')}) in (${YEAR_HIST_LEVELS.join(', ')}))
    ) a
    ${cellJoin('a')}
   order by k.id, a.kind, a.grain, a.period, a.bucket
  ${first ? '' : 'on conflict (cell, kind, grain, period, bucket) do update set n = rollup_hist.n + excluded.n'}`;
}

/** A first build's yearly histograms (of YEAR_HIST_LEVELS), as sums of its monthly ones. */
export const HIST_YEARS_FROM_MONTHS_SQL = `
  insert into rollup_hist (cell, kind, grain, period, bucket, n)
  select cell, kind, 'y', date_trunc('year', period)::date, bucket, sum(n)
    from rollup_hist
   where grain = 'm' and cell in (select id from rollup_cell where level in (${YEAR_HIST_LEVELS.join(', ')}))
   group by cell, kind, date_trunc('year', period)::date, bucket
   order by 1, 2, 3, 4, 5`;

/** Replaces the changed incidents' recorded contributions with their current ones. */
export const REPLACE_CONTRIB_SQL = [
  `delete from rollup_contrib c using rollup_changed ch
    where c.source_id = ch.source_id and c.external_id = ch.external_id`,
  `insert into rollup_contrib
   select a.source_id, a.external_id, a.opened_at, a.acknowledged_at, a.restored_at, a.priority, a.category,
          a.assignment_group, a.reassignment_count, a.reopen_count, a.source_sla_met, a.resolution_stopped_at,
          a.resolution_met, a.response_stopped_at, a.response_met, k.id
     from (select 0 as level, d.* from rollup_delta d where sign = 1) a
     ${cellJoin('a')}`,
];
