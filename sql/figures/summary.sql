-- Every figure of /api/metrics/summary, for the current and the previous window, in one query:
-- one row per window (period 'current' or 'previous'). Each figure aggregates its population file
-- (populations/*.sql), the same file the incident list pages, so a list's total is the figure's n.
-- A group with no rows gives no aggregate row, so its figures come out null and its counts 0.
with
  win as (
    -- @include windows.sql
  ),
  scope as not materialized (
    -- @include scope.sql
  ),
  sla_stopped as (
    -- @include populations/sla-stopped.sql
  ),
  mtrs as (
    -- @include populations/mtrs.sql
  ),
  mtta as (
    -- @include populations/mtta.sql
  ),
  resolved as (
    -- @include populations/resolved.sql
  ),
  opened as (
    -- @include populations/opened.sql
  ),
  backlog as (
    -- @include populations/backlog.sql
  ),
  sla_resolution as (
    -- @include populations/sla-resolution.sql
  ),
  sla_response as (
    -- @include populations/sla-response.sql
  ),
  source_verdict as (
    -- @include populations/source-verdict.sql
  ),
  mtrs_figures as (
    select period,
           avg(hours) as mean_hours,
           percentile_cont(0.5) within group (order by hours) as median_hours,
           percentile_cont(0.9) within group (order by hours) as p90_hours,
           count(*)::int as n
    from mtrs group by period
  ),
  mtta_figures as (
    select period,
           avg(hours) as mean_hours,
           percentile_cont(0.5) within group (order by hours) as median_hours,
           percentile_cont(0.9) within group (order by hours) as p90_hours,
           count(*)::int as n
    from mtta group by period
  ),
  resolved_figures as (
    select period,
           count(*)::int as resolved,
           count(*) filter (where 'first-time' = any(tags))::int as first_time,
           count(*) filter (where 'escalated' = any(tags))::int as escalated,
           count(*) filter (where 'reopened' = any(tags))::int as reopened
    from resolved group by period
  ),
  opened_figures as (
    select period, count(*)::int as opened from opened group by period
  ),
  backlog_figures as (
    select period, count(*)::int as backlog from backlog group by period
  ),
  resolution_figures as (
    select period,
           count(*) filter (where 'met' = any(tags))::int as met,
           count(*) filter (where 'breached' = any(tags))::int as breached
    from sla_resolution group by period
  ),
  response_figures as (
    select period,
           count(*) filter (where 'met' = any(tags))::int as met,
           count(*) filter (where 'breached' = any(tags))::int as breached
    from sla_response group by period
  ),
  verdict_figures as (
    select period,
           count(*)::int as n,
           count(*) filter (where 'source-met' = any(tags))::int as source_met,
           count(*) filter (where 'agree' = any(tags))::int as agree,
           count(*) filter (where 'disagree' = any(tags))::int as disagree
    from source_verdict group by period
  )
select w.period,
       w.from_at,
       w.to_at,
       m.mean_hours as mtrs_mean_hours,
       m.median_hours as mtrs_median_hours,
       m.p90_hours as mtrs_p90_hours,
       coalesce(m.n, 0) as mtrs_n,
       a.mean_hours as mtta_mean_hours,
       a.median_hours as mtta_median_hours,
       a.p90_hours as mtta_p90_hours,
       coalesce(a.n, 0) as mtta_n,
       coalesce(r.resolved, 0) as resolved,
       coalesce(r.first_time, 0) as first_time,
       coalesce(r.escalated, 0) as escalated,
       coalesce(r.reopened, 0) as reopened,
       coalesce(o.opened, 0) as opened,
       coalesce(b.backlog, 0) as backlog,
       coalesce(sr.met, 0) as resolution_met,
       coalesce(sr.breached, 0) as resolution_breached,
       coalesce(sa.met, 0) as response_met,
       coalesce(sa.breached, 0) as response_breached,
       coalesce(v.n, 0) as verdict_n,
       coalesce(v.source_met, 0) as verdict_source_met,
       coalesce(v.agree, 0) as verdict_agree,
       coalesce(v.disagree, 0) as verdict_disagree
from win w
left join mtrs_figures m on m.period = w.period
left join mtta_figures a on a.period = w.period
left join resolved_figures r on r.period = w.period
left join opened_figures o on o.period = w.period
left join backlog_figures b on b.period = w.period
left join resolution_figures sr on sr.period = w.period
left join response_figures sa on sa.period = w.period
left join verdict_figures v on v.period = w.period
order by w.period
