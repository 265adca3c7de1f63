-- Policies stored by earlier versions may hold blank statuses, or a status in both the pausing
-- and the stop list (matched, as the clocks match them, without the spaces around them and in
-- any case). Since the API refuses both (POST and PUT), such a policy could not be sent back as
-- GET lists it. They are cleaned:
--
-- * A blank status (or a null) goes. No clock changes: an import stores a blank status as none,
--   so no incident was ever in one.
-- * A status in both lists stays pausing and leaves the stop list. The pausing list decides every
--   stretch of time spent in the status: the clock asks it first, so that time was paused
--   whatever the stop list said, and still is. The stop list's one effect was that a move to the
--   status was no reopen; now it is one, so an incident that went from Resolved to it has its
--   time in Resolved before the move paused, as for any reopen (docs/sla.md, "The clock").
--   Keeping it as a stop status instead would have counted the time spent in it as working time
--   on every clock with no reopen after it: a change on every incident that ever waited in it.
--   Such a policy gets a new version and its clocks are recomputed at the next refresh.
with cleaned as (
  select p.id,
         array(select s from unnest(p.pause_statuses) with ordinality as u(s, n)
               where btrim(s) <> '' order by n) as pause,
         array(select s from unnest(p.stop_statuses) with ordinality as u(s, n)
               where btrim(s) <> ''
                 and lower(btrim(s)) not in (select lower(btrim(q)) from unnest(p.pause_statuses) as q
                                             where btrim(q) <> '')
               order by n) as stop,
         exists (select from unnest(p.stop_statuses) as s
                 join unnest(p.pause_statuses) as q on lower(btrim(s)) = lower(btrim(q))
                 where btrim(s) <> '') as in_both
  from sla_policy p
),
changed as (
  update sla_policy p
     set pause_statuses = c.pause,
         stop_statuses = c.stop,
         version = p.version + case when c.in_both then 1 else 0 end,
         updated_at = case when c.in_both then now() else p.updated_at end
    from cleaned c
   where c.id = p.id
     and (c.pause is distinct from p.pause_statuses or c.stop is distinct from p.stop_statuses)
  returning p.id, c.in_both
)
insert into sla_recompute (policy_id)
select id from changed where in_both
on conflict (policy_id) do update set requested_at = now();
