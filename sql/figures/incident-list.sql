-- One page of the incidents behind a figure, and how many there are in all. The population file
-- is chosen by the server from a fixed list ({population}); :tag narrows it to the rows carrying
-- that tag (e.g. 'first-time' within the resolved population), or is null for all of them. Each
-- population says which of its rows carry :tag in its column `tagged`, a CASE on :tag that
-- PostgreSQL reduces to the one tag's test (as an array of every row's tags, built for each row,
-- it took most of a year's first-time list: 1.2-1.5 s at 1 M incidents).
-- Always returns at least one row: the total, with the incident columns null when the page is
-- empty. :sort is one of a fixed list (incident-order.sql); ties go by source and external id so
-- that pages never overlap.
--
-- The page is chosen from the population's keys and sort columns alone, which the covering
-- indexes of the window populations hold (sql/063): PostgreSQL keeps the best :offset + :limit
-- rows as it reads and never sorts the rest. Only the page's rows are then read whole. Reading
-- every row of the population whole and sorting them all took 4.7 s for a year's MTRS list at
-- 1 M incidents. The keys are cheap to compare: ties by the source's id, not its name (joined
-- for every row, the name cost a third of the time), and the time to restore as an interval
-- (as hours through a numeric, twice as long).
with
  win as not materialized (
    -- @include windows.sql
  ),
  scope as not materialized (
    -- @include scope.sql
  ),
  -- The base of the SLA populations; PostgreSQL does not run it for the others.
  sla_stopped as (
    -- @include populations/sla-stopped.sql
  ),
  population as (
    -- @include populations/{population}.sql
  ),
  chosen as not materialized (
    select p.source_id, p.external_id, p.opened_at, p.restored_at, p.priority,
           case when p.restored_at >= p.opened_at then p.restored_at - p.opened_at end as ttr
    from population p
    where p.period = 'current'
      and (:tag::text is null or p.tagged)
  ),
  page as (
    select c.*
    from chosen c
    order by
      -- @include incident-order.sql
    limit :limit::int offset :offset::int
  )
select t.total, c.*
from (select count(*)::int as total from chosen) as t
left join (
  select page.*, s.name as source, i.category, i.assignment_group, i.status,
         extract(epoch from page.ttr)::float8 / 3600 as ttr_hours
  from page
  join incident i on i.source_id = page.source_id and i.external_id = page.external_id
  join source s on s.id = page.source_id
) c on true
order by
  -- @include incident-order.sql
