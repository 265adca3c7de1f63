-- Opened population: incidents opened in the window (volume.opened, volume by key over time).
select w.period,
       i.*,
       false as tagged
from win w
join scope i on i.opened_at >= w.from_at and i.opened_at < w.to_at
