-- MTRS population: incidents restored in the window, less those restored before they were opened
-- (a data-quality gap, left out of every duration). A reopened incident is one row with its last
-- restoration. Output: the window's period, the incident's columns, hours (TTR), tagged (false:
-- no tags).
select w.period,
       i.*,
       extract(epoch from i.restored_at - i.opened_at)::float8 / 3600 as hours,
       false as tagged
from win w
join scope i on i.restored_at >= w.from_at and i.restored_at < w.to_at
where i.restored_at >= i.opened_at
