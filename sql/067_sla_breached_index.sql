-- The breached SLA clocks by kind and stop, with their incident's key: a breached list that reads
-- its whole population (sorted by other than opening time, or with a filter that leaves few)
-- reads a window's breached clocks from here instead of every clock of the table. At 10 M
-- incidents a year's 916 211 breached resolution clocks were a sequential scan of sla_evaluation
-- (2.8 GB, 3.5 s); such a page took 5.2-8.1 s before and 2.5-4.8 s with it. Breached clocks are
-- about a twentieth of all, so the index is small (75 MB at 10 M, built in 4 s) and few of the
-- SLA engine's writes touch it. The met lists hold most clocks of their window and read the
-- table as before (a covering index of every stopped clock was 1.3 GB: not kept).
create index sla_evaluation_breached_idx on sla_evaluation (kind, stopped_at) include (source_id, external_id)
  where status = 'breached';
