/**
 * The real UCI ServiceNow event log, imported into a real PostgreSQL and refreshed, against the
 * same figures worked out "spreadsheet-style" in this file from the raw gzip: split on commas
 * (SOURCE.md: no quoted fields), keep the last row of each `number`, apply METRICS.md.
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealDataApp, RealDataApp } from './real-data.app';
import { ClockEvent, ClockOutcome, verdict } from './sla-clock';
import {
  checkSummary,
  expectedAging,
  expectedDailyFlow,
  expectedTopKeys,
  expectedMonthlyVolumeByPriority,
  getJson,
  inScope,
  monthsBetween,
  RawIncident,
  ReportQuery,
  slaStops,
  windowOf,
} from './spreadsheet';
import { SERVICENOW_FILE, serviceNowAcknowledged, serviceNowIncidents, serviceNowInstant } from './servicenow-raw';

/** SOURCE.md: `d/m/yyyy HH:MM`, no zone; imported with the default zone, UTC. */
const instant = serviceNowInstant;

/**
 * One incident per `number` from its LAST row (SOURCE.md: rows of an incident sit together; the
 * last row holds the final state). acknowledged_at follows SOURCE.md's mapping: the earliest
 * sys_updated_at of a row whose incident_state is off "New" (the invalid `-100` is no state) or
 * whose assigned_to is set.
 */
async function readRawIncidents(): Promise<RawIncident[]> {
  const incidents: RawIncident[] = [];
  for await (const incident of serviceNowIncidents()) {
    const { rows, col } = incident;
    const v = rows[rows.length - 1];
    const text = (name: string) => (v[col[name]] === '?' ? null : v[col[name]]);
    const raw: RawIncident = {
      id: incident.number,
      opened: instant(v[col.opened_at])!,
      restored: instant(v[col.resolved_at]),
      acknowledged: serviceNowAcknowledged(incident),
      closed: instant(v[col.closed_at]),
      priority: Number(v[col.priority][0]), // "3 - Moderate"
      category: text('category'),
      reassignments: Number(v[col.reassignment_count]),
      reopens: Number(v[col.reopen_count]),
      sourceMet: v[col.made_sla] === 'true' ? true : v[col.made_sla] === 'false' ? false : null,
    };
    raw.verdicts = ourVerdicts(raw, rows, col);
    incidents.push(raw);
  }
  return incidents;
}

/**
 * Our SLA verdicts by the test's own clock (sla-clock.ts). The history is the audit rows' changes
 * (issue 2: "its state changes, reassignments and reopenings become the incident's events"): a
 * status change where incident_state differs from the row before (`-100` is no state), a priority
 * change where priority does; put in time order (stable: one incident's sys_updated_at goes
 * backwards in file order). The first row gives the status and priority at opening. Clocks stop
 * as slaStops() says; a stop before opening has no verdict.
 */
const clocks = new Map<string, { resolution: ClockOutcome | null; response: ClockOutcome | null }>();

function ourVerdicts(incident: RawIncident, rows: string[][], col: Record<string, number>): RawIncident['verdicts'] {
  const stops = slaStops(incident);
  const events: ClockEvent[] = [];
  let status: string | null = null;
  let priority: number | null = null;
  let initialStatus: string | null = null;
  let initialPriority: number | null = null;
  for (const row of rows) {
    const at = instant(row[col.sys_updated_at])!;
    const state = row[col.incident_state];
    if (state !== '-100' && state !== '?') {
      if (status === null) initialStatus = state;
      else if (state !== status) events.push({ at, kind: 'status', to: state });
      status = state;
    }
    const p = Number(row[col.priority][0]);
    if (priority === null) initialPriority = p;
    else if (p !== priority) events.push({ at, kind: 'priority', to: p });
    priority = p;
  }
  events.sort((a, b) => a.at - b.at);
  const clock = (stop: number | null, kind: 'response' | 'resolution') =>
    stop === null ? null : verdict(incident.opened, stop, initialStatus, initialPriority!, events, kind);
  const resolution = clock(stops.resolution, 'resolution');
  const response = clock(stops.response, 'response');
  clocks.set(incident.id, { resolution, response });
  return { resolution: resolution?.status ?? null, response: response?.status ?? null };
}

/**
 * Time in a stop status (Resolved, Closed) counts as paused only before a reopen (METRICS.md); the
 * product once paused it even with no reopen after it, which this file's checks caught.
 */

