-- Stopped clocks whose evaluation was deleted without their incident changing: a policy edit that
-- takes away the target of their priority, say. The rollups counted their verdicts, and re-absorb
-- an incident when its version moves or its stopped clock is recomputed; a deleted row shows in
-- neither. The SLA engine records each such deletion here in the statement that deletes it, the
-- rollups read the rows since their watermark as changed incidents (as they read recomputed
-- clocks) and delete them once absorbed. Open clocks are left out: they count nowhere there.
create table sla_evaluation_removed (
  source_id   integer not null,
  external_id text not null,
  removed_at  timestamptz not null default now()
);
create index sla_evaluation_removed_at_idx on sla_evaluation_removed (removed_at);
