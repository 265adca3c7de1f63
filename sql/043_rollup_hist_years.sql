-- Histograms also per UTC quarter and year, so a year's percentiles merge one histogram instead of
-- twelve (about 4 000 buckets instead of 45 000 rows at a million incidents a year). Rollups are
-- derived: they are dropped here and the next refresh rebuilds them.
alter table rollup_hist drop constraint rollup_hist_grain_check;
alter table rollup_hist add constraint rollup_hist_grain_check check (grain in ('y', 'q', 'm', 'd'));
comment on column rollup_hist.grain is
  'y, q, m: period is the first day of a UTC year, quarter or month; d: a UTC day (first or last of its month)';
truncate rollup_day, rollup_hist, rollup_contrib;
update derived_watermark set version = 0, refreshed_at = null where name = 'rollups';