describe('real data: the UCI ServiceNow event log, figures against a spreadsheet computation', () => {
  let h: RealDataApp;
  let incidents: RawIncident[];
  const check = (q: ReportQuery, previous?: ReportQuery) => checkSummary(h.app, incidents, q, previous);

  beforeAll(async () => {
    h = await startRealDataApp();
    incidents = await readRawIncidents();
    const imported = await h.importFile({ file: SERVICENOW_FILE, format: 'servicenow' });
    expect(imported).toMatchObject({ source: 'servicenow', rowsRead: 24_918, inserted: 24_918, rejected: 0 });
    expect((await h.refresh()).status).toBe('succeeded');
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('reads the raw file as SOURCE.md describes it', () => {
    // SOURCE.md: 24,918 incidents, made_sla 15,803 true / 9,115 false, 1,556 never resolved,
    // no resolved_at < opened_at on the last rows, 275 reopened.
    expect(incidents.length).toBe(24_918);
    expect(incidents.filter((i) => i.sourceMet === true).length).toBe(15_803);
    expect(incidents.filter((i) => i.sourceMet === false).length).toBe(9_115);
    expect(incidents.filter((i) => i.restored === null).length).toBe(1_556);
    expect(incidents.filter((i) => i.restored !== null && i.restored < i.opened).length).toBe(0);
    expect(incidents.filter((i) => i.reopens > 0).length).toBe(275);
  });

  // Whole extent: every opening, restoration, acknowledgement and closure lies inside it.
  const whole: ReportQuery = { from: '2016-01-01', to: '2017-06-01' };

  it('the whole extent covers every time in the file', () => {
    const [from, to] = windowOf(whole);
    for (const i of incidents) {
      for (const t of [i.opened, i.restored, i.acknowledged, i.closed]) {
        if (t !== null) expect(t >= from && t < to, `${i.id} ${new Date(t).toISOString()}`).toBe(true);
      }
    }
  });

  it('summary over the whole extent', async () => {
    const body = await check(whole);
    // Everything opened and restored lies inside: opened = 24,918, restored = 24,918 - 1,556.
    expect(body.volume).toEqual({ opened: 24_918, restored: 24_918 - 1_556 });
    // Every incident has made_sla and a stopped resolution clock (restored, or closed).
    expect(body.sla.sourceVerdict).toMatchObject({ n: 24_918, sourceMet: 15_803 });
  });

  it('summary for a month (April 2016, UTC), with March as its previous period', async () => {
    await check({ from: '2016-04-01', to: '2016-05-01' }, { from: '2016-03-01', to: '2016-04-01' });
  });

  it('summary for a quarter (2016 Q2, UTC), with Q1 as its previous period', async () => {
    await check({ from: '2016-04-01', to: '2016-07-01' }, { from: '2016-01-01', to: '2016-04-01' });
  });

  it('summary for March 2016 in Europe/Amsterdam (a month with a DST change)', async () => {
    await check({ from: '2016-03-01', to: '2016-04-01', tz: 'Europe/Amsterdam' });
  });

  it('summary for a few days in Europe/Amsterdam, previous = the same number of days before', async () => {
    await check(
      { from: '2016-03-24', to: '2016-03-31', tz: 'Europe/Amsterdam' },
      { from: '2016-03-17', to: '2016-03-24', tz: 'Europe/Amsterdam' },
    );
  });

  it('summary filtered by category (the largest, Category 42) and by priority', async () => {
    expect(incidents.filter((i) => i.category === 'Category 42').length).toBe(3_558); // the awk count
    await check({ from: '2016-04-01', to: '2016-07-01', category: 'Category 42' });
    await check({ ...whole, priority: 4 });
    await check({ from: '2016-03-01', to: '2016-04-01', priority: 1, tz: 'Europe/Amsterdam' });
  });

  it('every SLA evaluation agrees with the test clock', async () => {
    const client = new Client({ connectionString: h.url });
    await client.connect();
    const { rows } = await client.query<{ id: string; kind: 'response' | 'resolution'; status: string; elapsed: number }>(
      `select external_id as id, kind, status, elapsed_minutes::float8 as elapsed from sla_evaluation`,
    );
    await client.end();
    // One evaluation per clock that stops at or after opening (docs/sla.md), both kinds.
    let expectedRows = 0;
    for (const c of clocks.values()) expectedRows += (c.resolution ? 1 : 0) + (c.response ? 1 : 0);
    expect(rows.length).toBe(expectedRows);
    let compared = 0;
    for (const row of rows) {
      const mine = clocks.get(row.id)?.[row.kind];
      expect(mine, `${row.id} ${row.kind}`).toBeTruthy();
      expect({ status: row.status, elapsed: row.elapsed }, `${row.id} ${row.kind}`).toEqual({
        status: mine!.status,
        elapsed: mine!.elapsedMinutes,
      });
      compared++;
    }
    expect(compared).toBe(rows.length);
  });

  it('our SLA verdicts and their agreement with made_sla follow METRICS.md (2016 Q2)', async () => {
    await checkSummary(h.app, incidents, { from: '2016-04-01', to: '2016-07-01' }, { from: '2016-01-01', to: '2016-04-01' });
  });

  it('sla-by-priority: stopped clocks and the source verdict per priority (2016 Q2)', async () => {
    const q: ReportQuery = { from: '2016-04-01', to: '2016-07-01' };
    const [from, to] = windowOf(q);
    const body = await getJson(h.app, '/api/metrics/sla-by-priority', { ...q });
    expect(body.rows.map((r: any) => r.priority)).toEqual([1, 2, 3, 4, 5]);
    for (const row of body.rows) {
      const stopped = incidents.filter((i) => {
        const stop = slaStops(i).resolution;
        return i.priority === row.priority && stop !== null && stop >= from && stop < to;
      });
      expect(row.met + row.breached, `P${row.priority} met+breached`).toBe(stopped.length);
      expect(row.sourceN, `P${row.priority} sourceN`).toBe(stopped.length);
      expect(row.sourceMet, `P${row.priority} sourceMet`).toBe(stopped.filter((i) => i.sourceMet).length);
      expect(row.compliance, `P${row.priority} compliance`).toBe(stopped.length === 0 ? null : row.met / stopped.length);
    }
  });

  it('volume by month and priority over the whole extent', async () => {
    const body = await getJson(h.app, '/api/metrics/volume', { ...whole, interval: 'month', by: 'priority' });
    const months = monthsBetween(whole.from, whole.to);
    expect(body.buckets).toEqual(months);
    const expected = expectedMonthlyVolumeByPriority(incidents, months, 'UTC', whole.to);
    expect(Object.fromEntries(body.series.map((s: any) => [s.key, s.counts]))).toEqual(expected);
  });

  it('volume by month in Europe/Amsterdam under a priority filter', async () => {
    const q: ReportQuery = { from: '2016-03-01', to: '2016-07-01', tz: 'Europe/Amsterdam', priority: 3 };
    const body = await getJson(h.app, '/api/metrics/volume', { ...q, interval: 'month', by: 'priority' });
    const months = monthsBetween(q.from, q.to);
    expect(body.buckets).toEqual(months);
    const expected = expectedMonthlyVolumeByPriority(inScope(incidents, q), months, 'Europe/Amsterdam', q.to);
    expect(Object.fromEntries(body.series.map((s: any) => [s.key, s.counts]))).toEqual(expected);
  });

  it('flow by day in Europe/Amsterdam over March 2016 (a 23-hour day on the 27th)', async () => {
    const q: ReportQuery = { from: '2016-03-01', to: '2016-04-01', tz: 'Europe/Amsterdam' };
    const body = await getJson(h.app, '/api/metrics/flow', { ...q, interval: 'day' });
    expect(body).toEqual(expectedDailyFlow(incidents, q));
  });

  it('volume by category over the whole extent: the top 8 by total, the rest as (other)', async () => {
    const top = expectedTopKeys(incidents, whole, (i) => i.category, 8);
    expect(top.clearCut).toBe(true); // the 8th and 9th totals differ, so tie order cannot matter
    const body = await getJson(h.app, '/api/metrics/volume', { ...whole, interval: 'month', by: 'category', top: 8 });
    expect(body.series.map((s: any) => [s.key, s.counts.reduce((a: number, b: number) => a + b, 0)])).toEqual(top.series);
  });

  it('aging of the backlog at the end of a month and of the whole extent', async () => {
    const windows: ReportQuery[] = [
      { from: '2016-04-01', to: '2016-05-01' },
      whole,
      { from: '2016-03-01', to: '2016-04-01', tz: 'Europe/Amsterdam' },
    ];
    for (const q of windows) {
      const body = await getJson(h.app, '/api/metrics/aging', { ...q });
      const [, to] = windowOf(q);
      expect(new Date(body.at).getTime()).toBe(to);
      expect(body.buckets, JSON.stringify(q)).toEqual(expectedAging(incidents, to));
    }
  });
});
