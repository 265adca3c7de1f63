-- The order of an incident list, as ORDER BY terms over `c` (with opened_at, restored_at, ttr,
-- priority, source_id and external_id): the :sort key; by priority, then the newest opened first
-- (the P1s a service manager looks for, in an order incident-list.sql can walk: the covering
-- index of opening times holds the priority); then the source (in the order sources were first
-- imported) and the external id. Time to restore sorts as the interval itself.
case when :sort::text = 'openedAt' then c.opened_at end asc,
case when :sort::text = '-openedAt' then c.opened_at end desc,
case when :sort::text = 'restoredAt' then c.restored_at end asc nulls last,
case when :sort::text = '-restoredAt' then c.restored_at end desc nulls last,
case when :sort::text = 'ttrHours' then c.ttr end asc nulls last,
case when :sort::text = '-ttrHours' then c.ttr end desc nulls last,
case when :sort::text = 'priority' then c.priority end asc,
case when :sort::text = '-priority' then c.priority end desc,
case when :sort::text in ('priority', '-priority') then c.opened_at end desc,
c.source_id, c.external_id
