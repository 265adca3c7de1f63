-- The report window as instants: [from 00:00, to 00:00) of local dates in the report's zone.
-- Output: win(period, from_at, to_at), one row, period 'current' (the rollups answer the previous
-- window's figures). One row with no FROM: PostgreSQL folds it into the query that joins it, so
-- the window's bounds are index conditions wherever its rows are read. As a table of two rows
-- (the previous window left out by a filter), it was joined row by row instead: a month's list
-- by opening time, newest first, walked the opening index back from the data's end (753 063
-- entries at 1 M incidents, for 50).
select 'current'::text as period,
       (:from::date::timestamp at time zone :tz::text) as from_at,
       (:to::date::timestamp at time zone :tz::text) as to_at
