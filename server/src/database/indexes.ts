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
