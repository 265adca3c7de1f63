-- Response SLA population: the response evaluations (sla_evaluation, kind 'response') whose
-- clock stopped in the window with a verdict, met or breached. Tags: 'met' or 'breached'.
-- Filters apply to the incident (its current priority, category, group).
select w.period,
       i.*,
       e.status as evaluation_status,
       array[e.status] as tags
from win w
join sla_evaluation e
  on e.kind = 'response'
 and e.stopped_at >= w.from_at and e.stopped_at < w.to_at
 and e.status in ('met', 'breached')
join scope i on i.source_id = e.source_id and i.external_id = e.external_id
