import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, insertIncidents } from '../../support/factories';
import { RunningApp, startApp } from '../../support/app';

// Europe/Berlin is UTC+2 (CEST) until 2026-10-25T01:00Z and UTC+1 (CET) after it.
// Incidents (UTC), with their Berlin local time; none is restored except B1:
//   V0 opened 2026-09-30T22:30Z = 10-01 00:30 CEST   network
//   V5 opened 2026-10-24T22:30Z = 10-25 00:30 CEST   dst
//   V6 opened 2026-10-25T22:30Z = 10-25 23:30 CET    dst
//   B1 opened 2026-10-31T20:00Z = 10-31 21:00 CET    network, restored 2026-10-31T23:30Z = 11-01 00:30 CET (3.5 h)
//   V3 opened 2026-10-31T23:15Z = 11-01 00:15 CET    (no category)
//   V1 opened 2026-11-01T22:30Z = 11-01 23:30 CET    network
//   V2 opened 2026-11-01T23:30Z = 11-02 00:30 CET    network
//   V4 opened 2026-11-09T00:30Z = 11-09 01:30 CET    network
const BERLIN = 'Europe/Berlin';

describe('windows and periods in the report time zone', () => {
  let t: RunningApp;

  beforeAll(async () => {
    t = await startApp();
    const client = await connect(t.db.url);
    await insertIncidents(client, [
      { externalId: 'V0', openedAt: '2026-09-30T22:30:00Z', category: 'network' },
      { externalId: 'V5', openedAt: '2026-10-24T22:30:00Z', category: 'dst' },
      { externalId: 'V6', openedAt: '2026-10-25T22:30:00Z', category: 'dst' },
      {
        externalId: 'B1',
        openedAt: '2026-10-31T20:00:00Z',
        restoredAt: '2026-10-31T23:30:00Z',
        category: 'network',
      },
      { externalId: 'V3', openedAt: '2026-10-31T23:15:00Z', category: null },
      { externalId: 'V1', openedAt: '2026-11-01T22:30:00Z', category: 'network' },
      { externalId: 'V2', openedAt: '2026-11-01T23:30:00Z', category: 'network' },
      { externalId: 'V4', openedAt: '2026-11-09T00:30:00Z', category: 'network' },
    ]);
    await client.end();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('restored 2026-10-31T23:30Z counts in November in Berlin and in October in UTC', async () => {
    // Berlin November starts 2026-10-31T23:00Z, so 23:30Z is inside it; UTC November starts later.
    const novBerlin = await t.get('/api/metrics/summary', {
      from: '2026-11-01',
      to: '2026-12-01',
      tz: BERLIN,
    });
    expect(novBerlin.body.mtrs).toEqual({ meanHours: 3.5, medianHours: 3.5, p90Hours: 3.5, n: 1, percentiles: 'exact' });
    expect(novBerlin.body.window).toEqual({ from: '2026-11-01', to: '2026-12-01', tz: BERLIN });
    const novUtc = await t.get('/api/metrics/summary', { from: '2026-11-01', to: '2026-12-01' });
    expect(novUtc.body.mtrs.n).toBe(0);
    const octUtc = await t.get('/api/metrics/summary', {
      from: '2026-10-01',
      to: '2026-11-01',
      tz: 'UTC',
    });
    expect(octUtc.body.mtrs.n).toBe(1);
    const octBerlin = await t.get('/api/metrics/summary', {
      from: '2026-10-01',
      to: '2026-11-01',
      tz: BERLIN,
    });
    expect(octBerlin.body.mtrs.n).toBe(0);
  });

  it('volume per day in Berlin and in UTC', async () => {
    // Berlin 11-01..11-03: V3 and V1 on 11-01 local, V2 on 11-02 local.
    const berlin = await t.get('/api/metrics/volume', {
      from: '2026-11-01',
      to: '2026-11-04',
      tz: BERLIN,
    });
    expect(berlin.body).toEqual({
      interval: 'day',
      buckets: ['2026-11-01', '2026-11-02', '2026-11-03'],
      series: [
        { key: 'network', counts: [1, 1, 0] },
        { key: '(none)', counts: [1, 0, 0] },
      ],
    });
    // UTC: V1 and V2 both on 11-01; V3 (10-31 UTC) is outside.
    const utc = await t.get('/api/metrics/volume', { from: '2026-11-01', to: '2026-11-04' });
    expect(utc.body.series).toEqual([{ key: 'network', counts: [2, 0, 0] }]);
  });

  it('day buckets across the end of summer time', async () => {
    // 10-25 has 25 hours in Berlin. V5 (10-25 00:30 CEST) and V6 (10-25 23:30 CET) are both on
    // 10-25 local; in UTC V5 is on 10-24 and V6 on 10-25.
    const query = { from: '2026-10-24', to: '2026-10-27', category: 'dst' };
    const berlin = await t.get('/api/metrics/volume', { ...query, tz: BERLIN });
    expect(berlin.body.buckets).toEqual(['2026-10-24', '2026-10-25', '2026-10-26']);
    expect(berlin.body.series).toEqual([{ key: 'dst', counts: [0, 2, 0] }]);
    const utc = await t.get('/api/metrics/volume', query);
    expect(utc.body.series).toEqual([{ key: 'dst', counts: [1, 1, 0] }]);
  });

  it('volume per ISO week in Berlin and in UTC', async () => {
    // 2026-11-01 is a Sunday: the first bucket is the week from Monday 10-26.
    // Berlin [11-01, 11-16): V3, V1 in week 10-26; V2 in 11-02; V4 in 11-09.
    const berlin = await t.get('/api/metrics/volume', {
      from: '2026-11-01',
      to: '2026-11-16',
      tz: BERLIN,
      interval: 'week',
    });
    expect(berlin.body.buckets).toEqual(['2026-10-26', '2026-11-02', '2026-11-09']);
    expect(berlin.body.series).toEqual([
      { key: 'network', counts: [1, 1, 1] },
      { key: '(none)', counts: [1, 0, 0] },
    ]);
    // UTC: V1 and V2 (11-01 23:30Z) in week 10-26, V4 in 11-09, V3 outside.
    const utc = await t.get('/api/metrics/volume', {
      from: '2026-11-01',
      to: '2026-11-16',
      interval: 'week',
    });
    expect(utc.body.series).toEqual([{ key: 'network', counts: [2, 0, 1] }]);
  });

  it('volume and flow per month in Berlin and in UTC', async () => {
    // Berlin October [09-30T22:00Z, 10-31T23:00Z): V0, V5, V6, B1 = 4; November: V3, V1, V2, V4 = 4.
    const query = { from: '2026-10-01', to: '2026-12-01', interval: 'month', by: 'priority' };
    const berlin = await t.get('/api/metrics/volume', { ...query, tz: BERLIN });
    expect(berlin.body.buckets).toEqual(['2026-10-01', '2026-11-01']);
    expect(berlin.body.series).toEqual([{ key: '3', counts: [4, 4] }]);
    // UTC October: V5, V6, B1, V3 = 4 (V0 is September); November: V1, V2, V4 = 3.
    const utc = await t.get('/api/metrics/volume', query);
    expect(utc.body.series).toEqual([{ key: '3', counts: [4, 3] }]);

    // Flow in Berlin: B1 restored in November. Backlog at 10-31T23:00Z: V0, V5, V6, B1 (restored
    // 30 min later) = 4; at 11-30T23:00Z: all but B1 = 7.
    const flowQuery = { from: '2026-10-01', to: '2026-12-01', interval: 'month' };
    const flowBerlin = await t.get('/api/metrics/flow', { ...flowQuery, tz: BERLIN });
    expect(flowBerlin.body).toEqual({
      interval: 'month',
      buckets: ['2026-10-01', '2026-11-01'],
      opened: [4, 4],
      restored: [0, 1],
      backlog: [4, 7],
    });
    // In UTC B1 is restored in October. Backlog at 11-01T00:00Z: V0, V5, V6, V3 = 4; at 12-01: 7.
    const flowUtc = await t.get('/api/metrics/flow', flowQuery);
    expect(flowUtc.body).toEqual({
      interval: 'month',
      buckets: ['2026-10-01', '2026-11-01'],
      opened: [4, 3],
      restored: [1, 0],
      backlog: [4, 7],
    });
  });
});
