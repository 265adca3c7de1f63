-- The report windows as instants: [from 00:00, to 00:00) of local dates in the report's zone.
-- The summary passes the current window and the previous one; the incident list passes only the
-- current one (:prev_from and :prev_to null). Output: win(period, from_at, to_at).
select v.period,
       (v.from_day::timestamp at time zone :tz::text) as from_at,
       (v.to_day::timestamp at time zone :tz::text) as to_at
from (
  values ('current', :from::date, :to::date),
         ('previous', :prev_from::date, :prev_to::date)
) as v (period, from_day, to_day)
where v.from_day is not null
