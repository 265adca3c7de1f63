import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app';
import { LOCK_OUT_REFRESH_SQL, RefreshService } from '../../server/src/refresh/refresh.service';
import { createTestDatabase, TestDatabase } from '../support/db';
import { testConfig } from '../support/config';
import { RunningApp, startApp } from '../support/app';

describe('RefreshService', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let refresh: RefreshService;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: db.url }), { url: db.url, release: async () => undefined }, {
      logger: false,
      schedule: false,
    });
    await app.init();
    refresh = app.get(RefreshService);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('waits out a transaction that writes incidents, so no version commits below its watermark', async () => {
    const writer = new Client({ connectionString: db.url });
    await writer.connect();
    await writer.query('begin');
    await writer.query(LOCK_OUT_REFRESH_SQL);

    expect((await refresh.refreshAll('test')).status).toBe('skipped');

    await writer.query('commit');
    await writer.end();
    expect((await refresh.refreshAll('test')).status).toBe('succeeded');
  });

  it('records each run with its outcome and reports when figures last caught up', async () => {
    const before = await refresh.lastRefreshedAt();
    const outcome = await refresh.refreshAll('test');
    expect(outcome.status).toBe('succeeded');
    const after = await refresh.lastRefreshedAt();
    expect(after).not.toBeNull();
    expect(after!.getTime()).toBeGreaterThanOrEqual(before?.getTime() ?? 0);
  });
});

describe('GET /api/refresh', () => {
  let t: RunningApp;

  beforeAll(async () => {
    t = await startApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('says why a refresh failed, until one succeeds again', async () => {
    let broken = true;
    t.app.get(RefreshService).register({
      name: 'flaky',
      order: 99,
      refresh: async () => {
        if (broken) throw new Error('time zone displacement out of range');
        return {};
      },
    });
    const refresh = t.app.get(RefreshService);
    const outcome = await refresh.refreshAll('test');
    expect(outcome).toMatchObject({ status: 'failed', error: 'time zone displacement out of range' });
    const failing = await t.get('/api/refresh');
    expect(failing.body.failed).toMatchObject({ error: 'time zone displacement out of range' });
    expect(Number.isNaN(Date.parse(failing.body.failed.at))).toBe(false);

    broken = false;
    expect((await refresh.refreshAll('test')).status).toBe('succeeded');
    expect((await t.get('/api/refresh')).body.failed).toBeNull();
  });
});
