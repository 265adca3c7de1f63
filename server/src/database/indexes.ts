/**
 * The secondary indexes of table $1 (a regclass): every index but those behind a constraint (a
 * primary or unique key), with the statement that builds it. Loading many rows into a table is
 * far faster with these dropped and built again after, one sort each, than kept up row by row.
 */
export const SECONDARY_INDEXES = `
  select c.relname as name, pg_get_indexdef(c.oid) as definition
    from pg_index x
    join pg_class c on c.oid = x.indexrelid
   where x.indrelid = $1::regclass
     and not exists (select from pg_constraint k where k.conindid = x.indexrelid)
   order by c.relname`;

/** An identifier quoted for SQL. Names come from the catalogue, not from a user; quoted all the same. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Where the definitions of dropped secondary indexes wait until they are built again: one table
 * per owner, so that one owner's recovery never builds what another is still loading without.
 */
export type KeptIndexTable = 'import_deferred_index' | 'sla_deferred_index';

/** A query on one session, answering rows (a pg client's or a TypeORM query runner's, adapted). */
export type SessionQuery = (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Records the secondary indexes of `table` in `keep`, then drops them; in the caller's
 * transaction, so that either both happen or neither. Returns how many it dropped.
 */
export async function dropSecondaryIndexes(query: SessionQuery, table: string, keep: KeptIndexTable): Promise<number> {
  const rows = await query(
    `insert into ${keep} (name, definition) ${SECONDARY_INDEXES}
     on conflict (name) do nothing
     returning name`,
    [table],
  );
  for (const { name } of rows) await query(`drop index if exists ${quoteIdent(String(name))}`);
  return rows.length;
}

/**
 * Builds every index `keep` holds that does not exist, one sort each, and forgets it. Returns how
 * many it built. The session's maintenance_work_mem is raised for the sorts and reset after.
 */
export async function buildKeptIndexes(query: SessionQuery, keep: KeptIndexTable): Promise<number> {
  const rows = await query(`select name, definition from ${keep} order by name`);
  if (rows.length === 0) return 0;
  // A sort of all rows per index: more memory than the default 64 MB makes it an in-memory one.
  await query(`set maintenance_work_mem = '512MB'`);
  try {
    let built = 0;
    for (const row of rows) {
      const name = String(row.name);
      const [{ found }] = await query('select to_regclass($1) is not null as found', [quoteIdent(name)]);
      if (!found) {
        await query(String(row.definition));
        built++;
      }
      await query(`delete from ${keep} where name = $1`, [name]);
    }
    return built;
  } finally {
    // The session goes back to a pool: the setting may not stay with it.
    await query('reset maintenance_work_mem').catch(() => undefined);
  }
}
