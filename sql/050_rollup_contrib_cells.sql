-- Each incident's finest cell (level 0: its source, priority, category and assignment group) in
-- the rollups' record of it, so that percentiles for two or more filters at once, for which no
-- histogram exists, read exactly the durations of the matching incidents: one index range per
-- matching cell instead of every restoration in the window (at 1 M incidents, a year with a
-- priority and a category read 1 M index entries or 215 000 heap rows for 60 000 durations).
-- Rollups are derived: they are emptied here and the next refresh rebuilds them.
truncate rollup_cell, rollup_day, rollup_hist, rollup_contrib;
delete from rollup_state;
alter table rollup_contrib add column cell integer not null;
create index rollup_contrib_restored_idx on rollup_contrib (cell, restored_at) include (opened_at)
  where restored_at >= opened_at;
create index rollup_contrib_acknowledged_idx on rollup_contrib (cell, acknowledged_at) include (opened_at)
  where acknowledged_at >= opened_at;
