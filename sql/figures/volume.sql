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
  opened as (
    -- @include populations/opened.sql
  )
select o.period,
       coalesce(case :by::text
                  when 'category' then o.category
                  when 'priority' then o.priority::text
                  when 'assignmentGroup' then o.assignment_group
                  when 'service' then o.service
                  when 'detectionSource' then o.detection_source
                end, '(none)') as key,
       count(*)::int as n
from opened o
group by 1, 2
