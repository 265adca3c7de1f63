-- Resolved population: every incident restored in the window (volume.restored, and the base of
-- first-time resolution). Not a duration, so restorations before opening stay in. Tags:
--   first-time  no functional escalation and never reopened (reassignment_count = 0, reopen_count = 0)
--   escalated   reassignment_count > 0
--   reopened    reopen_count > 0
select w.period,
       i.*,
       array_remove(array[
         case when i.reassignment_count = 0 and i.reopen_count = 0 then 'first-time' end,
         case when i.reassignment_count > 0 then 'escalated' end,
         case when i.reopen_count > 0 then 'reopened' end
       ], null) as tags
from win w
join scope i on i.restored_at >= w.from_at and i.restored_at < w.to_at
