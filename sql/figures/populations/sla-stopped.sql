-- The SLA evaluations of both kinds (sla_evaluation) whose clock stopped in the window with a
-- verdict, met or breached, with their incident. The base of sla-resolution.sql, sla-response.sql
-- and source-verdict.sql: a query that uses any of them defines this one as the CTE `sla_stopped`.
-- Filters apply to the incident (its current priority, category, group).
--
-- The incident's sort keys (opening, restoration, priority) are given as expressions that also
-- read the evaluation (adding its stop less itself: nothing), so a list can sort them only after
-- the join. Given the columns themselves, PostgreSQL sorted or walked the incidents in the list's
-- order and looked up each one's evaluations until a page was full, expecting the window's
-- verdicts to be spread over every opening time. They are not: at 1 M incidents a month's
-- breached list newest first walked back from the data's end (3.9 s), and half a year's met list
-- oldest first sorted every incident and looked up 467 000 of them (5-6 s). Now a list costs what
-- its window's verdicts do, in any order: that month 0.26-0.33 s, that half year 1.8-2.2 s, a
-- whole year's 892 000 met 2.5-3.0 s.
select w.period,
       i.source_id,
       i.external_id,
       i.opened_at + (e.stopped_at - e.stopped_at) as opened_at,
       i.restored_at + (e.stopped_at - e.stopped_at) as restored_at,
       i.priority + (e.stopped_at <> e.stopped_at)::int as priority,
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
