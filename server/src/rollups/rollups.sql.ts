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
] as const;
export type Counter = (typeof COUNTERS)[number];

/** The four filters, in the order of the level bits (source is bit 3, assignment group bit 0). */
export const DIMENSIONS = ['source_id', 'priority', 'category', 'assignment_group'] as const;

/**
 * Levels kept: 0 (every dimension, the finest cells) and those that keep at most one dimension
 * (15 none, 7 source, 11 priority, 13 category, 14 assignment group). A query with two or more
 * filters sums the level-0 cells that match them; a full cube (16 levels) cost three times the
 * rows and writes for little gain (docs/performance.md).
 */
export const SINGLE_LEVELS = [15, 7, 11, 13, 14] as const;
export const HIST_LEVELS = SINGLE_LEVELS;

const LEVEL_SETS = '(source_id, priority, category, assignment_group), (), (source_id), (priority), (category), (assignment_group)';

/** The UTC day of a timestamptz expression. */
const day = (expr: string) => `((${expr}) at time zone 'UTC')::date`;

/**
 * The incidents to absorb: changed since the watermark ($1), or whose SLA evaluation was
 * recomputed since the last refresh ($2, e.g. after a policy change).
 */
export const CHANGED_SQL = `
  create temp table rollup_changed on commit drop as
  select source_id, external_id from incident where version > $1
  union
  select source_id, external_id from sla_evaluation where $2::timestamptz is not null and computed_at >= $2`;

/** Old contributions (sign -1) and new ones (sign +1) of the changed incidents. */
export const DELTA_SQL = `
  create temp table rollup_delta on commit drop as
  select -1 as sign, c.*
    from rollup_contrib c join rollup_changed using (source_id, external_id)
  union all
  select 1 as sign, f.*
    from rollup_changed ch
    cross join lateral (${factsOf('i.source_id = ch.source_id and i.external_id = ch.external_id')}) f`;

