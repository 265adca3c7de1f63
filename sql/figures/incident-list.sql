-- One page of the incidents behind a figure, and how many there are in all. The population file
-- is chosen by the server from a fixed list ({population}); :tag narrows it to the rows carrying
-- that tag (e.g. 'first-time' within the resolved population), or is null for all of them.
-- Always returns at least one row: the total, with the incident columns null when the page is
-- empty. :sort is one of a fixed list; each sort key is its own ORDER BY term, null when unused,
-- and ties go by source and external id so that pages never overlap.
with
  win as (
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
  chosen as (
    select p.source_id, p.external_id, p.opened_at, p.restored_at, p.priority, p.category,
           p.assignment_group, p.status,
           case when p.restored_at >= p.opened_at
                then extract(epoch from p.restored_at - p.opened_at)::float8 / 3600 end as ttr_hours
    from population p
    where p.period = 'current'
      and (:tag::text is null or :tag::text = any(p.tags))
  ),
  page as (
    select c.*, s.name as source,
           row_number() over (order by
             case when :sort::text = 'openedAt' then c.opened_at end asc,
             case when :sort::text = '-openedAt' then c.opened_at end desc,
             case when :sort::text = 'restoredAt' then c.restored_at end asc nulls last,
             case when :sort::text = '-restoredAt' then c.restored_at end desc nulls last,
             case when :sort::text = 'ttrHours' then c.ttr_hours end asc nulls last,
             case when :sort::text = '-ttrHours' then c.ttr_hours end desc nulls last,
             case when :sort::text = 'priority' then c.priority end asc,
             case when :sort::text = '-priority' then c.priority end desc,
             s.name, c.external_id
           ) as ord
    from chosen c
    join source s on s.id = c.source_id
    order by ord
    limit :limit::int offset :offset::int
  )
select t.total, page.*
from (select count(*)::int as total from chosen) as t
left join page on true
order by page.ord
