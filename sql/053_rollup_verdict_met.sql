-- One more counter: of the resolution clocks stopped with a source verdict, those we call met.
-- With it the SLA agreement card (our compliance beside the source's, over the same incidents)
-- reads the rollups instead of joining every evaluation in the window to its incident (2.5 s for
-- a year at 1 M incidents).
--
-- The rollups are derived: existing rows lack the counter, so they are emptied with the watermark
-- and the next refresh rebuilds them (until then every incident counts as pending and the figures
-- stay exact, read from the rows).
alter table rollup_day add column verdict_met bigint not null default 0;
truncate rollup_day, rollup_hist, rollup_contrib, rollup_cell restart identity;
delete from rollup_state;
