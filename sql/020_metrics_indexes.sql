-- Indexes for the figures of sql/figures: MTTA windows on acknowledged_at (restored_at and
-- opened_at already have theirs in 001_core.sql), and the filter bar's distinct categories and
-- assignment groups, which an index-only scan reads without touching the table.
create index incident_acknowledged_idx on incident (acknowledged_at);
create index incident_category_idx on incident (category);
create index incident_assignment_group_idx on incident (assignment_group);
