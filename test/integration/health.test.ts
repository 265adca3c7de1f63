import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app';
import { createTestDatabase, TestDatabase } from '../support/db';
import { testConfig } from '../support/config';

describe('GET /api/health', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig({ DATABASE_URL: db.url });
    app = await createApp(config, { url: db.url, release: async () => undefined }, { logger: false, schedule: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers 200 while the database answers', async () => {
    const response = await fetch(`${base}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'up' });
  });

  // Served over plain http to another machine (HOST=0.0.0.0), the dashboard's scripts must come
  // over http too: helmet's default upgrade-insecure-requests sent them to an https port where
  // nothing answers. The page still loads nothing from elsewhere.
  it('keeps the page on its own origin and scheme', async () => {
    const response = await fetch(`${base}/api/health`);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy.split(';')).toEqual(expect.arrayContaining(["default-src 'self'", "script-src 'self'", "object-src 'none'"]));
    expect(policy).not.toContain('upgrade-insecure-requests');
  });

  it('answers 503 once the database is gone', async () => {
    await db.drop();
    const response = await fetch(`${base}/api/health`);
    expect(response.status).toBe(503);
  });
});
