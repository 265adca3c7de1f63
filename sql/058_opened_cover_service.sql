-- Volume by service or detection source counts incidents opened in the window by fields the
-- rollups do not keep. With them in the opening-time covering index, each bucket's range is read
-- from the index alone instead of from the rows (figures in docs/performance.md, session 11).
-- The index is built again with the two columns added.
drop index if exists rollup_incident_opened_cover_idx;
create index rollup_incident_opened_cover_idx on incident (opened_at)
  include (source_id, priority, category, assignment_group, restored_at, service, detection_source);
