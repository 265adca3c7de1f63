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

/**
 * The foreign keys of table $1 (a regclass), with the statement that adds each again. Each is
 * checked row by row as rows go in (a lookup in the referenced table per row: 2.5 of the 11 s
 * a COPY of 1 M incidents took on PostgreSQL 15), and checked for all rows at once, by one
 * join, when added again after the load.
 */
const FOREIGN_KEYS = `
  select k.conname as name,
         format('alter table %s add constraint %I %s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid)) as definition
    from pg_constraint k
   where k.conrelid = $1::regclass and k.contype = 'f'`;

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
 * Records the secondary indexes and the foreign keys of `table` in `keep`, then drops them; in
 * the caller's transaction, so that either both happen or neither. Returns how many it dropped.
 */
export async function dropSecondaryIndexes(query: SessionQuery, table: string, keep: KeptIndexTable): Promise<number> {
  const rows = await query(
    `insert into ${keep} (name, definition)
     select * from (${SECONDARY_INDEXES}) i union all ${FOREIGN_KEYS}
     on conflict (name) do nothing
     returning name, definition like 'alter table %' as constraint`,
    [table],
  );
  for (const { name, constraint } of rows) {
    await query(
      constraint
        ? `alter table ${quoteIdent(table)} drop constraint if exists ${quoteIdent(String(name))}`
        : `drop index if exists ${quoteIdent(String(name))}`,
    );
  }
  return rows.length;
}

/**
 * Builds every index `keep` holds that does not exist, one sort each, adds every foreign key it
 * holds that does not exist, and forgets them. Returns how many it built or added. The session's
 * maintenance_work_mem is raised for the sorts and reset after.
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
      const [{ found }] = await query(
        'select to_regclass($1) is not null or exists (select from pg_constraint where conname = $2) as found',
        [quoteIdent(name), name],
      );
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
