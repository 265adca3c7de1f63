import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../../server/src/config/app.config';
import { DatabaseModule } from '../../../server/src/database/database.module';
import { ImportService } from '../../../server/src/imports/import.service';
import { ImportsModule } from '../../../server/src/imports/imports.module';
import { RefreshModule } from '../../../server/src/refresh/refresh.module';
import { createTestDatabase, TestDatabase } from '../../support/db';

/** The shared data sets, beside the checkout (../shared/datasets). */
export const DATASETS = path.resolve(__dirname, '../../../..', 'shared', 'datasets');

/** A test database with just the import feature (and the refresh it calls) on top of it. */
export interface ImportHarness {
  db: TestDatabase;
  app: INestApplicationContext;
  imports: ImportService;
  dataDir: string;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function importHarness(): Promise<ImportHarness> {
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-import-test-'));
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir });
  const handle = { url: db.url, release: async () => undefined };

  @Module({ imports: [DatabaseModule.forRoot(config, handle), RefreshModule.forRoot({ schedule: false }), ImportsModule] })
  class ImportTestModule {}

  const app = await NestFactory.createApplicationContext(ImportTestModule, { logger: false });
  const client = new Client({ connectionString: db.url });
  await client.connect();
  return {
    db,
    app,
    imports: app.get(ImportService),
    dataDir,
    sql: async (text, params) => (await client.query(text, params)).rows,
    close: async () => {
      await client.end();
      await app.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A harness for the enclosing describe: made before its tests (then `setup`, if given) and closed
 * after them. The object returned stands for it; its properties are read when a test runs.
 */
export function useImportHarness(setup?: (h: ImportHarness) => void | Promise<void>): ImportHarness {
  let current: ImportHarness | undefined;
  beforeAll(async () => {
    current = await importHarness();
    await setup?.(current);
  });
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as ImportHarness, {
    get: (_target, key) => {
      if (!current) throw new Error('the import harness is used before its beforeAll');
      return current[key as keyof ImportHarness];
    },
  });
}
