-- An incident list picks its page from the population's keys and sort columns
-- (sql/figures/incident-list.sql). With the external id in the covering indexes of the window
-- populations (opened, restored, acknowledged), that choice reads the index alone, and only the
-- page's rows are read whole; the acknowledged one also gains restored_at, a sort key. Without
-- them every incident of the population was read from the table: a year's MTRS list sorted by
-- time to restore took 2 s at 1 M incidents. The indexes grow by the id (12 bytes at 1 M), and
-- this migration builds them again (about 10 s at 1 M, while the server starts).
drop index if exists rollup_incident_restored_cover_idx;
create index rollup_incident_restored_cover_idx on incident (restored_at)
  include (opened_at, source_id, priority, category, assignment_group, reassignment_count, reopen_count, external_id);
drop index if exists rollup_incident_acknowledged_cover_idx;
create index rollup_incident_acknowledged_cover_idx on incident (acknowledged_at)
  include (opened_at, source_id, priority, category, assignment_group, restored_at, external_id);
drop index if exists rollup_incident_opened_cover_idx;
create index rollup_incident_opened_cover_idx on incident (opened_at)
  include (source_id, priority, category, assignment_group, restored_at, service, detection_source, external_id);
