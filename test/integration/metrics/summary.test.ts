import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RollupsService } from '../../../server/src/rollups/rollups.service';
import { connect } from '../../support/factories';
import { startAppWithFixture } from './fixture';
import type { RunningApp } from '../../support/app';

// Every expected value below is worked out by hand from METRICS.md over the fixture's table
// (fixture.ts). percentile_cont(f) over n sorted values v[0..n-1] interpolates at position
// f * (n - 1): v[floor] + (position - floor) * (v[floor + 1] - v[floor]).

const MARCH = { from: '2026-03-01', to: '2026-04-01', source: 'alpha' };

// The summary reads the rollups, corrected by the incidents changed since their last refresh: the
// same figures must come out before any refresh (everything pending) and after one. Only the
// rollups refresh: the SLA refresher would replace the fixture's hand-made evaluations.
describe.each([
  ['before any refresh of the rollups', false],
  ['after a refresh of the rollups', true],
])('GET /api/metrics/summary on the hand-made fixture, %s', (_, refreshed) => {
  let t: RunningApp;

  beforeAll(async () => {
    t = await startAppWithFixture();
    if (refreshed) await t.app.get(RollupsService).refresh();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('empty filters, as a form sends them, mean no filter', async () => {
    const empty = await t.get('/api/metrics/summary', { ...MARCH, source: '', priority: '', category: '', assignmentGroup: '' });
    expect(empty.status).toBe(200);
    // The same as without the four filters: every source (alpha's 7 MTRS restorations + beta's Z1 = 8).
    const none = await t.get('/api/metrics/summary', { from: MARCH.from, to: MARCH.to });
    expect(empty.body.mtrs.n).toBe(8);
    expect(empty.body).toEqual(none.body);
  });

  it('MTRS: restored in [from, to), restored before opened left out, n beside', async () => {
    const { status, body } = await t.get('/api/metrics/summary', MARCH);
    expect(status).toBe(200);
    // Restored in March: A10 (at `from`, 48 h), A1 2, A2 4, A3 6, A4 8 (last restoration),
    // A5 10, A6 24; A7 restored before opened is out; A11 restored at `to` is out.
    // n = 7, sum = 48+2+4+6+8+10+24 = 102, mean = 102/7 = 14.5714...
    // sorted 2,4,6,8,10,24,48: median at 0.5*6 = 3 -> 8; p90 at 0.9*6 = 5.4 -> 24 + 0.4*(48-24) = 33.6
    expect(body.mtrs.n).toBe(7);
    expect(body.mtrs.meanHours).toBeCloseTo(102 / 7, 9);
    expect(body.mtrs.medianHours).toBeCloseTo(8, 9);
    expect(body.mtrs.p90Hours).toBeCloseTo(33.6, 9);
  });

  it('MTTA: acknowledged in the window, incidents without acknowledged_at left out', async () => {
    const { body } = await t.get('/api/metrics/summary', MARCH);
    // Acknowledged in March: A1 1, A2 2, A3 0.5, A5 4, A6 1, A7 2, A8 3, A11 6 (A10's was in
    // February; A4, A9, A12 have none). n = 8, sum = 19.5, mean = 2.4375.
    // sorted 0.5,1,1,2,2,3,4,6: median at 3.5 -> 2 + 0.5*(2-2) = 2; p90 at 6.3 -> 4 + 0.3*(6-4) = 4.6
    expect(body.mtta.n).toBe(8);
    expect(body.mtta.meanHours).toBeCloseTo(2.4375, 9);
    expect(body.mtta.medianHours).toBeCloseTo(2, 9);
    expect(body.mtta.p90Hours).toBeCloseTo(4.6, 9);
  });

  it('first-time resolution with escalation and reopen shares', async () => {
    const { body } = await t.get('/api/metrics/summary', MARCH);
    // Restored in March: A1..A7 and A10 = 8 (A7 counts: FTR is not a duration).
    // First time (rc 0, ro 0): A1, A3, A6, A7, A10 = 5 -> 5/8 = 0.625.
    // Escalated (rc > 0): A2, A5 = 2 -> 0.25. Reopened (ro > 0): A4, A5 = 2 -> 0.25.
    expect(body.firstTimeResolution).toEqual({
      rate: 0.625,
      firstTime: 5,
      resolved: 8,
      escalated: 2,
      escalationShare: 0.25,
      reopened: 2,
      reopenShare: 0.25,
    });
  });

  it('SLA compliance from sla_evaluation, and the source verdict beside ours', async () => {
    const { body } = await t.get('/api/metrics/summary', MARCH);
    // Resolution stopped in March: A1 met, A2 met, A6 met, A3 breached, A4 breached
    // (A8 running, A11 stopped at `to`, A13 in February) -> 3 / (3 + 2) = 0.6.
    // Response stopped in March: A1, A3, A8 met, A2 breached (A9 running) -> 3/4 = 0.75.
    // Source verdicts among the resolution ones: A1 true (ours met: agree), A2 false (ours met:
    // disagree), A3 false (ours breached: agree); A4, A6 have none; A5 has one but no evaluation.
    // n = 3, sourceMet = 1 -> 1/3, agree = 2 -> 2/3, disagree = 1.
    expect(body.sla.resolution).toEqual({ met: 3, breached: 2, compliance: 0.6 });
    expect(body.sla.response).toEqual({ met: 3, breached: 1, compliance: 0.75 });
    expect(body.sla.sourceVerdict.n).toBe(3);
    expect(body.sla.sourceVerdict.sourceMet).toBe(1);
    expect(body.sla.sourceVerdict.sourceCompliance).toBeCloseTo(1 / 3, 12);
    expect(body.sla.sourceVerdict.agree).toBe(2);
    expect(body.sla.sourceVerdict.disagree).toBe(1);
    expect(body.sla.sourceVerdict.agreementRate).toBeCloseTo(2 / 3, 12);
    // Ours over the same three: A1 and A2 met, A3 breached -> 2 of 3.
    expect(body.sla.sourceVerdict.ourMet).toBe(2);
    expect(body.sla.sourceVerdict.ourCompliance).toBeCloseTo(2 / 3, 12);
  });

  it('volume and backlog at `to`', async () => {
    const { body } = await t.get('/api/metrics/summary', MARCH);
    // Opened in March: A1..A9 and A11 = 10. Restored: the 8 above.
    // Backlog at 04-01 00:00: opened by then and not restored by then: A8, A9, A12 = 3
    // (A11 restored exactly at `to` is not restored after it).
    expect(body.volume).toEqual({ opened: 10, restored: 8 });
    expect(body.backlog).toEqual({ n: 3 });
    expect(body.window).toEqual({ from: '2026-03-01', to: '2026-04-01', tz: 'UTC' });
  });

  it('previous: the calendar month before a month-aligned window', async () => {
    const { body } = await t.get('/api/metrics/summary', MARCH);
    const previous = body.previous;
    // February: restored A13 (5 h) -> n 1, mean = median = p90 = 5.
    // Acknowledged: A10 6 h, A13 1 h -> mean 3.5; median at 0.5 -> 1 + 0.5*5 = 3.5;
    // p90 at 0.9 -> 1 + 0.9*5 = 5.5.
    // Resolved A13 only, first time -> rate 1, shares 0/1 = 0.
    // SLA: A13 resolution met -> 1/1; no response evaluation stopped -> null; no source verdict.
    // Opened: A10, A13 = 2. Backlog at 03-01 00:00: A12 (A10 was restored exactly then) = 1.
    expect(previous.window).toEqual({ from: '2026-02-01', to: '2026-03-01', tz: 'UTC' });
    expect(previous.mtrs).toEqual({ meanHours: 5, medianHours: 5, p90Hours: 5, n: 1, percentiles: 'exact' });
    expect(previous.mtta.n).toBe(2);
    expect(previous.mtta.meanHours).toBeCloseTo(3.5, 9);
    expect(previous.mtta.medianHours).toBeCloseTo(3.5, 9);
    expect(previous.mtta.p90Hours).toBeCloseTo(5.5, 9);
    expect(previous.firstTimeResolution).toEqual({
      rate: 1,
      firstTime: 1,
      resolved: 1,
      escalated: 0,
      escalationShare: 0,
      reopened: 0,
      reopenShare: 0,
    });
    expect(previous.sla.resolution).toEqual({ met: 1, breached: 0, compliance: 1 });
    expect(previous.sla.response).toEqual({ met: 0, breached: 0, compliance: null });
    expect(previous.sla.sourceVerdict).toEqual({
      n: 0,
      sourceMet: 0,
      sourceCompliance: null,
      agree: 0,
      disagree: 0,
      agreementRate: null,
      ourMet: 0,
      ourCompliance: null,
    });
    expect(previous.volume).toEqual({ opened: 2, restored: 1 });
    expect(previous.backlog).toEqual({ n: 1 });
    expect(previous.previous).toBeUndefined();
  });

  it('previous: the same number of days before a window that is not month-aligned', async () => {
    // [03-02, 03-05) is 3 days; the previous is [02-27, 03-02): restored in it: A10 (03-01, 48 h).
    const { body } = await t.get('/api/metrics/summary', {
      ...MARCH,
      from: '2026-03-02',
      to: '2026-03-05',
    });
    expect(body.previous.window).toEqual({ from: '2026-02-27', to: '2026-03-02', tz: 'UTC' });
    expect(body.previous.mtrs).toEqual({ meanHours: 48, medianHours: 48, p90Hours: 48, n: 1, percentiles: 'exact' });
    // The window itself: A1 2, A2 4, A3 6 -> mean 4.
    expect(body.mtrs.n).toBe(3);
    expect(body.mtrs.meanHours).toBeCloseTo(4, 9);
  });

  it('filters: source, category, priority, assignment group', async () => {
    // No source: adds Z1 (1 h): 1,2,4,6,8,10,24,48, n 8, mean 103/8 = 12.875,
    // median at 3.5 -> 6 + 0.5*2 = 7, p90 at 6.3 -> 24 + 0.3*24 = 31.2.
    const all = (await t.get('/api/metrics/summary', { from: MARCH.from, to: MARCH.to })).body;
    expect(all.mtrs.n).toBe(8);
    expect(all.mtrs.meanHours).toBeCloseTo(12.875, 9);
    expect(all.mtrs.medianHours).toBeCloseTo(7, 9);
    expect(all.mtrs.p90Hours).toBeCloseTo(31.2, 9);

    // source beta: Z1 only.
    const beta = (await t.get('/api/metrics/summary', { ...MARCH, source: 'beta' })).body;
    expect(beta.mtrs).toEqual({ meanHours: 1, medianHours: 1, p90Hours: 1, n: 1, percentiles: 'exact' });

    // category network: A1 2, A2 4 -> mean 3, median 2 + 0.5*2 = 3, p90 2 + 0.9*2 = 3.8.
    const network = (await t.get('/api/metrics/summary', { ...MARCH, category: 'network' })).body;
    expect(network.mtrs.n).toBe(2);
    expect(network.mtrs.meanHours).toBeCloseTo(3, 9);
    expect(network.mtrs.p90Hours).toBeCloseTo(3.8, 9);

    // priority 3: A4 8, A5 10 (A7 is negative) -> mean 9, p90 8 + 0.9*2 = 9.8.
    const p3 = (await t.get('/api/metrics/summary', { ...MARCH, priority: 3 })).body;
    expect(p3.mtrs.n).toBe(2);
    expect(p3.mtrs.meanHours).toBeCloseTo(9, 9);
    expect(p3.mtrs.p90Hours).toBeCloseTo(9.8, 9);

    // group G2: A3 6, A4 8, A6 24, A10 48 -> mean 86/4 = 21.5, median at 1.5 -> 8 + 0.5*16 = 16,
    // p90 at 2.7 -> 24 + 0.7*24 = 40.8.
    const g2 = (await t.get('/api/metrics/summary', { ...MARCH, assignmentGroup: 'G2' })).body;
    expect(g2.mtrs.n).toBe(4);
    expect(g2.mtrs.meanHours).toBeCloseTo(21.5, 9);
    expect(g2.mtrs.medianHours).toBeCloseTo(16, 9);
    expect(g2.mtrs.p90Hours).toBeCloseTo(40.8, 9);

    // category '(none)', the key a series gives missing categories: A5 (10 h) restored in March.
    const noCategory = (await t.get('/api/metrics/summary', { ...MARCH, category: '(none)' })).body;
    expect(noCategory.mtrs).toEqual({ meanHours: 10, medianHours: 10, p90Hours: 10, n: 1, percentiles: 'exact' });
    // group '(none)': A12 only, open since January: in the backlog at 04-01, restored nowhere.
    const noGroup = (await t.get('/api/metrics/summary', { ...MARCH, assignmentGroup: '(none)' }))
      .body;
    expect(noGroup.mtrs.n).toBe(0);
    expect(noGroup.backlog.n).toBe(1);

    // An unknown source is an empty population, not an error.
    const none = (await t.get('/api/metrics/summary', { ...MARCH, source: "x' or '1'='1" })).body;
    expect(none.mtrs).toEqual({ meanHours: null, medianHours: null, p90Hours: null, n: 0, percentiles: 'exact' });
  });

  it('empty window: every figure null, every n 0, nothing throws', async () => {
    const { status, body } = await t.get('/api/metrics/summary', {
      from: '2020-01-01',
      to: '2020-02-01',
    });
    expect(status).toBe(200);
    for (const figures of [body, body.previous]) {
      expect(figures.mtrs).toEqual({ meanHours: null, medianHours: null, p90Hours: null, n: 0, percentiles: 'exact' });
      expect(figures.mtta).toEqual({ meanHours: null, medianHours: null, p90Hours: null, n: 0, percentiles: 'exact' });
      expect(figures.firstTimeResolution).toEqual({
        rate: null,
        firstTime: 0,
        resolved: 0,
        escalated: 0,
        escalationShare: null,
        reopened: 0,
        reopenShare: null,
      });
      expect(figures.sla.resolution).toEqual({ met: 0, breached: 0, compliance: null });
      expect(figures.sla.response).toEqual({ met: 0, breached: 0, compliance: null });
      expect(figures.sla.sourceVerdict.agreementRate).toBeNull();
      expect(figures.volume).toEqual({ opened: 0, restored: 0 });
      expect(figures.backlog).toEqual({ n: 0 });
    }
  });

  it('refreshedAt is the last successful refresh, null before any', async () => {
    const before = await t.get('/api/metrics/summary', MARCH);
    expect(before.body.refreshedAt).toBeNull();

    const client = await connect(t.db.url);
    await client.query(
      `insert into job_run (job, status, started_at, finished_at)
       values ('refresh', 'succeeded', '2026-03-05T10:00:00Z', '2026-03-05T10:00:02Z'),
              ('refresh', 'failed', '2026-03-05T11:00:00Z', '2026-03-05T11:00:02Z')`,
    );
    await client.end();
    const { body } = await t.get('/api/metrics/summary', MARCH);
    expect(body.refreshedAt).toBe('2026-03-05T10:00:02.000Z');
  });
});
