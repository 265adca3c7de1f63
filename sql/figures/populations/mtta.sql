-- MTTA population: incidents acknowledged in the window, less those acknowledged before they were
-- opened. Incidents without acknowledged_at are not in it. Output as mtrs.sql, hours = TTA.
select w.period,
       i.*,
       extract(epoch from i.acknowledged_at - i.opened_at)::float8 / 3600 as hours,
       false as tagged
from win w
join scope i on i.acknowledged_at >= w.from_at and i.acknowledged_at < w.to_at
where i.acknowledged_at >= i.opened_at
