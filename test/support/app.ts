import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../server/src/app';
import { createTestDatabase, TestDatabase } from './db';
import { testConfig } from './config';

/** A fresh migrated database and the HTTP app on it, listening on a free loopback port. */
export interface RunningApp {
  db: TestDatabase;
  app: INestApplication;
  base: string;
  /** GET `path` (with query) and return status and parsed body. */
  get(
    path: string,
    query?: Record<string, string | number>,
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startApp(): Promise<RunningApp> {
  const db = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: db.url });
  const app = await createApp(
    config,
    { url: db.url, release: async () => undefined },
    { logger: process.env.TEST_LOGS ? undefined : false, schedule: false },
  );
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  return {
    db,
    app,
    base,
    async get(path, query = {}) {
      const search = new URLSearchParams(
        Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
      );
      const response = await fetch(`${base}${path}${search.size ? `?${search}` : ''}`);
      return { status: response.status, body: await response.json() };
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
