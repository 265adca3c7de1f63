-- The backlog at the end of the window (backlog population) by age at that instant. Each bucket
-- holds ages from its lower bound (inclusive) to its upper bound (exclusive), in days of 24 h:
-- <1d [0, 1), 1-3d [1, 3), 3-7d [3, 7), 7-30d [7, 30), >30d [30, ...).
with
  win as (
    -- @include windows.sql
  ),
  scope as not materialized (
    -- @include scope.sql
  ),
  backlog as (
    -- @include populations/backlog.sql
  ),
  aged as (
    select extract(epoch from age)::float8 / 86400 as days from backlog where period = 'current'
  )
select k.bucket, count(a.days)::int as n, (select to_at from win where period = 'current') as at
from (
  values (1, '<1d', 0, 1), (2, '1-3d', 1, 3), (3, '3-7d', 3, 7), (4, '7-30d', 7, 30),
         (5, '>30d', 30, null)
) as k (ord, bucket, low_days, high_days)
left join aged a on a.days >= k.low_days and (k.high_days is null or a.days < k.high_days)
group by k.ord, k.bucket
order by k.ord
