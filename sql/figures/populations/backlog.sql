-- Backlog population at the END of the window, t = to_at: opened by t and not restored by t
-- (opened_at <= t and (restored_at is null or restored_at > t)). age = t - opened_at, for aging.
-- Written as two disjoint parts so that each reads its own index: the open incidents (partial
-- index incident_open_idx) and those restored after t (rollup_incident_restored_cover_idx).
select w.period,
       i.*,
       w.to_at - i.opened_at as age,
       array[]::text[] as tags
from win w
join scope i on i.restored_at is null and i.opened_at <= w.to_at
union all
select w.period,
       i.*,
       w.to_at - i.opened_at as age,
       array[]::text[] as tags
from win w
join scope i on i.restored_at > w.to_at and i.opened_at <= w.to_at
