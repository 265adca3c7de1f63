-- What the dashboard's filter bar offers: sources with their incident counts (those that hold
-- any: a refused import or one whose every row was rejected leaves an empty source behind), the
-- categories and assignment groups that occur (and '(none)', which matches the incidents without
-- one, when there are such), and the extent of opened_at and restored_at (null
-- when empty). The extent ends at the latest time not after now: a time in the future is a
-- mistake in the data (a year typed 2999), and the dashboard's presets count back from the end of
-- the extent. Only when every time is in the future does the extent end at the latest of them.
--
-- Read without scanning the incidents (0.5 s at 1 M before): a source's count is what the rollups
-- counted opened over its cell (every incident is opened once), plus the incidents they have not
-- absorbed yet (newer than their watermark and without a record in rollup_contrib; after a crash
-- emptied the rollups that is every incident). The distinct categories and groups come from
-- their indexes one value at a time (a loose index scan: one descent per value).
--
-- :absorbed is the rollups' watermark, read just before (any value up to the one this statement
-- sees would do: an incident absorbed since has its record, and is left out here). Given as a
-- value, the planner sees how few incidents passed it and probes rollup_contrib for each; read
-- from rollup_state here, it guessed a third of the table and hashed all of rollup_contrib
-- instead (1.6 s at 10 M incidents, for none).
with recursive
  counted as (
    select c.source_id, sum(d.opened) as n
      from rollup_cell c join rollup_day d on d.cell = c.id
     where c.level = 7
     group by c.source_id
    union all
    select i.source_id, count(*)
      from incident i
     where i.version > :absorbed::bigint
       and not exists (select from rollup_contrib r where r.source_id = i.source_id and r.external_id = i.external_id)
     group by i.source_id
  ),
  categories (category) as (
    (select min(category) from incident where category is not null)
    union all
    select (select min(i.category) from incident i where i.category > c.category)
      from categories c where c.category is not null
  ),
  groups (assignment_group) as (
    (select min(assignment_group) from incident where assignment_group is not null)
    union all
    select (select min(i.assignment_group) from incident i where i.assignment_group > g.assignment_group)
      from groups g where g.assignment_group is not null
  )
select
  (select coalesce(json_agg(json_build_object('name', s.name, 'incidents', n.incidents)
                            order by s.name), '[]'::json)
     from source s
     join (select source_id, sum(n)::int as incidents from counted group by source_id) as n
       on n.source_id = s.id
    where n.incidents > 0) as sources,
  -- '(none)' last when some incident has none: the filter value that matches the missing ones.
  to_json(array(select category from categories where category is not null order by category)
          || case when exists (select from incident where category is null) then array['(none)'] else '{}' end)
    as categories,
  to_json(array(select assignment_group from groups where assignment_group is not null order by assignment_group)
          || case when exists (select from incident where assignment_group is null) then array['(none)'] else '{}' end)
    as assignment_groups,
  (select min(opened_at) from incident) as opened_from,
  coalesce((select max(opened_at) from incident where opened_at <= now()),
           (select max(opened_at) from incident)) as opened_to,
  (select min(restored_at) from incident) as restored_from,
  coalesce((select max(restored_at) from incident where restored_at <= now()),
           (select max(restored_at) from incident)) as restored_to
