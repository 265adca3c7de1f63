import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';

/** Arbitrary constant: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 7_301_001;

/**
 * Applies the plain SQL files of `sqlDir` (named NNN_name.sql) in order, each once, each in its
 * own transaction. Safe to call from several processes at once.
 */
export async function runMigrations(databaseUrl: string, sqlDir: string): Promise<string[]> {
  const files = fs
    .readdirSync(sqlDir)
    .filter((name) => /^\d{3}_[\w-]+\.sql$/.test(name))
    .sort();

  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `create table if not exists schema_migration (
         name text primary key, applied_at timestamptz not null default now())`,
    );
    const done = new Set(
      (await client.query<{ name: string }>('select name from schema_migration')).rows.map((r) => r.name),
    );
    for (const name of files) {
      if (done.has(name)) continue;
      const sql = fs.readFileSync(path.join(sqlDir, name), 'utf8');
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query('insert into schema_migration (name) values ($1)', [name]);
        await client.query('commit');
        applied.push(name);
      } catch (error) {
        await client.query('rollback');
        throw new Error(`migration ${name} failed: ${(error as Error).message}`, { cause: error });
      }
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
  return applied;
}
