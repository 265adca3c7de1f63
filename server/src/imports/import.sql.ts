import { EVENT_COLUMNS, INCIDENT_COLUMNS } from './import.copy';

/** Staging tables live in the import's own session and take the column types of the real ones. */
/**
 * Temporary tables live in the session's local buffers (8 MB by default); a batch is larger, and
 * spilling it to disk slows every batch. Settable only before the session first touches one.
 */
export const SET_TEMP_BUFFERS = `set temp_buffers = '128MB'`;

export const CREATE_STAGING = `
  create temp table if not exists import_stage as
    select ${INCIDENT_COLUMNS.join(', ')}, content_hash, 0 as line from incident with no data;
  create temp table if not exists import_stage_event as
    select ${EVENT_COLUMNS.join(', ')} from incident_event with no data;
  create temp table if not exists import_changed (external_id text primary key, inserted boolean not null);
  create temp table if not exists import_seen (external_id text primary key, line int not null);
  create temp table if not exists import_seen_log (external_id text not null, line int not null);
  create temp table if not exists import_repeat (line int primary key, external_id text not null, first_line int);
  truncate import_stage, import_stage_event, import_changed, import_seen, import_seen_log, import_repeat;
`;

/** The staged rows: the incident's columns, its content hash and the line of the file it came from. */
export const COPY_STAGE = `copy import_stage (${INCIDENT_COLUMNS.join(', ')}, content_hash, line) from stdin`;
export const COPY_STAGE_EVENTS = `copy import_stage_event (${EVENT_COLUMNS.join(', ')}) from stdin`;

export const CLEAR_STAGE = 'truncate import_stage, import_stage_event, import_changed';

/**
 * A bulk load's rows whose id it has certainly not seen go straight into the incident table
 * (version, first_imported_at and updated_at take their defaults, as the upsert gives them), and
 * their events straight into incident_event.
 */
export const COPY_DIRECT = `copy incident (source_id, ${INCIDENT_COLUMNS.join(', ')}, content_hash) from stdin`;
export const COPY_DIRECT_EVENTS = `copy incident_event (source_id, ${EVENT_COLUMNS.join(', ')}) from stdin`;

/** Every id a bulk load kept with its line, unindexed: read once at the end, for the repeats' first lines. */
export const COPY_SEEN_LOG = 'copy import_seen_log (external_id, line) from stdin';

/**
 * A bulk load's staged rows (ids it may have seen) go in unless their id is already there; in a
 * bulk load, whose table was empty and which no other import writes meanwhile, that means an
 * earlier row of the file had it. $1 = source id.
 */
export const INSERT_NEW = `
  with written as (
    insert into incident (source_id, ${INCIDENT_COLUMNS.join(', ')}, content_hash)
    select $1, ${INCIDENT_COLUMNS.join(', ')}, content_hash from import_stage
    on conflict (source_id, external_id) do nothing
    returning external_id
  )
  insert into import_changed (external_id, inserted) select external_id, true from written
`;

/** The staged rows that did not go in: repeats, whose first lines are looked up at the end. */
export const KEEP_REPEATS = `
  insert into import_repeat (line, external_id)
  select line, external_id from import_stage s
   where not exists (select from import_changed c where c.external_id = s.external_id)
`;

/** A bulk load's repeats within one batch: $1 lines, $2 ids. */
export const KEEP_BATCH_REPEATS = `insert into import_repeat (line, external_id) select * from unnest($1::int[], $2::text[])`;

/** Each repeat's first line: one pass over the log, at the end of the load. */
export const FIND_FIRST_LINES = `
  update import_repeat r set first_line = f.first_line
    from (select external_id, min(line) as first_line from import_seen_log
           where external_id in (select external_id from import_repeat) group by external_id) f
   where f.external_id = r.external_id
`;

/** The repeats in line order, a page at a time after line $1. */
export const REPEATS_AFTER = `
  select line, external_id, first_line from import_repeat where line > $1 order by line limit $2
`;

