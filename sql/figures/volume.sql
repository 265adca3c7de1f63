-- Incidents opened per bucket (day, ISO week, month in the report's zone) and key, for the fields
-- the rollups do not split by (service, detection source; :by from a fixed list). Missing values
-- are the key '(none)'. One row per bucket and key with any incident; the caller keeps the
-- largest keys and folds the rest into '(other)', as it does for the rollups' series.
with
  win as materialized (
    -- @include buckets.sql
  ),
  scope as not materialized (
    -- @include scope.sql
  ),
  -- Each bucket its own aggregate over one index range (a lateral subquery, run once per bucket):
  -- as a join of the buckets to the incidents, PostgreSQL could not tell how few rows a bucket
  -- holds and, with or without a filter, scanned the whole table for each (at 10 M incidents, a
  -- month by week: 8.4 s).
  counted as (
    select w.period, x.key, x.n
    from win w
    cross join lateral (
      select coalesce(case :by::text
                        when 'category' then i.category
                        when 'priority' then i.priority::text
                        when 'assignmentGroup' then i.assignment_group
                        when 'service' then i.service
                        when 'detectionSource' then i.detection_source
                      end, '(none)') as key,
             count(*)::int as n
      from scope i
      where i.opened_at >= w.from_at and i.opened_at < w.to_at
      group by 1
    ) x
  )
select period, key, n
from counted
