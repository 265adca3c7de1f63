-- Incidents within the user's filters. Every figure reads incidents through this one query, so a
-- filter means the same in every figure. A filter whose parameter is null is off. Sources are
-- chosen by name; priority, category and assignment group are exact matches, and the category or
-- group '(none)' (the key a series gives missing values) matches incidents without one.
select i.*
from incident i
where (:source::text is null
       or i.source_id = (select s.id from source s where s.name = :source::text))
  and (:priority::int is null or i.priority = :priority::int)
  and (:category::text is null
       or i.category = :category::text
       or (:category::text = '(none)' and i.category is null))
  and (:assignment_group::text is null
       or i.assignment_group = :assignment_group::text
       or (:assignment_group::text = '(none)' and i.assignment_group is null))
