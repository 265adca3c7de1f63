-- Incidents opened per bucket (day, ISO week, month in the report's zone), by one field chosen
-- from a fixed list (:by). Missing values are the key '(none)'; the :top keys with most incidents
-- over the whole window (ties by key) keep their own series and the rest are summed into
-- '(other)'. One row per key, counts in bucket order, zeros included.
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
  counted as (
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
  ),
  ranked as (
    select key, row_number() over (order by sum(n) desc, key) as rank
    from counted group by key
  ),
  folded as (
    select case when r.rank <= :top::int then c.key else '(other)' end as key,
           c.period,
           sum(c.n)::int as n
    from counted c join ranked r on r.key = c.key
    group by 1, 2
  ),
  keys as (
    select key, sum(n) as total from folded group by key
  )
select k.key,
       array_agg(coalesce(f.n, 0) order by w.period) as counts
from keys k
cross join win w
left join folded f on f.key = k.key and f.period = w.period
group by k.key, k.total
order by k.key = '(other)', k.total desc, k.key
