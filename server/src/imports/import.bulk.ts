import type { PoolClient } from 'pg';
import { buildKeptIndexes, dropSecondaryIndexes, SessionQuery } from '../database/indexes';

/**
 * Bulk loads into an empty incident table. Keeping its secondary indexes up to date row by row
 * was most of a large import (at 1 M rows, 27 s of a 45 s import; the same rows went in in 6 s
 * with the primary key alone), while building an index over rows already there is one sort. So
 * the first large import of an empty table drops incident's secondary indexes and builds them
 * again when it ends, however it ends. Their definitions go to import_deferred_index first: a
 * process killed in between leaves them there, and the next start (or bulk load) builds them.
 *
 * One bulk load at a time (an advisory lock held by the importing session). It copies the rows
 * of ids it has not seen straight into the table (import.seen.ts), so another import waits for
 * it to end before writing; reads go on meanwhile, without those indexes, more slowly.
 */
export const BULK_LOAD_LOCK = 7_301_003;

/**
 * Taken by every other import's batch: a bulk load copies rows straight into the table, assuming
 * no one else writes it, so other imports wait until it ends (its own session is not held up).
 */
export const LOCK_OUT_BULK_LOAD_SQL = `select pg_advisory_xact_lock_shared(${BULK_LOAD_LOCK})`;

/**
 * Drops incident's secondary indexes if the table is empty and no other bulk load runs, keeping
 * their definitions. True when it did: the session then holds BULK_LOAD_LOCK until
 * rebuildDeferredIndexes.
 */
export async function deferIndexes(client: PoolClient): Promise<boolean> {
  const [{ locked }] = (await client.query('select pg_try_advisory_lock($1) as locked', [BULK_LOAD_LOCK])).rows;
  if (!locked) return false;
  try {
    await client.query('begin');
    const [{ empty }] = (await client.query('select not exists (select from incident) as empty')).rows;
    if (!empty) {
      await client.query('rollback');
      await client.query('select pg_advisory_unlock($1)', [BULK_LOAD_LOCK]);
      return false;
    }
    await dropSecondaryIndexes(rowsOf(client), 'incident', 'import_deferred_index');
    await client.query('commit');
    return true;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    await client.query('select pg_advisory_unlock($1)', [BULK_LOAD_LOCK]).catch(() => undefined);
    throw error;
  }
}

/**
 * Builds every index import_deferred_index holds that does not exist, and forgets it. Called
 * by the bulk load that deferred them (which holds the lock and releases it here) and at start,
 * where it does nothing while another process's bulk load holds the lock. Returns how many it
 * built.
 */
export async function rebuildDeferredIndexes(client: PoolClient, holdsLock: boolean): Promise<number> {
  if (!holdsLock) {
    const [{ locked }] = (await client.query('select pg_try_advisory_lock($1) as locked', [BULK_LOAD_LOCK])).rows;
    if (!locked) return 0;
  }
  try {
    return await buildKeptIndexes(rowsOf(client), 'import_deferred_index');
  } finally {
    // The session goes back to the pool: the lock may not stay with it.
    await client.query('select pg_advisory_unlock($1)', [BULK_LOAD_LOCK]).catch(() => undefined);
  }
}

/** A pg client's queries as a SessionQuery. */
function rowsOf(client: PoolClient): SessionQuery {
  return async (text, values) => (await client.query(text, values)).rows;
}
