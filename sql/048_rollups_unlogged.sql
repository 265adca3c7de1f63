-- The rollups are derived from the incidents: a refresh rebuilds them whenever they are missing.
-- Writing them to the write-ahead log bought nothing but time (a quarter of a refresh at 1 M
-- incidents, more right after a checkpoint, when every page touched is logged whole), so they
-- become unlogged. After a crash PostgreSQL empties unlogged tables; their watermark therefore
-- moves into an unlogged table of its own, emptied with them, and a missing watermark means
-- "nothing absorbed": the summary counts every incident as pending (exact, as slow as reading the
-- rows) until the next refresh builds the rollups again.
alter table rollup_day set unlogged;
alter table rollup_hist set unlogged;
alter table rollup_contrib set unlogged;

create unlogged table rollup_state (
  -- A single row.
  one           boolean primary key default true check (one),
  -- The last incident version the rollups absorbed, and when.
  version       bigint not null default 0,
  refreshed_at  timestamptz
);
insert into rollup_state (version, refreshed_at)
select version, refreshed_at from derived_watermark where name = 'rollups';
delete from derived_watermark where name = 'rollups';
