-- Backlog population at the END of the window, t = `to` 00:00 in the report's zone (the current
-- window only): opened by t and not restored by t (opened_at <= t and (restored_at is null or
-- restored_at > t)). age = t - opened_at, for aging.
-- Written as two disjoint parts so that each reads its own index: the open incidents (partial
-- index incident_open_idx) and those restored after t (rollup_incident_restored_cover_idx).
-- t is written out as a value of the parameters, not read from `win`, so that the planner knows
-- it: with t a column of `win`, both conditions of the second part looked equally wide and it
-- read every incident opened by t (0.2 s at 1 M incidents for a window ending after the data).
select 'current'::text as period,
       i.*,
       t.at - i.opened_at as age,
       array[]::text[] as tags
from (select (:to::date::timestamp at time zone :tz::text) as at) t
join scope i on i.restored_at is null and i.opened_at <= t.at
union all
select 'current'::text as period,
       i.*,
       t.at - i.opened_at as age,
       array[]::text[] as tags
from (select (:to::date::timestamp at time zone :tz::text) as at) t
join scope i on i.restored_at > t.at and i.opened_at <= t.at