/** The session goes back to the pool: leave it no ids of this file and no activity log. */
export const RELEASE_STAGING = `
  truncate import_stage, import_stage_event, import_changed, import_seen, import_seen_log, import_repeat;
  drop table if exists import_activity;
`;

/**
 * A batch's transaction, before its first statement: a commit does not wait for the WAL flush.
 * A crash may then lose the last batches an import committed (never part of one: each batch is
 * one transaction); importing the file again restores them, since a re-import writes only what
 * is missing or changed.
 */
export const BATCH_SETTINGS = `set local synchronous_commit = off`;

/**
 * Remembers the staged ids, and takes out of the batch the rows whose id an earlier batch of this
 * file had (the first row wins), returning them. Every id is one probe of import_seen's key, as
 * in an upsert: no join whose plan could read the whole of import_seen for each batch.
 */
export const DROP_REPEATS = `
  with fresh as (
    insert into import_seen (external_id, line) select external_id, line from import_stage
    on conflict (external_id) do nothing
    returning external_id
  )
  delete from import_stage s where not exists (select 1 from fresh f where f.external_id = s.external_id)
  returning s.external_id, s.line
`;

/** The lines where the ids $1 first came. */
export const FIRST_LINES = `select external_id, line from import_seen where external_id = any($1::text[])`;

const updates = INCIDENT_COLUMNS.filter((c) => c !== 'external_id')
  .map((c) => `${c} = excluded.${c}`)
  .join(',\n      ');

const upsert = `
    insert into incident as i (source_id, ${INCIDENT_COLUMNS.join(', ')}, content_hash, version, updated_at)
    select $1, ${INCIDENT_COLUMNS.join(', ')}, content_hash, nextval('incident_version_seq'), now()
      from import_stage
    on conflict (source_id, external_id) do update set
      ${updates},
      content_hash = excluded.content_hash,
      version = excluded.version,
      updated_at = excluded.updated_at
    where i.content_hash <> excluded.content_hash
    returning i.external_id, (xmax = 0) as inserted`;

/**
 * One set-based upsert for the batch: new incidents are inserted, changed ones (another content
 * hash) updated with a new version, unchanged ones left alone. What was written lands in
 * import_changed, so that only those incidents' events are replaced. $1 = source id.
 */
export const UPSERT = `
  with written as (${upsert})
  insert into import_changed (external_id, inserted) select external_id, inserted from written
`;

/** The same upsert for a batch without events: only the counts are needed. $1 = source id. */
export const UPSERT_COUNTED = `
  with written as (${upsert})
  select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated
    from written
`;

export const COUNT_CHANGED = `
  select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated
    from import_changed
`;

/** Events of a changed incident are replaced as a whole: the import holds its full history. $1 = source id. */
export const DELETE_CHANGED_EVENTS = `
  delete from incident_event e using import_changed c
   where e.source_id = $1 and e.external_id = c.external_id and not c.inserted
`;

export const INSERT_CHANGED_EVENTS = `
  insert into incident_event (source_id, ${EVENT_COLUMNS.join(', ')})
  select $1, ${EVENT_COLUMNS.map((c) => `e.${c}`).join(', ')}
    from import_stage_event e join import_changed c using (external_id)
`;

export const INSERT_REJECTIONS = `
  insert into import_rejection (import_run_id, file, line, field, reason, external_id)
  select $1, $2, * from unnest($3::int[], $4::text[], $5::text[], $6::text[])
`;

/**
 * For a batch without events: an incident it updated may have had events from an earlier import,
 * and its history is now empty. Rows this transaction wrote carry its now() as updated_at.
 */
export const DELETE_EVENTS_OF_UPDATED = `
  delete from incident_event e
   using import_stage s, incident i
   where e.source_id = $1 and e.external_id = s.external_id
     and i.source_id = $1 and i.external_id = s.external_id and i.updated_at = now()
`;
