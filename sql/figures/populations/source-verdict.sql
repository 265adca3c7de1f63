-- Source-verdict population: incidents whose resolution evaluation stopped in the window with a
-- verdict (as sla-resolution.sql) and whose source records its own verdict (source_sla_met not
-- null). Tags: 'agree' or 'disagree' (source met = ours met), and 'source-met' when the source
-- says met.
select s.*,
       array_remove(array[
         case when s.source_sla_met = (s.evaluation_status = 'met') then 'agree' else 'disagree' end,
         case when s.source_sla_met then 'source-met' end
       ], null) as tags
from sla_stopped s
where s.evaluation_kind = 'resolution'
  and s.source_sla_met is not null
