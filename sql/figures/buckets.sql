-- The periods (day, ISO week from Monday, month) of [from, to) in the report's zone, one row per
-- bucket, as a window list win(period, from_at, to_at) so that every population can be counted per
-- bucket exactly as it is counted per report window. `period` is the bucket's first local date;
-- the first and last buckets are clipped to the report window, so the buckets partition it.
select to_char(b.start_day, 'YYYY-MM-DD') as period,
       (greatest(b.start_day, :from::date::timestamp) at time zone :tz::text) as from_at,
       (least(b.start_day + ('1 ' || :interval::text)::interval, :to::date::timestamp)
          at time zone :tz::text) as to_at
from generate_series(
       date_trunc(:interval::text, :from::date::timestamp),
       :to::date::timestamp - interval '1 microsecond',
       ('1 ' || :interval::text)::interval
     ) as b (start_day)
