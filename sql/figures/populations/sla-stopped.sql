-- The SLA evaluations of both kinds (sla_evaluation) whose clock stopped in the window with a
-- verdict, met or breached, with their incident. The base of sla-resolution.sql, sla-response.sql
-- and source-verdict.sql: a query that uses any of them defines this one as the CTE `sla_stopped`.
-- Filters apply to the incident (its current priority, category, group).
--
-- The incident's sort keys (opening, restoration, priority) are given as expressions (+ 0), not
-- as the columns: a list sorted by a column let PostgreSQL walk that column's index in order and
-- look up each incident's evaluations until a page was full, expecting the window's verdicts to
-- be spread over every opening time. They are not: a month's breached list at 1 M incidents,
-- newest first, walked back from the data's end (3.9 s; oldest first 0.6-0.8 s). As expressions
-- they make it start from the window's evaluations, whatever the order: 0.22-0.32 s for that
-- month by any sort. The cost now follows the window's verdicts (a year's 92 000 breached: ~1.1
-- s; its 892 000 met: ~1.6 s) where the walk's followed the incidents opened before the window,
-- all of them for an oldest-first list, however many years the table holds (a year that happens
-- to start with the data took 0.6-0.7 s that way).
select w.period,
       i.source_id,
       i.external_id,
       i.opened_at + interval '0 seconds' as opened_at,
       i.restored_at + interval '0 seconds' as restored_at,
       i.priority + 0 as priority,
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
