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
/**
 * Levels that keep a histogram for every UTC day, not only the first and last of each month: the
 * source level, which a query with no filter reads. At 10 M incidents a week holds ~190 000
 * restorations, past the exact limit, and a window with no whole month inside otherwise read
 * every duration in it (six weeks in a zone off UTC: 1.9 s). A day's histogram at that level
 * holds a few thousand buckets; a refresh writes about two more rows per changed duration.
 */
export const DAY_HIST_LEVELS = [7] as const;
/** The level a query with no filter reads: every source's cells, summed. */
export const ALL_LEVEL = 7;

const LEVEL_SETS = '(source_id, priority, category, assignment_group), (source_id), (priority), (category), (assignment_group)';
const HIST_LEVEL_SETS = '(source_id), (priority), (category), (assignment_group)';

/** The dimensions a level keeps: those whose bit is clear. */
function keptBy(level: number): string[] {
  return DIMENSIONS.filter((_, i) => (level & (1 << (3 - i))) === 0);
}

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
 * The first day of the year or month of a date expression, and its day of the month, through
 * timestamp: date_trunc given a date as it is takes it as a timestamptz in the session's zone,
 * and extract from a date computes a numeric. Same result, a little less work (a first build's
 * histograms at 1 M incidents: 19.0-19.7 s before, 16.3-19.0 s after, in alternated rounds).
 */
const startOf = (unit: 'year' | 'month', date: string) => `date_trunc('${unit}', (${date})::timestamp)::date`;
const dayOfMonth = (date: string) => `date_part('day', (${date})::timestamp)`;

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
 * recomputed or deleted since the last refresh ($2, e.g. after a policy change). `by_version`
 * tells the first kind, whose current facts the delta reads by the version index it was found by.
 */
export const CHANGED_SQL = `
  create temp table rollup_changed on commit drop as
  select source_id, external_id, bool_or(by_version) as by_version
    from (select source_id, external_id, true as by_version from incident where version > $1
          union all
          select source_id, external_id, false from (${slaChangedSince('$2')}) sla where $2::timestamptz is not null) c
   group by source_id, external_id`;

/** Deletions of stopped clocks absorbed by this refresh ($1: its start, the new watermark). */
export const FORGET_REMOVED_SQL = 'delete from sla_evaluation_removed where removed_at < $1';

/**
 * Old contributions (sign -1) and new ones (sign +1) of the changed incidents; $1 is the
 * watermark's version, as for CHANGED_SQL. The incidents changed since it are read again by
 * their version, whose index scan just found them: their rows are fresh in memory, and a probe
 * of the primary key for each (a thousand random index pages in a refresh of 1 000 changes) is
 * saved. Only those changed for their SLA clocks alone are looked up by key. `probe` as for
 * factsOf: for a few changed incidents, not for a mass change (a policy edit), whose clocks a
 * hash join reads faster.
 */
