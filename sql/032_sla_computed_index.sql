-- The rollups absorb incidents whose evaluation was recomputed since their last run
-- (computed_at >= last run, sql in server/src/rollups); without this index that is a scan of
-- every evaluation on each refresh.
create index sla_evaluation_computed_idx on sla_evaluation (computed_at);
