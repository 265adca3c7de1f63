/**
 * The SQL of the SLA engine, in one place. Every value is a bound parameter; the only text
 * spliced in comes from the fixed fragments below.
 */

/** Incident columns the clock needs, with its status and priority events in time order. */
const INCIDENT_COLUMNS = `
  i.source_id, i.external_id, i.opened_at, i.acknowledged_at, i.restored_at, i.closed_at, i.priority,
  i.version,
  s.name as source, i.service, i.category,
  coalesce((
    select json_agg(json_build_array(extract(epoch from e.at) * 1000, e.kind, e.from_value, e.to_value)
                    order by e.at, e.seq)
    from incident_event e
    where e.source_id = i.source_id and e.external_id = i.external_id and e.kind in ('status', 'priority')
  ), '[]'::json) as events`;

/** Incidents changed since the watermark, up to the version seen at the start, by version. */
export const CHANGED_PAGE = `
  select ${INCIDENT_COLUMNS}
  from incident i join source s on s.id = i.source_id
  where i.version > $1 and i.version <= $2
  order by i.version
  limit $3`;

/** Incidents with an open clock due for a recheck at $4, by key after ($1, $2). */
export const OPEN_PAGE = `
  select ${INCIDENT_COLUMNS}
  from (
    select distinct source_id, external_id
    from sla_evaluation
    where stopped_at is null and recheck_at <= $4 and (source_id, external_id) > ($1, $2)
    order by source_id, external_id
    limit $3
  ) o
  join incident i on i.source_id = o.source_id and i.external_id = o.external_id
  join source s on s.id = i.source_id
  order by i.source_id, i.external_id`;

/**
 * Incidents a policy may govern after a change: those evaluated under it, and those its
 * applies-to matches (every incident for a policy without a subset), by key after ($1, $2).
 */
export const POLICY_PAGE = `
  select ${INCIDENT_COLUMNS}
  from incident i join source s on s.id = i.source_id
  where (i.source_id, i.external_id) > ($1, $2)
    and (
      exists (select 1 from sla_evaluation v
              where v.source_id = i.source_id and v.external_id = i.external_id and v.policy_id = $4)
      or exists (select 1 from sla_policy p
                 where p.id = $4
                   and (p.applies_source is null or p.applies_source = s.name)
                   and (p.applies_service is null or p.applies_service = i.service)
                   and (p.applies_category is null or p.applies_category = i.category))
    )
  order by i.source_id, i.external_id
  limit $3`;

/**
 * One multi-row upsert of a batch of evaluations, from parallel arrays. A row whose values did not
 * change is left alone, so computed_at moves only when something did (the rollups re-absorb
 * incidents by it). The incident's version is not among the values compared: an incident edit
 * that leaves a clock as it was (most do: a new note, a restoration that moves the resolution
 * clock but not the response clock) rewrote that clock's row and its six index entries for the
 * version alone, which nothing reads. So incident_version is the version of the incident when its
 * clock last changed.
 */
export const UPSERT_EVALUATIONS = `
  insert into sla_evaluation (
    source_id, external_id, kind, policy_id, policy_version, calendar_id, priority, target_minutes,
    elapsed_minutes, paused_minutes, started_at, stopped_at, due_at, timezone, status, breached_at,
    incident_version, recheck_at, computed_at)
  select u.*, now()
  from unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::smallint[],
              $8::numeric[], $9::numeric[], $10::numeric[], $11::timestamptz[], $12::timestamptz[],
              $13::timestamptz[], $14::text[], $15::text[], $16::timestamptz[], $17::bigint[],
              $18::timestamptz[]) as u
  on conflict (source_id, external_id, kind) do update set
    policy_id = excluded.policy_id,
    policy_version = excluded.policy_version,
    calendar_id = excluded.calendar_id,
    priority = excluded.priority,
    target_minutes = excluded.target_minutes,
    elapsed_minutes = excluded.elapsed_minutes,
    paused_minutes = excluded.paused_minutes,
    started_at = excluded.started_at,
    stopped_at = excluded.stopped_at,
    due_at = excluded.due_at,
    timezone = excluded.timezone,
    status = excluded.status,
    breached_at = excluded.breached_at,
    incident_version = excluded.incident_version,
    recheck_at = excluded.recheck_at,
    computed_at = excluded.computed_at
  where (
      sla_evaluation.policy_id, sla_evaluation.policy_version, sla_evaluation.calendar_id,
      sla_evaluation.priority, sla_evaluation.target_minutes, sla_evaluation.elapsed_minutes,
      sla_evaluation.paused_minutes, sla_evaluation.started_at, sla_evaluation.stopped_at,
      sla_evaluation.due_at, sla_evaluation.timezone, sla_evaluation.status,
      sla_evaluation.breached_at, sla_evaluation.recheck_at
    ) is distinct from (
      excluded.policy_id, excluded.policy_version, excluded.calendar_id, excluded.priority,
      excluded.target_minutes, excluded.elapsed_minutes, excluded.paused_minutes,
      excluded.started_at, excluded.stopped_at, excluded.due_at, excluded.timezone,
      excluded.status, excluded.breached_at, excluded.recheck_at
    )`;

/**
 * Removes evaluations that no longer apply (bad times, no policy or no target), and records the
 * incidents of the stopped ones for the rollups, which counted their verdicts (sql/057).
 */
export const DELETE_EVALUATIONS = `
  with gone as (
    delete from sla_evaluation v
    using unnest($1::int[], $2::text[], $3::text[]) as d (source_id, external_id, kind)
    where v.source_id = d.source_id and v.external_id = d.external_id and v.kind = d.kind
    returning v.source_id, v.external_id, v.stopped_at
  )
  insert into sla_evaluation_removed (source_id, external_id)
  select distinct source_id, external_id from gone where stopped_at is not null`;

export const LOAD_POLICIES = `
  select p.id, p.name, p.applies_source, p.applies_service, p.applies_category, p.pause_statuses,
         p.stop_statuses, p.version,
         coalesce(json_agg(json_build_object(
           'priority', t.priority, 'responseMinutes', t.response_minutes::float8,
           'resolutionMinutes', t.resolution_minutes::float8, 'calendarId', t.calendar_id)
           order by t.priority) filter (where t.priority is not null), '[]') as targets
  from sla_policy p left join sla_policy_target t on t.policy_id = p.id
  group by p.id
  order by p.id`;

export const LOAD_CALENDARS = `
  select c.id, c.name, c.timezone, c.kind, c.weekly, c.version,
         coalesce(array_agg(to_char(h.day, 'YYYY-MM-DD') order by h.day)
                  filter (where h.day is not null), '{}') as holidays
  from sla_calendar c left join sla_calendar_holiday h on h.calendar_id = c.id
  group by c.id
  order by c.id`;
