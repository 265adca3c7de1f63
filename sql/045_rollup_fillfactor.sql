-- Every refresh adds to counters and histogram counts in place. With free room on a page,
-- PostgreSQL rewrites such a row on the same page without a new entry in the key index (a "HOT"
-- update, possible since no indexed column changes); on full pages each update also inserts into
-- the index. Pages written from now on (a first build, a rebuild) keep 30 % free.
alter table rollup_day set (fillfactor = 70);
alter table rollup_hist set (fillfactor = 70);
