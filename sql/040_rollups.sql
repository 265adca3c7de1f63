-- Rollups: the summary's figures pre-aggregated by UTC day, so the dashboard reads small tables.
-- Refreshed incrementally from the incidents whose version passed the 'rollups' watermark; see
-- server/src/rollups and docs/performance.md for the method and why it stays exact.

-- What each incident contributed when it was last absorbed, so a changed incident can leave its
-- old buckets: the refresh subtracts this row's contributions and adds the incident's new ones.
create table rollup_contrib (
  source_id           integer not null,
  external_id         text not null,
  opened_at           timestamptz not null,
  acknowledged_at     timestamptz,
  restored_at         timestamptz,
  priority            smallint not null,
  category            text,
  assignment_group    text,
  reassignment_count  integer not null,
  reopen_count        integer not null,
  source_sla_met      boolean,
  -- Stop instants of the SLA evaluations with a verdict (met or breached), else null.
  resolution_stopped_at timestamptz,
  resolution_met        boolean,
  response_stopped_at   timestamptz,
  response_met          boolean,
  primary key (source_id, external_id)
);

-- Counters per UTC day for every combination of the four filters (a cube). `level` is
-- grouping(source_id, priority, category, assignment_group): a bit set means the dimension is
-- rolled up (its column null), so a query with filters F reads the one level where exactly the
-- dimensions of F are kept, one row per day. Sums of durations are exact (numeric seconds).
create table rollup_day (
  level                smallint not null,
  day                  date not null,
  source_id            integer,
  priority             smallint,
  category             text,
  assignment_group     text,
  opened               bigint not null default 0,
  restored             bigint not null default 0,
  first_time           bigint not null default 0,
  escalated            bigint not null default 0,
  reopened             bigint not null default 0,
  mtrs_n               bigint not null default 0,
  mtrs_seconds         numeric not null default 0,
  mtta_n               bigint not null default 0,
  mtta_seconds         numeric not null default 0,
  -- Incidents that left the backlog this day: restored, keyed by greatest(opened_at, restored_at).
  left_backlog         bigint not null default 0,
  resolution_met       bigint not null default 0,
  resolution_breached  bigint not null default 0,
  response_met         bigint not null default 0,
  response_breached    bigint not null default 0,
  verdict_n            bigint not null default 0,
  verdict_source_met   bigint not null default 0,
  verdict_agree        bigint not null default 0,
  constraint rollup_day_key unique nulls not distinct
    (level, source_id, priority, category, assignment_group, day)
);

-- Log-bucketed histograms of time to restore ('ttr') and to acknowledge ('tta') per UTC month,
-- for the levels with at most one filter (levels 15, 7, 11, 13, 14). Bucket b holds durations in
-- [1.002^b, 1.002^(b+1)) seconds; its geometric midpoint is within 0.1 % of any value in it.
-- A duration of exactly 0 has its own bucket (-1000000).
create table rollup_hist (
  kind              text not null check (kind in ('ttr', 'tta')),
  level             smallint not null,
  month             date not null,
  source_id         integer,
  priority          smallint,
  category          text,
  assignment_group  text,
  bucket            integer not null,
  n                 bigint not null,
  constraint rollup_hist_key unique nulls not distinct
    (kind, level, source_id, priority, category, assignment_group, month, bucket)
);

/* The histogram bucket of a duration in seconds (null for a negative one). */
create function rollup_bucket(seconds float8) returns integer
  language sql immutable parallel safe
  return case
    when seconds < 0 then null
    when seconds = 0 then -1000000
    else floor(ln(seconds) / ln(1.002))::integer
  end;

/* The value that stands for a bucket: its geometric midpoint, in seconds. */
create function rollup_bucket_value(bucket integer) returns float8
  language sql immutable parallel safe
  return case when bucket = -1000000 then 0 else exp((bucket + 0.5) * ln(1.002)) end;

/*
 * percentile_cont(p) of the values a histogram stands for, each value taken as its bucket's
 * midpoint: buckets ascending, counts aligned. Null over an empty histogram.
 */
create function rollup_hist_percentile(buckets integer[], counts bigint[], p float8) returns float8
  language plpgsql immutable parallel safe
as $$
declare
  total bigint := 0;
  rank float8;
  lo bigint;
  hi bigint;
  seen bigint := 0;
  v_lo float8;
  v_hi float8;
  i integer;
begin
  if buckets is null then return null; end if;
  for i in 1 .. coalesce(array_length(counts, 1), 0) loop total := total + counts[i]; end loop;
  if total = 0 then return null; end if;
  rank := p * (total - 1);
  lo := floor(rank);
  hi := ceil(rank);
  for i in 1 .. array_length(buckets, 1) loop
    seen := seen + counts[i];
    if v_lo is null and seen > lo then v_lo := rollup_bucket_value(buckets[i]); end if;
    if seen > hi then
      v_hi := rollup_bucket_value(buckets[i]);
      exit;
    end if;
  end loop;
  return v_lo + (rank - lo) * (v_hi - v_lo);
end
$$;

-- Edges of a window (partial days) and the backlog read the incident table; the greatest of
-- opened and restored keys when an incident left the backlog.
create index rollup_incident_left_idx on incident ((greatest(opened_at, restored_at))) where restored_at is not null;

insert into derived_watermark (name, version) values ('rollups', 0) on conflict (name) do nothing;
