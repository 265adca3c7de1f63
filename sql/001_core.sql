-- Core data: sources, incidents as of their last import, and their append-only history.
--
-- Incidents are keyed by (source_id, external_id) with no surrogate id, so that on Citus both
-- incident and incident_event can be distributed by external_id and co-located: every per-incident
-- join (events, SLA evaluations) then runs on one worker. See docs/scaling.md.

create table source (
  id          integer generated always as identity primary key,
  name        text not null unique,
  -- The importer format last used for this source: servicenow, bpi2014, generic, ...
  format      text,
  created_at  timestamptz not null default now()
);

-- Bumped on every insert or change of an incident; rollups absorb what changed since the last
-- version they saw.
create sequence incident_version_seq;

create table incident (
  source_id               integer not null references source (id),
  external_id             text not null,
  opened_at               timestamptz not null,
  detected_at             timestamptz,
  acknowledged_at         timestamptz,
  restored_at             timestamptz,
  closed_at               timestamptz,
  -- Current status as the source spells it (New, Active, Awaiting User Info, Resolved, Closed, ...).
  status                  text,
  impact                  smallint check (impact between 1 and 3),
  urgency                 smallint check (urgency between 1 and 3),
  priority                smallint not null check (priority between 1 and 5),
  -- 'stated' when the source gave a priority, 'matrix' when derived from impact x urgency.
  priority_origin         text not null default 'stated' check (priority_origin in ('stated', 'matrix')),
  category                text,
  subcategory             text,
  service                 text,
  configuration_item      text,
  assignment_group        text,
  reassignment_count      integer not null default 0 check (reassignment_count >= 0),
  hierarchical_escalation boolean not null default false,
  reopen_count            integer not null default 0 check (reopen_count >= 0),
  is_major                boolean not null default false,
  detection_source        text,
  workaround              text,
  knowledge_article       text,
  supplier                text,
  closure_code            text,
  resolution_notes        text,
  -- Links for the problem and change views.
  problem_id              text,
  related_change          text,
  caused_by_change        text,
  -- The source's own SLA verdict on resolution, where it records one (ServiceNow made_sla).
  source_sla_met          boolean,
  -- Source fields with no column of their own (caller, location, channel, raw 1-5 impact, ...).
  attributes              jsonb not null default '{}'::jsonb,
  -- md5 of the mapped record and its events, so an unchanged re-import writes nothing.
  content_hash            text not null,
  version                 bigint not null default nextval('incident_version_seq'),
  first_imported_at       timestamptz not null default now(),
  updated_at              timestamptz not null default now(),
  primary key (source_id, external_id)
);

create index incident_restored_idx on incident (restored_at) include (source_id, priority);
create index incident_opened_idx on incident (opened_at);
create index incident_open_idx on incident (opened_at) where restored_at is null;
create index incident_version_idx on incident (version);

-- The history of an incident, from which every clock is read. Kinds as in METRICS.md:
-- status, assignment, priority, escalation, update.
create table incident_event (
  source_id    integer not null,
  external_id  text not null,
  seq          integer not null,
  at           timestamptz not null,
  kind         text not null check (kind in ('status', 'assignment', 'priority', 'escalation', 'update')),
  from_value   text,
  to_value     text,
  primary key (source_id, external_id, seq),
  foreign key (source_id, external_id) references incident (source_id, external_id) on delete cascade
);

-- One run of an import, file or upload, with its counts.
create table import_run (
  id            bigint generated always as identity primary key,
  source_id     integer references source (id),
  file_name     text not null,
  format        text not null,
  timezone      text not null,
  status        text not null default 'running' check (status in ('running', 'finished', 'failed')),
  rows_read     integer not null default 0,
  inserted      integer not null default 0,
  updated       integer not null default 0,
  unchanged     integer not null default 0,
  rejected      integer not null default 0,
  error         text,
  started_at    timestamptz not null default now(),
  finished_at   timestamptz
);

-- Rows an import could not take, with where and why.
create table import_rejection (
  import_run_id bigint not null references import_run (id) on delete cascade,
  line          integer not null,
  field         text,
  reason        text not null,
  external_id   text
);
create index import_rejection_run_idx on import_rejection (import_run_id, line);

-- Outcome of every scheduled job run (refresh, SLA watch, reports), so a missed or failed run
-- is visible rather than silently dropped.
create table job_run (
  id           bigint generated always as identity primary key,
  job          text not null,
  status       text not null check (status in ('running', 'succeeded', 'failed', 'skipped', 'missed')),
  detail       jsonb not null default '{}'::jsonb,
  started_at   timestamptz not null default now(),
  finished_at  timestamptz
);
create index job_run_job_idx on job_run (job, started_at desc);
