-- Resolved population: every incident restored in the window (volume.restored, and the base of
-- first-time resolution). Not a duration, so restorations before opening stay in. Tags:
--   first-time  no functional escalation and never reopened (reassignment_count = 0, reopen_count = 0)
--   escalated   reassignment_count > 0
--   reopened    reopen_count > 0
select w.period,
       i.*,
       case :tag::text
         when 'first-time' then i.reassignment_count = 0 and i.reopen_count = 0
         when 'escalated' then i.reassignment_count > 0
         when 'reopened' then i.reopen_count > 0
         else false
       end as tagged
from win w
join scope i on i.restored_at >= w.from_at and i.restored_at < w.to_at
