-- The SLA evaluations of both kinds (sla_evaluation) whose clock stopped in the window with a
-- verdict, met or breached, with their incident. The base of sla-resolution.sql, sla-response.sql
-- and source-verdict.sql: a query that uses any of them defines this one as the CTE `sla_stopped`,
-- so that the summary joins evaluations to incidents once for all three. Filters apply to the
-- incident (its current priority, category, group). Only the columns the figures and lists read,
-- because the summary materialises it.
select w.period,
       i.source_id,
       i.external_id,
       i.opened_at,
       i.restored_at,
       i.priority,
       i.category,
       i.assignment_group,
       i.service,
       i.detection_source,
       i.status,
       i.source_sla_met,
       e.kind as evaluation_kind,
       e.status as evaluation_status
from win w
join sla_evaluation e
  on e.kind in ('response', 'resolution')
 and e.stopped_at >= w.from_at and e.stopped_at < w.to_at
 and e.status in ('met', 'breached')
join scope i on i.source_id = e.source_id and i.external_id = e.external_id
