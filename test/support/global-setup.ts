import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';
import { DatabaseHandle, openEmbeddedDatabase } from '../../server/src/database/embedded-postgres';
import { runMigrations } from '../../server/src/database/migrations';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database on the test server from which test databases are created. */
    adminUrl: string;
    /** A database with every migration applied, copied for each test file. */
    templateDatabase: string;
    /** The data folder (DATA_DIR) every test app writes into. */
    dataDir: string;
  }
}

let handle: DatabaseHandle | undefined;
let tempDir: string | undefined;
let adminUrl = '';
let template = '';
let dataDir = '';

/**
 * One PostgreSQL for the whole run: DATABASE_URL's server when set, else an embedded one in a
 * temporary folder. The real migrations run once, into a template each test file copies.
 */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-test-'));
    fs.chmodSync(tempDir, 0o755);
    handle = await openEmbeddedDatabase(tempDir, undefined);
    adminUrl = handle.url;
  }

  template = `ia_template_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  await admin.end();
  await runMigrations(withDatabase(adminUrl, template), path.resolve(__dirname, '../../sql'));

  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', template);
  // The app's DATA_DIR in every test (import reports, screenshots): never the user's ./.data.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-test-data-'));
  project.provide('dataDir', dataDir);
}

export async function teardown(): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const leftovers = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname like $1 or datname = $2`,
    [`ia\\_t\\_${process.pid}\\_%`, template],
  );
  for (const { datname } of leftovers.rows) {
    await admin.query(`drop database if exists ${datname} with (force)`).catch(() => undefined);
  }
  await admin.end();
  await handle?.release();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
