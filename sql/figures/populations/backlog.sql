-- Backlog population at the END of the window, t = `to` 00:00 in the report's zone (the current
-- window only): opened by t and not restored by t (opened_at <= t and (restored_at is null or
-- restored_at > t)). age = t - opened_at, for aging.
-- Written as three disjoint parts so that each reads a short range of its own index: the open
-- incidents (partial index incident_open_idx); those restored after t and opened in the 720 hours
-- before it (rollup_incident_opened_cover_idx); and those opened earlier, whose restoration came
-- more than 720 hours after their opening (partial index incident_long_restore_idx, a few in a
-- thousand incidents). Read as "restored after t", the second and third parts were one range of
-- every restoration after t, most of the table for a window in the data's first months (1.4 s at
-- 10 M incidents).
-- t is written out as a value of the parameters, not read from `win`, so that the planner knows
-- it: with t a column of `win`, both conditions of a part looked equally wide and it read every
-- incident opened by t (0.2 s at 1 M incidents for a window ending after the data).
select 'current'::text as period,
       i.*,
       t.at - i.opened_at as age,
       false as tagged
from (select (:to::date::timestamp at time zone :tz::text) as at) t
cross join lateral (
  select * from scope i where i.restored_at is null and i.opened_at <= t.at
  union all
  select * from scope i where i.opened_at <= t.at and i.opened_at > t.at - interval '720 hours' and i.restored_at > t.at
  union all
  select * from scope i where i.opened_at <= t.at - interval '720 hours' and i.restored_at > t.at
                          and i.restored_at - i.opened_at > interval '720 hours'
) i
