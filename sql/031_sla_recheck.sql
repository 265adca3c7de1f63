-- When the refresher must look at an open clock again: each run for those on the watch list, at
-- the instant 75 % will be used for running ones below it (see docs/sla.md). Paged by key, so the
-- key index of 030 gives way to one that carries recheck_at.
alter table sla_evaluation add column recheck_at timestamptz;
drop index if exists sla_evaluation_open_key_idx;
create index sla_evaluation_recheck_idx on sla_evaluation (source_id, external_id) include (recheck_at)
  where stopped_at is null;
