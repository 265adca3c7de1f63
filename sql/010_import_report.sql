-- Imports: which file a rejection came from (an import may read an incident file and its activity
-- log), and where the run's rejection report and activity log are.
alter table import_rejection add column file text;
alter table import_run add column events_file_name text;
alter table import_run add column report_path text;
create index import_run_started_idx on import_run (started_at desc);
