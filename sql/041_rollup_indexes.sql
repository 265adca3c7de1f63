-- The rollups read the incident table only at a window's partial days and partial months; these
-- covering indexes let those edges (and the exact percentiles of small windows) be index-only
-- scans instead of random reads of whole incident rows. The backlog's edge reads restored_at
-- and opened_at ranges instead of an index of its own, so that index goes.
drop index if exists rollup_incident_left_idx;
create index rollup_incident_restored_cover_idx on incident (restored_at)
  include (opened_at, source_id, priority, category, assignment_group, reassignment_count, reopen_count);
create index rollup_incident_acknowledged_cover_idx on incident (acknowledged_at)
  include (opened_at, source_id, priority, category, assignment_group);