export const deltaSql = (probe: boolean) => `
  create temp table rollup_delta on commit drop as
  select -1 as sign, c.*, c.ctid as old_ctid
    from rollup_contrib c join rollup_changed using (source_id, external_id)
  union all
  select 1 as sign, f.*, null::tid
    from (${factsOf('i.version > $1', { probe })}) f
  union all
  select 1 as sign, f.*, null::tid
    from rollup_changed ch
    cross join lateral (${factsOf('i.source_id = ch.source_id and i.external_id = ch.external_id', { probe })}) f
   where not ch.by_version`;

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
  select 1 as sign, ${FACT_COLUMNS.map((c) => (c === 'cell' ? 'k.id as cell' : `f.${c}`)).join(', ')}, null::tid as old_ctid
    from (select f.*
            from rollup_changed ch
            cross join lateral (${factsOf('i.source_id = ch.source_id and i.external_id = ch.external_id')}) f) f
    join rollup_cell k on k.level = 0 and ${sameDimensions('k', 'f')}`;

/**
 * An incident as the rollups see it (FACT_COLUMNS, those of rollup_contrib), for incidents
 * matching `where`; its cell is not known yet (null) until the refresh has registered it.
 *
 * Its two SLA clocks are joined (hashable: for many incidents), or with `probe` read per incident
 * in one range of sla_evaluation's key, both kinds at once: for the few incidents of a refresh,
 * one index descent instead of two (at 1 M incidents, a refresh's delta of 1 000 changes took
 * 41-55 ms before, 39-50 after, in alternated rounds).
 */
export function factsOf(where: string, { probe = false } = {}): string {
  // sla_evaluation's key is (source_id, external_id, kind): each filter below sees at most one
  // row, so max() and bool_or() just pick its value (null when there is none).
  const verdicts = probe
    ? `left join lateral (
        select max(e.stopped_at) filter (where e.kind = 'resolution') as resolution_stopped_at,
               bool_or(e.status = 'met') filter (where e.kind = 'resolution') as resolution_met,
               max(e.stopped_at) filter (where e.kind = 'response') as response_stopped_at,
               bool_or(e.status = 'met') filter (where e.kind = 'response') as response_met
          from sla_evaluation e
         where e.source_id = i.source_id and e.external_id = i.external_id
           and e.status in ('met', 'breached') and e.stopped_at is not null) v on true`
    : `left join (
        select r.source_id, r.external_id, r.stopped_at as resolution_stopped_at, r.status = 'met' as resolution_met
          from sla_evaluation r
         where r.kind = 'resolution' and r.status in ('met', 'breached') and r.stopped_at is not null) r
        on r.source_id = i.source_id and r.external_id = i.external_id
      left join (
        select s.source_id, s.external_id, s.stopped_at as response_stopped_at, s.status = 'met' as response_met
          from sla_evaluation s
         where s.kind = 'response' and s.status in ('met', 'breached') and s.stopped_at is not null) s
        on s.source_id = i.source_id and s.external_id = i.external_id`;
  return `
    select i.source_id, i.external_id, i.opened_at, i.acknowledged_at, i.restored_at, i.priority,
           i.category, i.assignment_group, i.reassignment_count, i.reopen_count, i.source_sla_met,
           resolution_stopped_at, resolution_met, response_stopped_at, response_met, null::integer as cell
      from incident i
      ${verdicts}
     where ${where}`;
}

/**
 * What happened to an incident on a UTC day, as an event row: `event` says what, `flags` holds
 * its yes-or-no facts as bits and `secs` its duration. Every counter of rollup_day is a test on
 * these rows (COUNTER_EVENTS), so each event has one definition, read three ways: per row
 * (contributionsOf), summed per cell and day (a first build), and netted then summed (a refresh).
 */
const EVENT = {
  opened: 'o',
  /** Bits: 1 first-time resolution, 2 escalated, 4 reopened, 8 restored after opening (has a duration). */
  restored: 'r',
  /** Bits: 1 acknowledged after opening (has a duration). */
  acknowledged: 'a',
  /** Restored, keyed at greatest(opened_at, restored_at): a restoration before opening leaves at opening. */
  leftBacklog: 'l',
  /** Bits: 1 met, 2 the source gave a verdict, 4 the source said met, 8 the two agree, 16 met with a source verdict. */
  resolution: 's',
  /** Bits: 1 met. */
  response: 'p',
} as const;
type EventCode = (typeof EVENT)[keyof typeof EVENT];

/** Each counter as a test on an event row: its event, one bit of its flags set (or clear), or its seconds. */
const COUNTER_EVENTS: Record<Counter, { event: EventCode; bit?: number; clear?: true; seconds?: true }> = {
  opened: { event: EVENT.opened },
  restored: { event: EVENT.restored },
  first_time: { event: EVENT.restored, bit: 1 },
  escalated: { event: EVENT.restored, bit: 2 },
  reopened: { event: EVENT.restored, bit: 4 },
  mtrs_n: { event: EVENT.restored, bit: 8 },
  mtrs_seconds: { event: EVENT.restored, seconds: true },
  mtta_n: { event: EVENT.acknowledged, bit: 1 },
  mtta_seconds: { event: EVENT.acknowledged, seconds: true },
  left_backlog: { event: EVENT.leftBacklog },
  resolution_met: { event: EVENT.resolution, bit: 1 },
  resolution_breached: { event: EVENT.resolution, bit: 1, clear: true },
  response_met: { event: EVENT.response, bit: 1 },
  response_breached: { event: EVENT.response, bit: 1, clear: true },
  verdict_n: { event: EVENT.resolution, bit: 2 },
  verdict_source_met: { event: EVENT.resolution, bit: 4 },
  verdict_agree: { event: EVENT.resolution, bit: 8 },
  verdict_met: { event: EVENT.resolution, bit: 16 },
};

/** Whether an event row counts towards counter `c`. */
function countsTowards(c: Counter): string {
  const { event, bit, clear } = COUNTER_EVENTS[c];
  return `event = '${event}'${bit === undefined ? '' : ` and flags & ${bit} ${clear ? '=' : '<>'} 0`}`;
}

/**
 * Counter `c` summed over event rows, each counted `n` times (a signed count): the rows' seconds
 * for a sum of durations, else how many count towards it.
 */
function summed(c: Counter, n: string): string {
  return `coalesce(sum(${n}${COUNTER_EVENTS[c].seconds ? ' * secs' : ''}) filter (where ${countsTowards(c)}), 0)`;
}

/**
 * Each delta row's events, one row per (UTC day, what happened that day): sign, the `keys`
 * columns of the delta (the dimensions, or the cell for a first build), day, event, flags and
 * secs, the duration in seconds (numeric), or with `micros` in whole microseconds (a bigint:
 * exact, since timestamps hold microseconds, and summed in a fraction of the memory); 0 where
 * there is none. `delta` is a relation with a sign and the columns of rollup_contrib.
 *
 * One scan of the delta per kind of event, glued with union all: a lateral VALUES list of the six
 * rows per incident was ten times slower (PostgreSQL sets up a VALUES row's expressions again for
 * every outer row).
 */
function eventsOf(delta: string, { keys, micros }: { keys: readonly string[]; micros: boolean }): string {
  const duration = (from: string, to: string) => {
    const seconds = `extract(epoch from ${to} - ${from})`;
    return `case when ${to} >= ${from} then ${micros ? `(${seconds} * 1000000)::bigint` : seconds} else 0 end`;
  };
  const none = micros ? '0::bigint' : '0::numeric';
  const bits = (...tests: string[]) =>
    tests.map((test, i) => `case when ${test} then ${1 << i} else 0 end`).join(' | ');
  const event = (code: EventCode, at: string, flags: string, secs: string, where: string) =>
    `select d.sign, ${keys.map((k) => `d.${k}`).join(', ')}, ${day(at)} as day, '${code}'::"char" as event,
            ${flags} as flags, ${secs} as secs
       from ${delta} d where ${where}`;
  return [
    event(EVENT.opened, 'd.opened_at', '0', none, 'true'),
    event(
      EVENT.restored,
      'd.restored_at',
      bits(
        'd.reassignment_count = 0 and d.reopen_count = 0',
        'd.reassignment_count > 0',
        'd.reopen_count > 0',
        'd.restored_at >= d.opened_at',
      ),
      duration('d.opened_at', 'd.restored_at'),
      'd.restored_at is not null',
    ),
    event(
      EVENT.acknowledged,
      'd.acknowledged_at',
      bits('d.acknowledged_at >= d.opened_at'),
      duration('d.opened_at', 'd.acknowledged_at'),
      'd.acknowledged_at is not null',
    ),
    event(EVENT.leftBacklog, 'greatest(d.opened_at, d.restored_at)', '0', none, 'd.restored_at is not null'),
    event(
      EVENT.resolution,
      'd.resolution_stopped_at',
      bits(
        'd.resolution_met',
        'd.source_sla_met is not null',
        'd.source_sla_met',
        'd.source_sla_met = d.resolution_met',
        'd.source_sla_met is not null and d.resolution_met',
      ),
      none,
      'd.resolution_stopped_at is not null',
    ),
    event(EVENT.response, 'd.response_stopped_at', bits('d.response_met'), none, 'd.response_stopped_at is not null'),
  ].join('\n    union all\n    ');
}

/**
 * Each delta row's contributions, one row per (UTC day, what happened that day), with every
 * counter as a column: sign, the dimensions, day, COUNTERS. `delta` as for eventsOf.
 */
export function contributionsOf(delta: string): string {
  const counter = (c: Counter) =>
    COUNTER_EVENTS[c].seconds ? `case when ${countsTowards(c)} then secs else 0 end` : `(${countsTowards(c)})::int`;
  return `
    select sign, ${DIMENSIONS.join(', ')}, day, ${COUNTERS.map((c) => `${counter(c)} as ${c}`).join(', ')}
      from (${eventsOf(delta, { keys: DIMENSIONS, micros: false })}) e`;
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
 *
 * A changed incident mostly contributes what it did before (the same day opened, the same
 * acknowledgement): its old event (-1) and new one (+1) cancel when the events are netted, once,
 * before the levels. Netting narrow event rows, then summing each counter from them, took a
 * sixth less time than netting a row with every counter per event (52-55 to 44-46 ms for
 * 1 000 changes at 1 M incidents).
 */
export function applyDaySql(): string {
  const events = eventsOf('rollup_delta', { keys: DIMENSIONS, micros: false });
  const key = `${DIMENSIONS.join(', ')}, day, event, flags, secs`;
  return `
  insert into rollup_day (cell, day, ${COUNTERS.join(', ')})
  select k.id, a.day, ${COUNTERS.map((c) => `a.${c}`).join(', ')}
    from (
      select grouping(${DIMENSIONS.join(', ')}) as level, day, ${DIMENSIONS.join(', ')},
             ${COUNTERS.map((c) => `${summed(c, 'n')} as ${c}`).join(', ')}
        from (select sum(sign)::int as n, ${key} from (${events}) e group by ${key} having sum(sign) <> 0) e
       group by day, grouping sets (${LEVEL_SETS})
    ) a
    ${cellJoin('a')}
   where ${COUNTERS.map((c) => `a.${c} <> 0`).join(' or ')}
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
  const sums = COUNTERS.map((c) => `${summed(c, 'sign')}${c.endsWith('_seconds') ? '::bigint' : ''} as ${c}`).join(', ');
  const seconds = (c: Counter) => (c.endsWith('_seconds') ? `${c} * 0.000001` : c);
  return `
  insert into rollup_day (cell, day, ${COUNTERS.join(', ')})
  with finest as (
    select cell, day, ${sums}
      from (${eventsOf('rollup_delta', { keys: ['cell'], micros: true })}) e
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
 * UTC day for the first and last day of each month (every day for DAY_HIST_LEVELS), and per UTC
 * year for YEAR_HIST_LEVELS. `first` as for applyDaySql, and then only months and days:
 * HIST_YEARS_FROM_MONTHS_SQL sums the months into years.
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
  const monthEdge = `${dayOfMonth('day')} = 1 or ${dayOfMonth('day + 1')} = 1`;
  const grains = [
    ...(first ? [] : [grain('y', startOf('year', 'day'))]),
    grain('m', startOf('month', 'day')),
    grain('d', 'day', monthEdge),
  ];
  const level = `grouping(${DIMENSIONS.join(', ')})`;
  // The other days, for DAY_HIST_LEVELS alone: grouped apart, at those levels only, since at every
  // level they would make a first build aggregate a group per cell, day and bucket.
  const otherDays = DAY_HIST_LEVELS.map((dayLevel) => {
    const kept = keptBy(dayLevel);
    return `
      select ${dayLevel}, ${DIMENSIONS.map((dim) => (kept.includes(dim) ? dim : 'null')).join(', ')}, kind, grain, period, bucket, sum(sign)
        from (${grain('d', 'day', `not (${monthEdge})`)}) h
       group by kind, grain, period, bucket, ${kept.join(', ')}
      having sum(sign) <> 0`;
  }).join('\n      union all');
  return `
  insert into rollup_hist (cell, kind, grain, period, bucket, n)
  with d as (${first ? durations : netted(durations, ['kind', 'day', 'bucket'])})
  select k.id, a.kind, a.grain, a.period, a.bucket, a.n
    from (
      select ${level} as level, ${DIMENSIONS.join(', ')}, kind, grain, period, bucket, sum(sign) as n
        from (${grains.join('\n        union all\n        ')}) h
       group by kind, grain, period, bucket, grouping sets (${HIST_LEVEL_SETS})
      having sum(sign) <> 0
         and (grain <> 'y' or ${level} in (${YEAR_HIST_LEVELS.join(', ')}))
      union all${otherDays}
    ) a
    ${cellJoin('a')}
   order by k.id, a.kind, a.grain, a.period, a.bucket
  ${first ? '' : 'on conflict (cell, kind, grain, period, bucket) do update set n = rollup_hist.n + excluded.n'}`;
}

/** A first build's yearly histograms (of YEAR_HIST_LEVELS), as sums of its monthly ones. */
export const HIST_YEARS_FROM_MONTHS_SQL = `
  insert into rollup_hist (cell, kind, grain, period, bucket, n)
  select cell, kind, 'y', ${startOf('year', 'period')}, bucket, sum(n)
    from rollup_hist
   where grain = 'm' and cell in (select id from rollup_cell where level in (${YEAR_HIST_LEVELS.join(', ')}))
   group by cell, kind, ${startOf('year', 'period')}, bucket
   order by 1, 2, 3, 4, 5`;

/**
 * Reads the indexes named in $1 (rollup_contrib's, just built again) into shared buffers with
 * pg_prewarm (sql/064), when together they fill at most half of them; the blocks read.
 * CREATE INDEX writes its pages past the shared buffers, so each later small refresh read most
 * of the index leaves it inserts into from the operating system, one page at a time (1 000
 * changes at 1 M incidents: their records' insert took 45-65 ms with its indexes cold, 29-31 ms
 * warm). One sequential read of 4 indexes costs about a tenth of a second per million rows.
 */
export const WARM_INDEXES_SQL = `
  with i as (select to_regclass(quote_ident(name)) as oid from unnest($1::text[]) name)
  select coalesce(sum(pg_prewarm(i.oid)), 0)::bigint::text as blocks
    from i
   where (select sum(pg_relation_size(oid)) from i) <= pg_size_bytes(current_setting('shared_buffers')) / 2`;

/** Whether pg_prewarm is installed (sql/064 creates it where the server has it and allows it). */
export const CAN_WARM_SQL = `select exists (select from pg_extension where extname = 'pg_prewarm') as ok`;

/** Replaces the changed incidents' recorded contributions with their current ones. */
export const REPLACE_CONTRIB_SQL = [
  `delete from rollup_contrib c using rollup_delta d where d.sign = -1 and c.ctid = d.old_ctid`,
  `insert into rollup_contrib
   select a.source_id, a.external_id, a.opened_at, a.acknowledged_at, a.restored_at, a.priority, a.category,
          a.assignment_group, a.reassignment_count, a.reopen_count, a.source_sla_met, a.resolution_stopped_at,
          a.resolution_met, a.response_stopped_at, a.response_met, k.id
     from (select 0 as level, d.* from rollup_delta d where sign = 1) a
     ${cellJoin('a')}`,
];
