-- pg_prewarm (a contrib module shipped with PostgreSQL) reads a relation into shared buffers.
-- A refresh that absorbs many incidents (a first build, a rebuild) builds rollup_contrib's
-- indexes again, and CREATE INDEX writes its pages past the shared buffers: each later small
-- refresh then read most of the index leaves it inserts into from the operating system, one page
-- at a time (RollupsService warms them instead). Optional: on a server without the module, or for
-- a user who may not create extensions, the indexes simply start cold.
do $$
begin
  create extension if not exists pg_prewarm;
exception when others then
  raise notice 'pg_prewarm is not available (%): rollup indexes built again start cold', sqlerrm;
end
$$;
