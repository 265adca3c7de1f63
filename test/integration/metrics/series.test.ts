import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppWithFixture } from './fixture';
import { connect, insertIncidents } from '../../support/factories';
import type { RunningApp } from '../../support/app';

// Expected values worked out by hand over the fixture's table (fixture.ts), source alpha.

const MARCH = { from: '2026-03-01', to: '2026-04-01', source: 'alpha' };

describe('series, breakdowns and aging on the hand-made fixture', () => {
  let t: RunningApp;

  beforeAll(async () => {
    t = await startAppWithFixture();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('aging: the backlog at `to` by age', async () => {
    const { status, body } = await t.get('/api/metrics/aging', MARCH);
    expect(status).toBe(200);
    // Backlog at 2026-04-01T00:00Z: A9 (opened 03-31 12:00: 12 h), A8 (03-20: 12 days),
    // A12 (01-10: 21 + 28 + 31 + 1 = 81 days).
    expect(body).toEqual({
      at: '2026-04-01T00:00:00.000Z',
      buckets: [
        { bucket: '<1d', n: 1 },
        { bucket: '1-3d', n: 0 },
        { bucket: '3-7d', n: 0 },
        { bucket: '7-30d', n: 1 },
        { bucket: '>30d', n: 1 },
      ],
    });
  });

  it('sla-by-priority: ours and the source verdict per priority', async () => {
    const { body } = await t.get('/api/metrics/sla-by-priority', MARCH);
    // Resolution evaluations stopped in March, by incident priority:
    // P1 A1 met (source true); P2 A2 met (source false), A3 breached (source false);
    // P3 A4 breached (no verdict); P4 A6 met (no verdict); P5 none.
    expect(body.rows).toEqual([
      { priority: 1, met: 1, breached: 0, compliance: 1, sourceMet: 1, sourceN: 1 },
      { priority: 2, met: 1, breached: 1, compliance: 0.5, sourceMet: 0, sourceN: 2 },
      { priority: 3, met: 0, breached: 1, compliance: 0, sourceMet: 0, sourceN: 0 },
      { priority: 4, met: 1, breached: 0, compliance: 1, sourceMet: 0, sourceN: 0 },
      { priority: 5, met: 0, breached: 0, compliance: null, sourceMet: 0, sourceN: 0 },
    ]);
    const only2 = await t.get('/api/metrics/sla-by-priority', { ...MARCH, priority: 2 });
    expect(only2.body.rows).toEqual([
      { priority: 2, met: 1, breached: 1, compliance: 0.5, sourceMet: 0, sourceN: 2 },
    ]);
  });

  it('breakdown by priority: every priority, the window only', async () => {
    const { status, body } = await t.get('/api/metrics/breakdown', { ...MARCH, by: 'priority' });
    expect(status).toBe(200);
    const row = (key: string) => body.rows.find((r: { key: string }) => r.key === key);
    expect(body.rows.map((r: { key: string }) => r.key)).toEqual(['1', '2', '3', '4', '5']);
    expect(body.omitted).toBe(0);
    // P1: opened A1, A9; restored A1 (2 h, first time); backlog at `to`: A9.
    expect([row('1').volume, row('1').mtrs.meanHours, row('1').firstTimeResolution.rate, row('1').backlog.n]).toEqual([
      { opened: 2, restored: 1 },
      2,
      1,
      1,
    ]);
    // P2: opened A2, A3, A8; restored A2 (4 h, reassigned) and A3 (6 h, first time):
    // mean (4 + 6) / 2 = 5, median 5, p90 4 + 0.9 * (6 - 4) = 5.8; first time 1 of 2; backlog A8.
    expect(row('2').mtrs).toEqual({ meanHours: 5, medianHours: 5, p90Hours: 5.8, n: 2, percentiles: 'exact' });
    expect([row('2').volume, row('2').firstTimeResolution.rate, row('2').backlog.n]).toEqual([{ opened: 3, restored: 2 }, 0.5, 1]);
    // P3: opened A4, A5, A7, A11; restored A4 (8 h, reopened), A5 (10 h, reassigned and reopened)
    // and A7 (before it was opened: no duration, but first time); A11 restored at `to` is out.
    // MTRS over A4, A5: mean 9, p90 8 + 0.9 * 2 = 9.8; first time 1 of 3; backlog none.
    expect([row('3').volume, row('3').mtrs.n, row('3').mtrs.meanHours, row('3').mtrs.p90Hours]).toEqual([
      { opened: 4, restored: 3 },
      2,
      9,
      9.8,
    ]);
    expect([row('3').firstTimeResolution.rate, row('3').backlog.n]).toEqual([1 / 3, 0]);
    // P4: opened and restored A6 (24 h); A12 (opened in January) still open. P5: A10 opened in
    // February, restored at `from` (48 h).
    expect([row('4').volume, row('4').mtrs.meanHours, row('4').backlog.n]).toEqual([{ opened: 1, restored: 1 }, 24, 1]);
    expect([row('5').volume, row('5').mtrs.meanHours, row('5').backlog.n]).toEqual([{ opened: 0, restored: 1 }, 48, 0]);
    expect(body).not.toHaveProperty('rows.0.previous');
  });

  it('breakdown by category: keys by restorations, then openings, cut at top', async () => {
    const { body } = await t.get('/api/metrics/breakdown', { ...MARCH, by: 'category', top: '3' });
    // Restored in March: network A1, A2, A7 (3); application A3, A4 (2); storage A6, A10 (2);
    // (none) A5 (1). Opened: network A1, A2, A7, A8 (4); application A3, A4, A9, A11 (4);
    // storage A6 (1). Application and storage tie on 2 restorations; application opened more.
    expect(body.rows.map((r: { key: string }) => r.key)).toEqual(['network', 'application', 'storage']);
    expect(body.omitted).toBe(1);
    // MTRS: network (2 + 4) / 2 = 3 (A7 has no duration); application (6 + 8) / 2 = 7;
    // storage (24 + 48) / 2 = 36.
    expect(body.rows.map((r: { mtrs: { meanHours: number } }) => r.mtrs.meanHours)).toEqual([3, 7, 36]);
    const none = await t.get('/api/metrics/breakdown', { ...MARCH, by: 'category', category: '(none)' });
    // A5 is the only March incident without a category: opened and restored (10 h).
    expect(none.body.rows.map((r: { key: string; volume: unknown }) => [r.key, r.volume])).toEqual([
      ['(none)', { opened: 1, restored: 1 }],
    ]);
  });

  it('breakdown of a quiet window: the categories with a backlog fill the table', async () => {
    // [2026-04-02, 2026-04-09): nothing of alpha opened, restored, acknowledged or stopped (A11
    // was restored on 04-01). Open at 04-09 00:00: A8 (network), A9 (application), A12 (none).
    // The fill goes by the filter bar's order (names, then '(none)'); storage has nothing: left out.
    const { body } = await t.get('/api/metrics/breakdown', { from: '2026-04-02', to: '2026-04-09', source: 'alpha', by: 'category' });
    expect(body.rows.map((r: { key: string; backlog: { n: number } }) => [r.key, r.backlog.n])).toEqual([
      ['application', 1],
      ['network', 1],
      ['(none)', 1],
    ]);
    expect(body.omitted).toBe(0);
  });

  it('volume by category: top keys, "(none)" for missing, "(other)" for the rest', async () => {
    // Opened in March: application A3, A4, A9, A11 = 4; network A1, A2, A7, A8 = 4;
    // (none) A5 = 1; storage A6 = 1. One month bucket.
    const { body } = await t.get('/api/metrics/volume', { ...MARCH, interval: 'month' });
    expect(body).toEqual({
      interval: 'month',
      buckets: ['2026-03-01'],
      series: [
        { key: 'application', counts: [4] },
        { key: 'network', counts: [4] },
        { key: '(none)', counts: [1] },
        { key: 'storage', counts: [1] },
      ],
    });
    // top 2: application and network (4 each; ties by key), (other) = 1 + 1 = 2.
    const top2 = await t.get('/api/metrics/volume', { ...MARCH, interval: 'month', top: 2 });
    expect(top2.body.series).toEqual([
      { key: 'application', counts: [4] },
      { key: 'network', counts: [4] },
      { key: '(other)', counts: [2] },
    ]);
  });

  it('volume by priority and by assignment group', async () => {
    // By priority: P1 A1, A9 = 2; P2 A2, A3, A8 = 3; P3 A4, A5, A7, A11 = 4; P4 A6 = 1.
    const byPriority = await t.get('/api/metrics/volume', {
      ...MARCH,
      interval: 'month',
      by: 'priority',
    });
    expect(byPriority.body.series).toEqual([
      { key: '3', counts: [4] },
      { key: '2', counts: [3] },
      { key: '1', counts: [2] },
      { key: '4', counts: [1] },
    ]);
    // By group: G1 A1, A2, A5, A7, A8, A11 = 6; G2 A3, A4, A6, A9 = 4.
    const byGroup = await t.get('/api/metrics/volume', {
      ...MARCH,
      interval: 'month',
      by: 'assignmentGroup',
    });
    expect(byGroup.body.series).toEqual([
      { key: 'G1', counts: [6] },
      { key: 'G2', counts: [4] },
    ]);
  });

  it('volume: default interval by window length, weekly buckets start on Monday', async () => {
    // 31 days -> day; 2026-03-01 is a Sunday.
    const daily = await t.get('/api/metrics/volume', MARCH);
    expect(daily.body.interval).toBe('day');
    expect(daily.body.buckets).toHaveLength(31);
    // network opened 03-02 (A1), 03-03 (A2), 03-12 (A7), 03-20 (A8).
    const network = daily.body.series.find((s: { key: string }) => s.key === 'network');
    expect(
      network.counts.map((n: number, i: number) => (n ? `${i + 1}:${n}` : null)).filter(Boolean),
    ).toEqual(['2:1', '3:1', '12:1', '20:1']);

    // 2026-01-01 .. 2026-04-01 is 90 days -> week. The Monday on or before 01-01 is 2025-12-29,
    // then every 7 days up to the one before 04-01: 2026-03-30. That is 14 buckets.
    const weekly = await t.get('/api/metrics/volume', { ...MARCH, from: '2026-01-01' });
    expect(weekly.body.interval).toBe('week');
    expect(weekly.body.buckets[0]).toBe('2025-12-29');
    expect(weekly.body.buckets[1]).toBe('2026-01-05');
    expect(weekly.body.buckets.at(-1)).toBe('2026-03-30');
    expect(weekly.body.buckets).toHaveLength(14);

    // 2025-01-01 .. 2026-04-01 is 455 days -> month, 15 buckets.
    const monthly = await t.get('/api/metrics/volume', { ...MARCH, from: '2025-01-01' });
    expect(monthly.body.interval).toBe('month');
    expect(monthly.body.buckets).toHaveLength(15);
  });

  it('flow: opened, restored and the backlog at the end of each month', async () => {
    const { body } = await t.get('/api/metrics/flow', {
      ...MARCH,
      from: '2026-01-01',
      interval: 'month',
    });
    // Opened: Jan A12; Feb A10, A13; Mar A1..A9, A11 = 10.
    // Restored: Jan none; Feb A13; Mar A1..A7, A10 = 8.
    // Backlog at 02-01: A12 = 1; at 03-01: A12 (A10 restored exactly then) = 1;
    // at 04-01: A8, A9, A12 = 3.
    expect(body).toEqual({
      interval: 'month',
      buckets: ['2026-01-01', '2026-02-01', '2026-03-01'],
      opened: [1, 2, 10],
      restored: [0, 1, 8],
      backlog: [1, 1, 3],
    });
  });

  it('flow: daily backlog at each day end equals the summary backlog at that `to`', async () => {
    const { body } = await t.get('/api/metrics/flow', MARCH);
    // By hand: at 03-06 00:00 (end of 03-05): A12, and A5 opened exactly then, restored 10:00 -> 2.
    // At 03-12 00:00 (end of 03-11): A12 only (A7 opened then but was restored before) -> 1.
    expect(body.backlog[4]).toBe(2);
    expect(body.backlog[10]).toBe(1);
    // Opened and restored sum to the summary's volume: 10 and 8.
    expect(body.opened.reduce((a: number, b: number) => a + b, 0)).toBe(10);
    expect(body.restored.reduce((a: number, b: number) => a + b, 0)).toBe(8);

    for (let day = 0; day < body.buckets.length; day++) {
      const to = new Date(Date.UTC(2026, 2, day + 2)).toISOString().slice(0, 10);
      const summary = await t.get('/api/metrics/summary', { ...MARCH, to });
      expect(summary.body.backlog.n, `backlog at end of ${body.buckets[day]}`).toBe(
        body.backlog[day],
      );
    }
  });

  it('volume by service and by detection source: Berlin weeks from the rows, boundaries included', async () => {
    // Fields the rollups do not keep, counted from the incident rows per bucket. Services and
    // detection sources set here: mail A1, A2, A7; crm A3, A4, A9; monitoring A1, A3, A5; user
    // A2, A4, A6, A7, A8. Three more, at the edges of Berlin's March (CET, UTC+1, until 03-29):
    // V1 at 03-01 23:00Z (Monday 03-02 00:00 local, the second week's first instant), mail,
    // monitoring; V2 at 02-28 23:00Z (03-01 00:00 local, the window's first instant), crm, user;
    // V3 at 03-31 22:00Z (04-01 00:00 CEST, the window's end, outside), mail.
    const client = await connect(t.db.url);
    try {
      await client.query(
        `update incident set service = case when external_id in ('A1', 'A2', 'A7') then 'mail'
                                             when external_id in ('A3', 'A4', 'A9') then 'crm' end,
                             detection_source = case when external_id in ('A1', 'A3', 'A5') then 'monitoring'
                                                     when external_id in ('A2', 'A4', 'A6', 'A7', 'A8') then 'user' end`,
      );
      await insertIncidents(client, [
        { source: 'alpha', externalId: 'V1', openedAt: '2026-03-01T23:00:00Z', priority: 3, service: 'mail', detectionSource: 'monitoring' },
        { source: 'alpha', externalId: 'V2', openedAt: '2026-02-28T23:00:00Z', priority: 3, service: 'crm', detectionSource: 'user' },
        { source: 'alpha', externalId: 'V3', openedAt: '2026-03-31T22:00:00Z', priority: 3, service: 'mail' },
      ]);
    } finally {
      await client.end();
    }
    const berlin = { ...MARCH, tz: 'Europe/Berlin', interval: 'week' };
    // Weeks from Monday, cut to the window: 02-23 (only Sunday 03-01), 03-02, 03-09, 03-16,
    // 03-23, 03-30. Local openings: V2 03-01; V1, A1-A5 03-02..03-06; A6 03-10, A7 03-12;
    // A8 03-20; A11 03-25; A9 03-31 14:00. V3 is at the end, outside.
    const byService = await t.get('/api/metrics/volume', { ...berlin, by: 'service' });
    expect(byService.body.buckets).toEqual(['2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30']);
    // (none) A5, A6, A8, A11 = 4; mail V1, A1, A2, A7 = 4; crm V2, A3, A4, A9 = 4 (ties by key).
    expect(byService.body.series).toEqual([
      { key: '(none)', counts: [0, 1, 1, 1, 1, 0] },
      { key: 'crm', counts: [1, 2, 0, 0, 0, 1] },
      { key: 'mail', counts: [0, 3, 1, 0, 0, 0] },
    ]);
    // Priority 3 only: A4, A5, A7, A11, V1, V2 (V3 outside). Monitoring A5, V1; user A4, A7, V2;
    // (none) A11.
    const byDetection = await t.get('/api/metrics/volume', { ...berlin, by: 'detectionSource', priority: 3 });
    expect(byDetection.body.series).toEqual([
      { key: 'user', counts: [1, 1, 1, 0, 0, 0] },
      { key: 'monitoring', counts: [0, 2, 0, 0, 0, 0] },
      { key: '(none)', counts: [0, 0, 0, 0, 1, 0] },
    ]);
  });

  it('aging: incidents restored after `to` count by their age at `to`, however long they stayed open', async () => {
    // A source of their own ('gamma'), so that nothing else in the file counts here. t = 04-01
    // 00:00Z. Six incidents (priority 3), each restored after its opening:
    //   W1 opened 03-25 00:00, restored 04-02: open at t, age 7 d -> 7-30d
    //   W2 opened 02-15 00:00, restored 04-03: age 45 d -> >30d
    //   W3 opened 03-29 12:00, restored 04-01 00:00: restored by t, not in the backlog
    //   W4 opened 03-01 00:00, restored 04-01 01:00: age 31 d -> >30d
    //   W5 opened 03-02 00:00, restored 04-05: age exactly 30 d (720 h) -> >30d
    //   W6 opened 03-02 00:00:01, restored 04-01 00:00:01: age 30 d less a second -> 7-30d
    // So <1d 0, 1-3d 0, 3-7d 0, 7-30d 2 (W1, W6), >30d 3 (W2, W4, W5).
    const client = await connect(t.db.url);
    try {
      const w = (externalId: string, openedAt: string, restoredAt: string) => ({
        source: 'gamma',
        externalId,
        openedAt: `2026-${openedAt}Z`,
        restoredAt: `2026-${restoredAt}Z`,
        priority: 3,
      });
      await insertIncidents(client, [
        w('W1', '03-25T00:00:00', '04-02T00:00:00'),
        w('W2', '02-15T00:00:00', '04-03T00:00:00'),
        w('W3', '03-29T12:00:00', '04-01T00:00:00'),
        w('W4', '03-01T00:00:00', '04-01T01:00:00'),
        w('W5', '03-02T00:00:00', '04-05T00:00:00'),
        w('W6', '03-02T00:00:01', '04-01T00:00:01'),
      ]);
    } finally {
      await client.end();
    }
    const gamma = { ...MARCH, source: 'gamma' };
    const { body } = await t.get('/api/metrics/aging', gamma);
    expect(body.buckets).toEqual([
      { bucket: '<1d', n: 0 },
      { bucket: '1-3d', n: 0 },
      { bucket: '3-7d', n: 0 },
      { bucket: '7-30d', n: 2 },
      { bucket: '>30d', n: 3 },
    ]);
    // The backlog's incident list holds the same five.
    const list = await t.get('/api/incidents', { ...gamma, figure: 'backlog', limit: 50 });
    expect(list.body.items.map((i: { externalId: string }) => i.externalId).sort()).toEqual(['W1', 'W2', 'W4', 'W5', 'W6']);
  });
});
