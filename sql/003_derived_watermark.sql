-- How far each derived table (SLA evaluations, rollups) has caught up with incident.version.
create table derived_watermark (
  name          text primary key,
  version       bigint not null default 0,
  refreshed_at  timestamptz
);
