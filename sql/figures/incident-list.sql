-- One page of the incidents behind a figure (their total is the summary's n: the server takes it
-- from the rollups, where counting these rows took seconds at 10 M incidents). The population file
-- is chosen by the server from a fixed list ({population}); :tag narrows it to the rows carrying
-- that tag (e.g. 'first-time' within the resolved population), or is null for all of them. Each
-- population says which of its rows carry :tag in its column `tagged`, a CASE on :tag that
-- PostgreSQL reduces to the one tag's test (as an array of every row's tags, built for each row,
-- it took most of a year's first-time list: 1.2-1.5 s at 1 M incidents).
-- :sort is one of a fixed list (incident-order.sql); ties go by source and external id so
-- that pages never overlap.
--
-- The page is chosen from the population's keys and sort columns alone, which the covering
-- indexes of the window populations hold (sql/063): PostgreSQL keeps the best :offset + :limit
-- rows as it reads and never sorts the rest. Only the page's rows are then read whole. Reading
-- every row of the population whole and sorting them all took 4.7 s for a year's MTRS list at
-- 1 M incidents. The keys are cheap to compare: ties by the source's id, not its name (joined
-- for every row, the name cost a third of the time), and the time to restore as an interval
-- (as hours through a numeric, twice as long).
with
  win as not materialized (
    -- @include windows.sql
  ),
  scope as not materialized (
    -- @include scope.sql
  ),
  -- The base of the SLA populations; PostgreSQL does not run it for the others.
  sla_stopped as (
    -- @include populations/sla-stopped.sql
  ),
  population as (
    -- @include populations/{population}.sql
  ),
  chosen as not materialized (
    select p.source_id, p.external_id, p.opened_at, p.restored_at, p.priority,
           case when p.restored_at >= p.opened_at then p.restored_at - p.opened_at end as ttr
    from population p
    where p.period = 'current'
      and (:tag::text is null or p.tagged)
  ),
  -- Where a walk may start and stop: the window bounds the times of a population's incidents, as
  -- the server says for each population (:walk_opened, :walk_restored), so a walk starts at the
  -- window, not at the data's end (a month's met clocks newest first, a month before the data's
  -- end at 10 M incidents: 8 s to read them all, when the walk from the end found none). Unbounded,
  -- a time runs from -infinity to infinity.
  --   opened 'within': opened in the window (the opened population).
  --   opened 'before': opened before the window's end (restored or acknowledged in it, not before
  --     opening: mtrs, mtta).
  --   opened 'before-restored': the same, or up to the latest opening of an incident restored in
  --     the window before it was opened (resolved; read from the stop-gap index of sql/052: in
  --     generated data a few hours later).
  --   opened 'before-clocks', restored 'within-clocks': a clock stopped in the window stopped at or
  --     after its incident's opening (the SLA engine gives a stop before opening no clock), at its
  --     restoration for a resolution clock; or, for an incident changed since the SLA engine's
  --     last pass with a clock stopped in the window (its clock may be of its earlier times), as
  --     far as its own times.
  --   restored 'within': restored in the window (mtrs, resolved).
  -- :sla_version is the SLA engine's watermark, passed as a value so that PostgreSQL sees how few
  -- incidents lie past it (read inside the query, its guess was a third of them).
  stale_clocks as materialized (
    -- Each bound just past the latest time (or at the first), an expression: on a column alone,
    -- PostgreSQL would take max() from the column's index, reading it down from the data's end
    -- (2.6 s for November at 10 M incidents) instead of the few incidents this finds.
    select min(i.opened_at + interval '0') as opened_from,
           max(i.opened_at + interval '1 microsecond') as opened_to,
           min(i.restored_at + interval '0') as restored_from,
           max(i.restored_at + interval '1 microsecond') as restored_to
    from incident i
    cross join win w
    where w.period = 'current'
      and :walk_opened::text = 'before-clocks'
      and i.version > :sla_version::bigint
      and exists (
        select from sla_evaluation e
        where e.source_id = i.source_id and e.external_id = i.external_id
          and e.stopped_at >= w.from_at and e.stopped_at < w.to_at
          and e.status in ('met', 'breached'))
  ),
  -- :walk_opened_from: a walk oldest first starts 30 days before the window (168 hours for a met
  -- SLA list, 24 for a met response list, below), and the incidents of the population opened
  -- before that are read whole first (walked, `whole`):
  --   'restored' (restored in the window, and not before opening, or opened after its start:
  --     mtrs, resolved): those restored in it more than 720 hours after opening, from the partial
  --     index incident_long_restore_idx (sql/059; 3 521 in November at 10 M incidents);
  --   'clocks': those whose clock stopped in it ran more than 720 hours from their opening (the
  --     clock's start), from the partial index sla_evaluation_long_idx (sql/069); an incident
  --     changed since the SLA engine's last pass moves the start to its opening, if earlier. The
  --     met lists start 168 hours before the window instead, after the met clocks that ran longer
  --     (sla_evaluation_long_met_idx, sql/070): met clocks are short, and those stopped in
  --     November at 10 M incidents started from 10-17 on, so a walk from 30 days before found
  --     none of them and read the whole population (~10 s). Met response clocks ('response-clocks'),
  --     shorter still (from 10-29 on), start 24 hours before, after those that ran longer
  --     (sla_evaluation_long_response_idx, sql/071).
  -- A month of MTRS oldest first at 10 M incidents: 1.2 s to read its whole population when the
  -- walk from the data's start found none of it; of first-time resolutions, 10-11 s.
  walk_bounds as materialized (
    select case
             when :walk_opened::text = 'within' then w.from_at
             when :walk_opened_from::text = 'restored' then w.from_at - interval '720 hours'
             when :walk_opened_from::text in ('clocks', 'response-clocks') then least(
               w.from_at - case
                             when :tag::text = 'met' and :walk_opened_from::text = 'response-clocks' then interval '24 hours'
                             when :tag::text = 'met' then interval '168 hours'
                             else interval '720 hours'
                           end,
               (select opened_from from stale_clocks))
             else '-infinity'
           end as opened_from,
           case :walk_opened::text
             when 'within' then w.to_at
             when 'before' then w.to_at
             when 'before-clocks' then greatest(w.to_at, (select opened_to from stale_clocks))
             when 'before-restored' then greatest(w.to_at, (
               select max(i.opened_at + interval '1 microsecond')
               from incident i
               where coalesce(i.restored_at, i.closed_at) < i.opened_at
                 and coalesce(i.restored_at, i.closed_at) >= w.from_at
                 and coalesce(i.restored_at, i.closed_at) < w.to_at
                 and i.restored_at is not null))
             else 'infinity'
           end as opened_to,
           case :walk_restored::text
             when 'within' then w.from_at
             when 'within-clocks' then least(w.from_at, (select restored_from from stale_clocks))
             else '-infinity'
           end as restored_from,
           case :walk_restored::text
             when 'within' then w.to_at
             when 'within-clocks' then greatest(w.to_at, (select restored_to from stale_clocks))
             else 'infinity'
           end as restored_to
    from win w
    where w.period = 'current'
  ),
  -- The clocks stopped in the window that started before the walk's start (walk_bounds), each
  -- read from its partial index: the met responses for a met response list, the met ones for
  -- another met list, else every long one.
  long_clocks as not materialized (
    select e.source_id, e.external_id
    from sla_evaluation e
    cross join win w
    where w.period = 'current' and :tag::text = 'met' and :walk_opened_from::text = 'response-clocks'
      and e.stopped_at - e.started_at > interval '24 hours' and e.status = 'met' and e.kind = 'response'
      and e.started_at < (select opened_from from walk_bounds)
      and e.stopped_at >= w.from_at and e.stopped_at < w.to_at
    union all
    select e.source_id, e.external_id
    from sla_evaluation e
    cross join win w
    where w.period = 'current' and :tag::text = 'met' and :walk_opened_from::text = 'clocks'
      and e.stopped_at - e.started_at > interval '168 hours' and e.status = 'met'
      and e.started_at < (select opened_from from walk_bounds)
      and e.stopped_at >= w.from_at and e.stopped_at < w.to_at
    union all
    select e.source_id, e.external_id
    from sla_evaluation e
    cross join win w
    where w.period = 'current' and :tag::text is distinct from 'met'
      and e.stopped_at - e.started_at > interval '720 hours' and e.status in ('met', 'breached')
      and e.started_at < (select opened_from from walk_bounds)
      and e.stopped_at >= w.from_at and e.stopped_at < w.to_at
  ),
  -- The page is first looked for among the first :walk incidents within the filters in the
  -- list's order (by opening or restoration time, read from the covering index of that time,
  -- rollup_incident_opened_cover_idx or rollup_incident_restored_cover_idx; by priority, the
  -- opening time's within each priority; by time to restore, from incident_ttr_idx; by
  -- restoration or time to restore, those that have one, since the others sort last either way):
  -- those of the population among them, leaving out the walk's last time (incidents sharing it
  -- may lie beyond the walk). Every incident of the population before that time is among them,
  -- so when they fill the page, it is the page. When they do not (the population lies further
  -- on, or a later page), the page comes from all of the population, as for the backlog (:walk is
  -- 0 for it), or with :fallback false there is no page (the server then tries a longer walk). A
  -- year's breached list at 10 M incidents: 5-9 s to read every breached clock's incident,
  -- 0.03-0.3 s to walk the first two thousand incidents.
  walked as materialized (
    (select i.source_id, i.external_id, i.opened_at as at, null::interval as span, null::int as rank, false as whole
     from scope i
     where :sort::text = 'openedAt'
       and i.opened_at >= (select opened_from from walk_bounds) and i.opened_at < (select opened_to from walk_bounds)
     order by i.opened_at
     limit :walk::int)
    union all
    -- Oldest first, before that walk: every incident restored in the window so long after opening
    -- that the walk starts after it (walk_bounds), all of them (`whole`: not counted in the walk's
    -- length, which says whether the walk read to the end).
    (select i.source_id, i.external_id, i.opened_at, null, null, true
     from scope i
     cross join win w
     where :sort::text = 'openedAt' and :walk_opened_from::text = 'restored' and w.period = 'current'
       and i.restored_at - i.opened_at > interval '720 hours'
       and i.opened_at < (select opened_from from walk_bounds)
       and i.restored_at >= w.from_at and i.restored_at < w.to_at)
    union all
    -- An incident with both clocks long comes once; each is looked up by key (OFFSET 0: as a hash
    -- join, PostgreSQL read every incident opened before the walk's start, 3.8 s at 10 M).
    (select distinct i.source_id, i.external_id, i.opened_at, null::interval, null::int, true
     from long_clocks e
     cross join lateral (
       select i.source_id, i.external_id, i.opened_at
       from scope i
       where i.source_id = e.source_id and i.external_id = e.external_id
         and i.opened_at < (select opened_from from walk_bounds)
       offset 0
     ) i
     where :sort::text = 'openedAt' and :walk_opened_from::text in ('clocks', 'response-clocks'))
    union all
    (select i.source_id, i.external_id, i.opened_at, null, null, false
     from scope i
     where :sort::text = '-openedAt'
       and i.opened_at >= (select opened_from from walk_bounds) and i.opened_at < (select opened_to from walk_bounds)
     order by i.opened_at desc
     limit :walk::int)
    union all
    (select i.source_id, i.external_id, i.restored_at, null, null, false
     from scope i
     where :sort::text = 'restoredAt' and i.restored_at is not null
       and i.restored_at >= (select restored_from from walk_bounds) and i.restored_at < (select restored_to from walk_bounds)
     order by i.restored_at
     limit :walk::int)
    union all
    (select i.source_id, i.external_id, i.restored_at, null, null, false
     from scope i
     where :sort::text = '-restoredAt' and i.restored_at is not null
       and i.restored_at >= (select restored_from from walk_bounds) and i.restored_at < (select restored_to from walk_bounds)
     order by i.restored_at desc
     limit :walk::int)
    union all
    (select i.source_id, i.external_id, null, i.restored_at - i.opened_at, null, false
     from scope i
     where :sort::text = 'ttrHours' and i.restored_at >= i.opened_at
     order by i.restored_at - i.opened_at
     limit :walk::int)
    union all
    (select i.source_id, i.external_id, null, i.restored_at - i.opened_at, null, false
     from scope i
     where :sort::text = '-ttrHours' and i.restored_at >= i.opened_at
     order by i.restored_at - i.opened_at desc
     limit :walk::int)
    union all
    -- By priority, each priority's incidents newest first, the priorities in the list's order
    -- (priority is 1 to 5: the table's check); `rank` is the priority's place in that order. The
    -- incremental sort over the priorities' ranks reads one priority's walk at a time, and stops
    -- at :walk.
    (select i.source_id, i.external_id, i.opened_at, null, v.rank::int, false
     from unnest(case :sort::text when 'priority' then array[1, 2, 3, 4, 5]
                                  when '-priority' then array[5, 4, 3, 2, 1] end) with ordinality v (priority, rank)
     cross join lateral (
       select i.source_id, i.external_id, i.opened_at
       from scope i
       where i.priority = v.priority
         and i.opened_at >= (select opened_from from walk_bounds) and i.opened_at < (select opened_to from walk_bounds)
       order by i.opened_at desc
       limit :walk::int
     ) i
     where :priority::int is null or v.priority = :priority::int
     order by v.rank, i.opened_at desc
     limit :walk::int)
  ),
  edge as (
    select count(*) filter (where not w.whole) as n, min(w.at) as first_at, max(w.at) as last_at,
           min(w.span) as first_span, max(w.span) as last_span, max(w.rank) as last_rank,
           min(w.at) filter (where w.rank = (select max(rank) from walked)) as last_rank_at
    from walked w
  ),
  hits as materialized (
    select c.*
    from walked w
    cross join edge
    -- Looked up by key for each incident walked (OFFSET 0 keeps PostgreSQL from joining the
    -- walk to the whole population instead).
    cross join lateral (
      select c.* from chosen c where c.source_id = w.source_id and c.external_id = w.external_id offset 0
    ) c
    where edge.n < :walk::int
       or (:sort::text in ('openedAt', 'restoredAt') and w.at < edge.last_at)
       or (:sort::text in ('-openedAt', '-restoredAt') and w.at > edge.first_at)
       or (:sort::text = 'ttrHours' and w.span < edge.last_span)
       or (:sort::text = '-ttrHours' and w.span > edge.first_span)
       or (:sort::text in ('priority', '-priority') and (w.rank < edge.last_rank or w.at > edge.last_rank_at))
  ),
  -- Whether the walk answers: its rows fill the page, or by opening time it read every incident
  -- within the filters (then they are all of the population; by restoration, the unrestored were
  -- not walked).
  walk_answers as (
    select (select count(*) from hits) >= :offset::int + :limit::int
           or (edge.n < :walk::int and :sort::text in ('openedAt', '-openedAt', 'priority', '-priority')) as yes
    from edge
  ),
  page as (
    (select c.*
     from hits c
     where (select yes from walk_answers)
     order by
       -- @include incident-order.sql
     limit :limit::int offset :offset::int)
    union all
    (select c.*
     from chosen c
     where :fallback::boolean and not (select yes from walk_answers)
     order by
       -- @include incident-order.sql
     limit :limit::int offset :offset::int)
  )
select c.*
from (
  select page.*, s.name as source, i.category, i.assignment_group, i.status,
         extract(epoch from page.ttr)::float8 / 3600 as ttr_hours
  from page
  join incident i on i.source_id = page.source_id and i.external_id = page.external_id
  join source s on s.id = page.source_id
) c
order by
  -- @include incident-order.sql
