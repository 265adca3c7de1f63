-- What the dashboard's filter bar offers: sources with their incident counts (those that hold
-- any: a refused import or one whose every row was rejected leaves an empty source behind), the
-- categories and assignment groups that occur, and the extent of opened_at and restored_at (null
-- when empty).
select
  (select coalesce(json_agg(json_build_object('name', s.name, 'incidents', n.incidents)
                            order by s.name), '[]'::json)
     from source s
     cross join lateral (select count(*)::int as incidents from incident i
                          where i.source_id = s.id) as n
    where n.incidents > 0) as sources,
  (select coalesce(json_agg(c.category order by c.category), '[]'::json)
     from (select distinct category from incident where category is not null) as c) as categories,
  (select coalesce(json_agg(g.assignment_group order by g.assignment_group), '[]'::json)
     from (select distinct assignment_group from incident
            where assignment_group is not null) as g) as assignment_groups,
  (select min(opened_at) from incident) as opened_from,
  (select max(opened_at) from incident) as opened_to,
  (select min(restored_at) from incident) as restored_from,
  (select max(restored_at) from incident) as restored_to
