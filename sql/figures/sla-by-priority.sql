-- SLA compliance by priority for the current window: our resolution verdicts (sla-resolution
-- population) beside the source's own (source-verdict population). One row per priority 1..5
-- (only the chosen one when filtered), counts 0 and compliance null where there is nothing.
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
  sla_resolution as (
    -- @include populations/sla-resolution.sql
  ),
  source_verdict as (
    -- @include populations/source-verdict.sql
  ),
  ours as (
    select priority,
           count(*) filter (where 'met' = any(tags))::int as met,
           count(*) filter (where 'breached' = any(tags))::int as breached
    from sla_resolution where period = 'current' group by priority
  ),
  theirs as (
    select priority,
           count(*) filter (where 'source-met' = any(tags))::int as source_met,
           count(*)::int as source_n
    from source_verdict where period = 'current' group by priority
  )
select p.priority,
       coalesce(o.met, 0) as met,
       coalesce(o.breached, 0) as breached,
       o.met::float8 / nullif(o.met + o.breached, 0) as compliance,
       coalesce(t.source_met, 0) as source_met,
       coalesce(t.source_n, 0) as source_n
from generate_series(1, 5) as p (priority)
left join ours o on o.priority = p.priority
left join theirs t on t.priority = p.priority
where :priority::int is null or p.priority = :priority::int
order by p.priority
