import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { openEmbeddedDatabase } from '../database/embedded-postgres';
import { runMigrations } from '../database/migrations';

/** A database of the benchmark's own, and how to throw it away. */
export interface BenchDatabase {
  url: string;
  where: string;
  /** `now`: the bench was interrupted; disconnect whoever is still connected (its import). */
  drop(now?: boolean): Promise<void>;
}

/**
 * With an external server, a fresh database on it (created and dropped here); without one, a
 * fresh embedded PostgreSQL under a temporary folder. Never the product's own data.
 */
export async function openBenchDatabase(databaseUrl: string | undefined, sqlDir: string): Promise<BenchDatabase> {
  let bench: BenchDatabase;
  if (databaseUrl) {
    const name = `ia_bench_${randomBytes(5).toString('hex')}`;
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    bench = {
      url: url.toString(),
      where: `database ${name} on the DATABASE_URL server`,
      async drop() {
        const client = new Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      },
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-bench-'));
    // The embedded server runs as the postgres user when we are root; it must reach the folder.
    fs.chmodSync(dir, 0o755);
    const handle = await openEmbeddedDatabase(dir, undefined);
    bench = {
      url: handle.url,
      where: `embedded PostgreSQL in ${dir}`,
      async drop(now = false) {
        await (now ? handle.stop() : handle.release());
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  await runMigrations(bench.url, sqlDir);
  return bench;
}
