-- The backlog at an instant t (aging, and its incident list) reads the incidents open at t in
-- three short ranges (sql/figures/populations/backlog.sql). The open ones and those restored
-- long after their opening are few: these partial indexes hold just them, with the filter
-- columns, so that both reads are index-only.
drop index if exists incident_open_idx;
create index incident_open_idx on incident (opened_at)
  include (source_id, priority, category, assignment_group)
  where restored_at is null;
create index incident_long_restore_idx on incident (opened_at)
  include (restored_at, source_id, priority, category, assignment_group)
  where restored_at - opened_at > interval '720 hours';
