-- The met SLA clocks that ran more than 168 hours from their start (their incident's opening) to
-- their stop: a met list oldest first reads these of its window whole, then walks the incidents
-- opened from 7 days before the window on (sql/figures/incident-list.sql). Met clocks are short:
-- those stopped in November at 10 M incidents started from 10-17 on, so sql/069's 30-day start
-- found none of them and the list read its whole population (~10 s).
create index sla_evaluation_long_met_idx on sla_evaluation (started_at) include (stopped_at, source_id, external_id)
  where stopped_at - started_at > interval '168 hours' and status = 'met';
