-- The rollups re-absorb the incidents whose evaluation changed since their last run, and only a
-- stopped clock (a verdict) counts in them. An open clock already breached is re-evaluated every
-- ten minutes for its elapsed time: at 10 M generated incidents, 100 000 of them, which the
-- rollups then re-read and netted to nothing (52 s every ten minutes). The index now holds the
-- stopped clocks only, so those rechecks are not in it. A clock goes from open to stopped, or
-- back, only when its incident changes, which the rollups see by the incident's version.
drop index if exists sla_evaluation_computed_idx;
create index sla_evaluation_stopped_computed_idx on sla_evaluation (computed_at) where stopped_at is not null;
