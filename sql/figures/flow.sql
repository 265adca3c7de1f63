-- Opened against restored per bucket, and the backlog at the end of each bucket.
-- Opened and restored count the opened and resolved populations per bucket. The backlog at the
-- end of the first bucket counts the backlog population; after that it moves by the incidents
-- that entered (opened in the bucket, (start, end]) and left (restored in it) the backlog, which
-- is the same set as the population at each end but reads only the window's rows, not every
-- incident once per bucket. An incident restored before or when it was opened is never in the
-- backlog, so it neither enters nor leaves.
with
  win as materialized (
    -- @include buckets.sql
  ),
  scope as not materialized (
    -- @include scope.sql
  ),
  opened as (
    -- @include populations/opened.sql
  ),
  resolved as (
    -- @include populations/resolved.sql
  ),
  backlog as (
    -- @include populations/backlog.sql
  ),
  first_bucket as (
    select min(period) as period from win
  ),
  base as (
    select count(*)::int as n from backlog
    where period = (select period from first_bucket)
  ),
  entered as (
    select w.period, count(*) as n
    from win w
    join scope i on i.opened_at > w.from_at and i.opened_at <= w.to_at
    where w.period > (select period from first_bucket)
      and (i.restored_at is null or i.restored_at > i.opened_at)
    group by w.period
  ),
  departed as (
    select w.period, count(*) as n
    from win w
    join scope i on i.restored_at > w.from_at and i.restored_at <= w.to_at
    where w.period > (select period from first_bucket)
      and i.restored_at > i.opened_at
    group by w.period
  ),
  opened_counts as (
    select period, count(*)::int as n from opened group by period
  ),
  restored_counts as (
    select period, count(*)::int as n from resolved group by period
  )
select w.period,
       coalesce(o.n, 0) as opened,
       coalesce(r.n, 0) as restored,
       ((select n from base)
         + sum(coalesce(e.n, 0) - coalesce(d.n, 0)) over (order by w.period))::int as backlog
from win w
left join opened_counts o on o.period = w.period
left join restored_counts r on r.period = w.period
left join entered e on e.period = w.period
left join departed d on d.period = w.period
order by w.period
