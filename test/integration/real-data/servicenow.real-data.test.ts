/**
 * The real UCI ServiceNow event log, imported into a real PostgreSQL and refreshed, against the
 * same figures worked out "spreadsheet-style" in this file from the raw gzip: split on commas
 * (SOURCE.md: no quoted fields), keep the last row of each `number`, apply METRICS.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealDataApp, RealDataApp } from './real-data.app';
import {
  checkSummary,
  DATASETS,
  expectedAging,
  expectedMonthlyVolumeByPriority,
  getJson,
  inScope,
  monthsBetween,
  RawIncident,
  ReportQuery,
  slaStops,
  windowOf,
} from './spreadsheet';

const FILE = path.join(DATASETS, 'servicenow-uci-incident-event-log', 'incident_event_log.csv.gz');

/** SOURCE.md: `d/m/yyyy HH:MM`, no zone; imported with the default zone, UTC. */
function instant(text: string): number | null {
  if (text === '?') return null;
  const [date, time] = text.split(' ');
  const [d, m, y] = date.split('/').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return Date.UTC(y, m - 1, d, hh, mm);
}

/**
 * One incident per `number` from its LAST row (SOURCE.md: rows of an incident sit together; the
 * last row holds the final state). acknowledged_at follows SOURCE.md's mapping: the earliest
 * sys_updated_at of a row whose incident_state is off "New" (the invalid `-100` is no state) or
 * whose assigned_to is set.
 */
async function readRawIncidents(): Promise<RawIncident[]> {
  const incidents: RawIncident[] = [];
  let col: Record<string, number> = {};
  let current: string | null = null;
  let last: string[] = [];
  let ack: number | null = null;
  const finish = () => {
    if (current === null) return;
    const v = last;
    const text = (name: string) => (v[col[name]] === '?' ? null : v[col[name]]);
    incidents.push({
      id: current,
      opened: instant(v[col.opened_at])!,
      restored: instant(v[col.resolved_at]),
      acknowledged: ack,
      closed: instant(v[col.closed_at]),
      priority: Number(v[col.priority][0]), // "3 - Moderate"
      category: text('category'),
      reassignments: Number(v[col.reassignment_count]),
      reopens: Number(v[col.reopen_count]),
      sourceMet: v[col.made_sla] === 'true' ? true : v[col.made_sla] === 'false' ? false : null,
    });
  };
  const lines = readline.createInterface({ input: fs.createReadStream(FILE).pipe(createGunzip()) });
  for await (const line of lines) {
    const v = line.split(',');
    if (v[0] === 'number') {
      col = Object.fromEntries(v.map((name, i) => [name, i]));
      continue;
    }
    if (v[col.number] !== current) {
      finish();
      current = v[col.number];
      ack = null;
    }
    const state = v[col.incident_state];
    if ((state !== 'New' && state !== '-100') || v[col.assigned_to] !== '?') {
      const at = instant(v[col.sys_updated_at])!;
      if (ack === null || at < ack) ack = at;
    }
    last = v;
  }
  finish();
  return incidents;
}

describe('real data: the UCI ServiceNow event log, figures against a spreadsheet computation', () => {
  let h: RealDataApp;
  let incidents: RawIncident[];

  beforeAll(async () => {
    h = await startRealDataApp();
    incidents = await readRawIncidents();
    const imported = await h.importFile({ file: FILE, format: 'servicenow' });
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
    const body = await checkSummary(h.app, incidents, whole);
    // Everything opened and restored lies inside: opened = 24,918, restored = 24,918 - 1,556.
    expect(body.volume).toEqual({ opened: 24_918, restored: 24_918 - 1_556 });
    // Every incident has made_sla and a stopped resolution clock (restored, or closed).
    expect(body.sla.sourceVerdict).toMatchObject({ n: 24_918, sourceMet: 15_803 });
  });

  it('summary for a month (April 2016, UTC), with March as its previous period', async () => {
    await checkSummary(h.app, incidents, { from: '2016-04-01', to: '2016-05-01' }, { from: '2016-03-01', to: '2016-04-01' });
  });

  it('summary for a quarter (2016 Q2, UTC), with Q1 as its previous period', async () => {
    await checkSummary(h.app, incidents, { from: '2016-04-01', to: '2016-07-01' }, { from: '2016-01-01', to: '2016-04-01' });
  });

  it('summary for March 2016 in Europe/Amsterdam (a month with a DST change)', async () => {
    await checkSummary(h.app, incidents, { from: '2016-03-01', to: '2016-04-01', tz: 'Europe/Amsterdam' });
  });

  it('summary for a few days in Europe/Amsterdam, previous = the same number of days before', async () => {
    await checkSummary(
      h.app,
      incidents,
      { from: '2016-03-24', to: '2016-03-31', tz: 'Europe/Amsterdam' },
      { from: '2016-03-17', to: '2016-03-24', tz: 'Europe/Amsterdam' },
    );
  });

  it('summary filtered by category (the largest, Category 42) and by priority', async () => {
    expect(incidents.filter((i) => i.category === 'Category 42').length).toBe(3_558); // the awk count
    await checkSummary(h.app, incidents, { from: '2016-04-01', to: '2016-07-01', category: 'Category 42' });
    await checkSummary(h.app, incidents, { ...whole, priority: 4 });
    await checkSummary(h.app, incidents, { from: '2016-03-01', to: '2016-04-01', priority: 1, tz: 'Europe/Amsterdam' });
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