/** An incident as the rollups see it (the columns of rollup_contrib), for incidents matching `where`. */
export function factsOf(where: string): string {
  return `
    select i.source_id, i.external_id, i.opened_at, i.acknowledged_at, i.restored_at, i.priority,
           i.category, i.assignment_group, i.reassignment_count, i.reopen_count, i.source_sla_met,
           r.stopped_at as resolution_stopped_at, r.status = 'met' as resolution_met,
           s.stopped_at as response_stopped_at, s.status = 'met' as response_met
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
 * acknowledged, left the backlog, SLA clocks stopped. Columns: sign, day, the dimensions, COUNTERS.
 * `delta` is a relation with a sign and the columns of rollup_contrib.
 */
export const contributionsOf = (delta: string) => `
  select d.sign, d.source_id, d.priority, d.category, d.assignment_group, v.*
    from ${delta} d
    cross join lateral (values
      (${day('d.opened_at')}, 1, 0, 0, 0, 0, 0, 0::numeric, 0, 0::numeric, 0, 0, 0, 0, 0, 0, 0, 0),
      (${day('d.restored_at')}, 0, 1,
        (d.reassignment_count = 0 and d.reopen_count = 0)::int, (d.reassignment_count > 0)::int,
        (d.reopen_count > 0)::int,
        (d.restored_at >= d.opened_at)::int,
        case when d.restored_at >= d.opened_at then extract(epoch from d.restored_at - d.opened_at) else 0 end,
        0, 0::numeric, 0, 0, 0, 0, 0, 0, 0, 0),
      (${day('d.acknowledged_at')}, 0, 0, 0, 0, 0, 0, 0::numeric,
        (d.acknowledged_at >= d.opened_at)::int,
        case when d.acknowledged_at >= d.opened_at then extract(epoch from d.acknowledged_at - d.opened_at) else 0 end,
        0, 0, 0, 0, 0, 0, 0, 0),
      (case when d.restored_at is not null then ${day('greatest(d.opened_at, d.restored_at)')} end,
        0, 0, 0, 0, 0, 0, 0::numeric, 0, 0::numeric, 1, 0, 0, 0, 0, 0, 0, 0),
      (${day('d.resolution_stopped_at')}, 0, 0, 0, 0, 0, 0, 0::numeric, 0, 0::numeric, 0,
        d.resolution_met::int, (not d.resolution_met)::int, 0, 0,
        (d.source_sla_met is not null)::int, coalesce(d.source_sla_met, false)::int,
        coalesce(d.source_sla_met = d.resolution_met, false)::int),
      (${day('d.response_stopped_at')}, 0, 0, 0, 0, 0, 0, 0::numeric, 0, 0::numeric, 0, 0, 0,
        d.response_met::int, (not d.response_met)::int, 0, 0, 0)
    ) as v (day, ${COUNTERS.join(', ')})
   where v.day is not null`;

/**
 * Adds the delta's contributions to rollup_day at each kept level. `first`: the tables are empty
 * (a first build or a rebuild), so rows go in plainly, in key order, so that each level's days lie
 * next to each other on disk; otherwise each cell is upserted, in no particular order.
 */
export function applyDaySql(first: boolean): string {
  return `
  insert into rollup_day (level, day, ${DIMENSIONS.join(', ')}, ${COUNTERS.join(', ')})
  select grouping(${DIMENSIONS.join(', ')}), day, ${DIMENSIONS.join(', ')},
         ${COUNTERS.map((c) => `sum(sign * ${c})`).join(', ')}
    from (${contributionsOf('rollup_delta')}) c
   group by day, grouping sets (${LEVEL_SETS})
  having ${COUNTERS.map((c) => `sum(sign * ${c}) <> 0`).join(' or ')}
  ${
    first
      ? `order by 1, ${DIMENSIONS.join(', ')}, day`
      : `on conflict on constraint rollup_day_key do update set
    ${COUNTERS.map((c) => `${c} = rollup_day.${c} + excluded.${c}`).join(',\n    ')}`
  }`;
}

/**
 * Adds the delta's durations to the histograms of the levels in HIST_LEVELS: per UTC year, quarter
 * and month, and per UTC day for the first and last day of each month. `first` as for applyDaySql,
 * and then only months and days: HIST_YEARS_FROM_MONTHS_SQL sums the months into quarters and
 * years, a third of the rows to aggregate.
 */
export function applyHistSql(first: boolean): string {
  return `
  insert into rollup_hist (kind, level, grain, period, ${DIMENSIONS.join(', ')}, bucket, n)
  select kind, grouping(${DIMENSIONS.join(', ')}), grain, period, ${DIMENSIONS.join(', ')}, bucket, sum(sign)
    from (
      select d.sign, d.kind, g.grain, g.period, d.source_id, d.priority, d.category, d.assignment_group, d.bucket
        from (
          select sign, 'ttr' as kind, (restored_at at time zone 'UTC')::date as day,
                 ${DIMENSIONS.join(', ')},
                 rollup_bucket(date_part('epoch', restored_at - opened_at)) as bucket
            from rollup_delta where restored_at >= opened_at
          union all
          select sign, 'tta', (acknowledged_at at time zone 'UTC')::date,
                 ${DIMENSIONS.join(', ')},
                 rollup_bucket(date_part('epoch', acknowledged_at - opened_at))
            from rollup_delta where acknowledged_at >= opened_at
        ) d
        cross join lateral (values
          (case when not ${first} then 'y' end, date_trunc('year', d.day)::date),
          (case when not ${first} then 'q' end, date_trunc('quarter', d.day)::date),
          ('m', date_trunc('month', d.day)::date),
          (case when extract(day from d.day) = 1 or extract(day from d.day + 1) = 1 then 'd' end, d.day)
        ) as g (grain, period)
       where g.grain is not null
    ) h
   group by kind, grain, period, bucket, grouping sets ((), (source_id), (priority), (category), (assignment_group))
  having sum(sign) <> 0
  ${
    first
      ? `order by kind, 2, ${DIMENSIONS.join(', ')}, grain, period, bucket`
      : 'on conflict on constraint rollup_hist_key do update set n = rollup_hist.n + excluded.n'
  }`;
}

/** A first build's quarterly and yearly histograms, as sums of its monthly ones. */
export const HIST_YEARS_FROM_MONTHS_SQL = `
  insert into rollup_hist (kind, level, grain, period, ${DIMENSIONS.join(', ')}, bucket, n)
  select h.kind, h.level, g.grain, g.period, ${DIMENSIONS.map((d) => `h.${d}`).join(', ')}, h.bucket, sum(h.n)
    from rollup_hist h
    cross join lateral (values ('q', date_trunc('quarter', h.period)::date), ('y', date_trunc('year', h.period)::date))
      as g (grain, period)
   where h.grain = 'm'
   group by h.kind, h.level, ${DIMENSIONS.map((d) => `h.${d}`).join(', ')}, g.grain, g.period, h.bucket
   order by h.kind, h.level, ${DIMENSIONS.map((d) => `h.${d}`).join(', ')}, g.grain, g.period, h.bucket`;

/** Replaces the changed incidents' recorded contributions with their current ones. */
export const REPLACE_CONTRIB_SQL = [
  `delete from rollup_contrib c using rollup_changed ch
    where c.source_id = ch.source_id and c.external_id = ch.external_id`,
  `insert into rollup_contrib
   select source_id, external_id, opened_at, acknowledged_at, restored_at, priority, category,
          assignment_group, reassignment_count, reopen_count, source_sla_met, resolution_stopped_at,
          resolution_met, response_stopped_at, response_met
     from rollup_delta where sign = 1`,
];
