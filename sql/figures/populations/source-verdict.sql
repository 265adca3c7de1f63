-- Source-verdict population: incidents whose resolution evaluation stopped in the window with a
-- verdict (as sla-resolution.sql) and whose source records its own verdict (source_sla_met not
-- null). Tag: 'disagree' when the source's verdict is not ours.
select s.*,
       case :tag::text
         when 'disagree' then s.source_sla_met <> (s.evaluation_status = 'met')
         else false
       end as tagged
from sla_stopped s
where s.evaluation_kind = 'resolution'
  and s.source_sla_met is not null
