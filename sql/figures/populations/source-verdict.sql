-- Source-verdict population: incidents whose resolution evaluation stopped in the window with a
-- verdict (the same evaluations as sla-resolution.sql) and whose source records its own verdict
-- (source_sla_met not null). Tags: 'agree' or 'disagree' (source met = ours met), and 'source-met'
-- when the source says met.
select w.period,
       i.*,
       e.status as evaluation_status,
       array_remove(array[
         case when i.source_sla_met = (e.status = 'met') then 'agree' else 'disagree' end,
         case when i.source_sla_met then 'source-met' end
       ], null) as tags
from win w
join sla_evaluation e
  on e.kind = 'resolution'
 and e.stopped_at >= w.from_at and e.stopped_at < w.to_at
 and e.status in ('met', 'breached')
join scope i on i.source_id = e.source_id and i.external_id = e.external_id
where i.source_sla_met is not null
