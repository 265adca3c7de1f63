-- The SLA clocks that ran more than 720 hours from their start (their incident's opening) to their
-- stop, with a verdict: an SLA list oldest first reads these of its window whole, then walks the
-- incidents opened from 30 days before the window on (sql/figures/incident-list.sql), instead of
-- walking from the data's start and, for a late window, reading its whole population (November's
-- met clocks at 10 M incidents: 6-7 s). About 37 000 of 20 M clocks at 10 M incidents.
create index sla_evaluation_long_idx on sla_evaluation (started_at) include (stopped_at, source_id, external_id)
  where stopped_at - started_at > interval '720 hours' and status in ('met', 'breached');
