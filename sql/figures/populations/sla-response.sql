-- Response SLA population: response evaluations stopped in the window with a verdict (from
-- sla_stopped, see sla-stopped.sql). Tags: 'met' or 'breached'.
select s.*,
       s.evaluation_status = :tag::text as tagged
from sla_stopped s
where s.evaluation_kind = 'response'
