-- The met response clocks that ran more than 24 hours from their start (their incident's opening)
-- to their stop: a met response list oldest first reads these of its window whole, then walks the
-- incidents opened from a day before the window on (sql/figures/incident-list.sql). Responses are
-- quick: those met in November at 10 M incidents started from 10-29 on, past the walks from
-- sql/070's 168 hours (~10 s to read the whole population instead). 37 000 of 20 M clocks.
create index sla_evaluation_long_response_idx on sla_evaluation (started_at) include (stopped_at, source_id, external_id)
  where stopped_at - started_at > interval '24 hours' and status = 'met' and kind = 'response';
