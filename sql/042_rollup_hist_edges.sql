-- Histograms also per UTC day for the first and last day of each month. A window of whole local
-- months in any zone covers whole UTC months less at most one such day at each end (a zone is
-- less than a day from UTC), so its percentiles come from monthly histograms minus those days,
-- without reading up to a month of incident rows at each end. Rollups are derived: this drops
-- them and the next refresh rebuilds them from the incidents.
drop table rollup_hist;
create table rollup_hist (
  kind              text not null check (kind in ('ttr', 'tta')),
  level             smallint not null,
  -- 'm': period is the first day of a UTC month; 'd': period is a UTC day (first or last of its month).
  grain             char(1) not null check (grain in ('m', 'd')),
  period            date not null,
  source_id         integer,
  priority          smallint,
  category          text,
  assignment_group  text,
  bucket            integer not null,
  n                 bigint not null,
  constraint rollup_hist_key unique nulls not distinct
    (kind, level, source_id, priority, category, assignment_group, grain, period, bucket)
) with (fillfactor = 80);

-- Room on each page so that a refresh's updates stay heap-only (no new index entries).
alter table rollup_day set (fillfactor = 80);
truncate rollup_day, rollup_contrib;
update derived_watermark set version = 0, refreshed_at = null where name = 'rollups';
