-- One incident as stored, found by source name and external id, with its events in order and its
-- SLA evaluations by kind. No row when either is unknown.
select s.name as source,
       i.*,
       (select coalesce(json_agg(json_build_object(
                 'seq', e.seq, 'at', e.at, 'kind', e.kind, 'from', e.from_value, 'to', e.to_value)
               order by e.seq), '[]'::json)
          from incident_event e
         where e.source_id = i.source_id and e.external_id = i.external_id) as events,
       (select json_object_agg(v.kind, json_build_object(
                 'targetMinutes', v.target_minutes,
                 'elapsedMinutes', v.elapsed_minutes,
                 'pausedMinutes', v.paused_minutes,
                 'dueAt', v.due_at,
                 'status', v.status,
                 'breachedAt', v.breached_at,
                 'timezone', v.timezone,
                 'policyId', v.policy_id))
          from sla_evaluation v
         where v.source_id = i.source_id and v.external_id = i.external_id) as sla,
       -- Changed since the SLA evaluations were last computed (an import with --no-refresh, or
       -- between refreshes): what sla holds is from before the change.
       i.version > coalesce((select w.version from derived_watermark w where w.name = 'sla'), 0) as sla_pending
from source s
join incident i on i.source_id = s.id
where s.name = :source::text
  and i.external_id = :external_id::text
