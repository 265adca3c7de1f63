-- Backlog population at the END of the window, t = to_at: opened by t and not restored by t
-- (opened_at <= t and (restored_at is null or restored_at > t)). age = t - opened_at, for aging.
select w.period,
       i.*,
       w.to_at - i.opened_at as age,
       array[]::text[] as tags
from win w
join scope i
  on i.opened_at <= w.to_at
 and (i.restored_at is null or i.restored_at > w.to_at)
