-- The source level's histograms are kept for every UTC day, not only for the first and last day
-- of each month (DAY_HIST_LEVELS in server/src/rollups/rollups.sql.ts): a window with no filter
-- and no whole UTC month inside then takes its percentiles from those days instead of reading
-- every duration in it. The existing rollups lack the other days, so they are emptied with their
-- watermark and the next refresh rebuilds them (until then every incident counts as pending and
-- the figures stay exact, read from the rows).
truncate rollup_day, rollup_hist, rollup_contrib, rollup_cell restart identity;
delete from rollup_state;
