-- SLA evaluations: derived from incidents, their events and the policies, so they can be dropped
-- and rebuilt. The dashboard's SLA figures and the per-incident evaluation both read this table,
-- which is what keeps them in exact agreement. Policies and calendars are added by the SLA engine.

create table sla_evaluation (
  source_id         integer not null,
  external_id       text not null,
  -- 'response' runs to acknowledged_at, 'resolution' to restored_at.
  kind              text not null check (kind in ('response', 'resolution')),
  policy_id         integer,
  priority          smallint not null,
  target_minutes    numeric not null,
  elapsed_minutes   numeric not null,
  paused_minutes    numeric not null default 0,
  started_at        timestamptz not null,
  -- When the clock stopped (acknowledged or finally restored); null while it runs.
  stopped_at        timestamptz,
  due_at            timestamptz,
  -- IANA zone of the policy's calendar, for showing due_at in local time.
  timezone          text not null default 'UTC',
  status            text not null check (status in ('met', 'breached', 'running', 'paused')),
  breached_at       timestamptz,
  incident_version  bigint not null,
  computed_at       timestamptz not null default now(),
  primary key (source_id, external_id, kind),
  foreign key (source_id, external_id) references incident (source_id, external_id) on delete cascade
);

create index sla_evaluation_stopped_idx on sla_evaluation (kind, stopped_at);
create index sla_evaluation_open_idx on sla_evaluation (kind, due_at) where stopped_at is null;
