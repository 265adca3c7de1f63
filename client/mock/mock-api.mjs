// A stand-in for the API of briefs/api.md while the real endpoints are being written: serves the
// built dashboard (dist/client) and answers /api from 400 generated incidents. For developing and
// eyeballing the dashboard only; the product and its tests use the real server.
//   node client/mock/mock-api.mjs [port]        (default 3999; --empty for a fresh install)
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 3999);
const empty = process.argv.includes('--empty');
const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url));
const HOUR = 3_600_000;
const CATEGORIES = ['network', 'application', 'security', 'storage', 'database', 'email', 'printing', 'access', 'hardware', 'other', '<b>odd & "quoted"</b>'];
const GROUPS = ['Service Desk', 'Network Ops', 'App Support', 'DBA'];

let seed = 7;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const pick = (list) => list[Math.floor(random() * list.length)];

const base = Date.parse('2016-01-01T00:00:00Z');
const incidents = empty
  ? []
  : Array.from({ length: 400 }, (_, i) => {
      const openedAt = base + random() * 90 * 24 * HOUR;
      const ttr = random() < 0.1 ? null : Math.pow(random(), 2) * 120 * HOUR;
      const restoredAt = ttr === null || openedAt + ttr > base + 90 * 24 * HOUR ? null : openedAt + ttr;
      const priority = 1 + Math.floor(random() * 5);
      const target = [4, 8, 24, 40, 80][priority - 1] * HOUR;
      return {
        source: 'servicenow',
        externalId: `INC${String(10000 + i)}`,
        openedAt,
        acknowledgedAt: openedAt + random() * 6 * HOUR,
        restoredAt,
        priority,
        category: pick(CATEGORIES),
        assignmentGroup: pick(GROUPS),
        status: restoredAt ? 'Resolved' : pick(['Active', 'Awaiting User Info', 'New']),
        reassignmentCount: random() < 0.3 ? 1 : 0,
        reopenCount: random() < 0.08 ? 1 : 0,
        target,
        met: restoredAt ? restoredAt - openedAt <= target : null,
        sourceMet: restoredAt && random() < 0.8 ? (random() < 0.9 ? restoredAt - openedAt <= target : restoredAt - openedAt > target) : null,
      };
    });

const iso = (ms) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
const inWin = (t, w) => t !== null && t >= w.from && t < w.to;
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
function percentile(xs, p) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const k = (s.length - 1) * p;
  const f = Math.floor(k);
  return s[f] + (s[Math.min(f + 1, s.length - 1)] - s[f]) * (k - f);
}
const ratio = (a, b) => (b ? a / b : null);

function windowOf(q) {
  const from = Date.parse(`${q.get('from')}T00:00:00Z`);
  const to = Date.parse(`${q.get('to')}T00:00:00Z`);
  return { from, to };
}
function matches(incident, q) {
  if (q.get('priority') && String(incident.priority) !== q.get('priority')) return false;
  if (q.get('category') && incident.category !== q.get('category')) return false;
  if (q.get('assignmentGroup') && incident.assignmentGroup !== q.get('assignmentGroup')) return false;
  if (q.get('source') && incident.source !== q.get('source')) return false;
  return true;
}

const FIGURES = {
  mtrs: (x, w) => inWin(x.restoredAt, w),
  mtta: (x, w) => inWin(x.acknowledgedAt, w),
  resolved: (x, w) => inWin(x.restoredAt, w),
  'first-time': (x, w) => inWin(x.restoredAt, w) && !x.reassignmentCount && !x.reopenCount,
  escalated: (x, w) => inWin(x.restoredAt, w) && x.reassignmentCount > 0,
  reopened: (x, w) => inWin(x.restoredAt, w) && x.reopenCount > 0,
  'sla-met': (x, w) => inWin(x.restoredAt, w) && x.met === true,
  'sla-breached': (x, w) => inWin(x.restoredAt, w) && x.met === false,
  'sla-response-met': (x, w) => inWin(x.acknowledgedAt, w) && x.acknowledgedAt - x.openedAt <= HOUR * 2,
  'sla-response-breached': (x, w) => inWin(x.acknowledgedAt, w) && x.acknowledgedAt - x.openedAt > HOUR * 2,
  'source-disagree': (x, w) => inWin(x.restoredAt, w) && x.sourceMet !== null && x.sourceMet !== x.met,
  opened: (x, w) => inWin(x.openedAt, w),
  restored: (x, w) => inWin(x.restoredAt, w),
  backlog: (x, w) => x.openedAt <= w.to && (x.restoredAt === null || x.restoredAt > w.to),
};

function figures(list, w) {
  const count = (f) => list.filter((x) => FIGURES[f](x, w)).length;
  const ttr = list.filter((x) => FIGURES.mtrs(x, w)).map((x) => (x.restoredAt - x.openedAt) / HOUR);
  const tta = list.filter((x) => FIGURES.mtta(x, w)).map((x) => (x.acknowledgedAt - x.openedAt) / HOUR);
  const resolved = count('resolved');
  const met = count('sla-met');
  const breached = count('sla-breached');
  const rmet = count('sla-response-met');
  const rbreached = count('sla-response-breached');
  const withVerdict = list.filter((x) => inWin(x.restoredAt, w) && x.sourceMet !== null);
  const disagree = count('source-disagree');
  const n = withVerdict.length;
  return {
    mtrs: { meanHours: mean(ttr), medianHours: percentile(ttr, 0.5), p90Hours: percentile(ttr, 0.9), n: ttr.length },
    mtta: { meanHours: mean(tta), medianHours: percentile(tta, 0.5), n: tta.length },
    firstTimeResolution: {
      rate: ratio(count('first-time'), resolved),
      firstTime: count('first-time'),
      resolved,
      escalated: count('escalated'),
      escalationShare: ratio(count('escalated'), resolved),
      reopened: count('reopened'),
      reopenShare: ratio(count('reopened'), resolved),
    },
    sla: {
      resolution: { met, breached, compliance: ratio(met, met + breached) },
      response: { met: rmet, breached: rbreached, compliance: ratio(rmet, rmet + rbreached) },
      sourceVerdict: {
        n,
        sourceMet: n ? withVerdict.filter((x) => x.sourceMet).length : null,
        sourceCompliance: n ? ratio(withVerdict.filter((x) => x.sourceMet).length, n) : null,
        agree: n ? n - disagree : null,
        disagree: n ? disagree : null,
        agreementRate: n ? ratio(n - disagree, n) : null,
      },
    },
    volume: { opened: count('opened'), restored: count('restored') },
    backlog: { n: count('backlog') },
  };
}

function buckets(q) {
  const w = windowOf(q);
  const days = (w.to - w.from) / (24 * HOUR);
  const interval = q.get('interval') || (days <= 62 ? 'day' : days <= 366 ? 'week' : 'month');
  const starts = [];
  let t = w.from;
  if (interval === 'week') t -= ((new Date(t).getUTCDay() + 6) % 7) * 24 * HOUR;
  if (interval === 'month') t = Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth(), 1);
  while (t < w.to) {
    starts.push(t);
    const d = new Date(t);
    t = interval === 'day' ? t + 24 * HOUR : interval === 'week' ? t + 7 * 24 * HOUR : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  const ends = starts.map((s, i) => Math.min(starts[i + 1] ?? w.to, w.to));
  return { interval, starts, ends, labels: starts.map((s) => iso(s).slice(0, 10)), w };
}

const policies = [
  {
    id: 1,
    name: 'Default',
    appliesTo: {},
    targets: [1, 2, 3, 4, 5].map((p) => ({ priority: p, responseMinutes: [15, 30, 240, 480, 960][p - 1], resolutionMinutes: [240, 480, 1440, 2400, 4800][p - 1], calendarId: p <= 2 ? 1 : 2 })),
    pauseStatuses: ['Awaiting User Info', 'Awaiting Vendor', 'Awaiting Evidence', 'Pending', 'On Hold'],
    stopStatuses: ['Resolved', 'Closed'],
    version: 1,
  },
];
const calendars = [
  { id: 1, name: '24x7', timezone: 'UTC', kind: '24x7', weekly: {}, holidays: [] },
  { id: 2, name: 'Business hours', timezone: 'Europe/Berlin', kind: 'weekly', weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] }, holidays: ['2016-12-25'] },
];

function api(url, req) {
  const q = url.searchParams;
  const p = url.pathname;
  const list = () => incidents.filter((x) => matches(x, q));
  if (p === '/api/refresh') return { refreshedAt: empty ? null : '2016-04-01T06:00:00.000Z' };
  if (p === '/api/filters') {
    const restored = incidents.map((x) => x.restoredAt).filter(Boolean);
    return {
      sources: empty ? [] : [{ name: 'servicenow', incidents: incidents.length }],
      categories: [...new Set(incidents.map((x) => x.category))].sort(),
      assignmentGroups: [...new Set(incidents.map((x) => x.assignmentGroup))].sort(),
      priorities: [1, 2, 3, 4, 5],
      extent: empty
        ? { openedFrom: null, openedTo: null, restoredFrom: null, restoredTo: null }
        : { openedFrom: iso(Math.min(...incidents.map((x) => x.openedAt))), openedTo: iso(Math.max(...incidents.map((x) => x.openedAt))), restoredFrom: iso(Math.min(...restored)), restoredTo: iso(Math.max(...restored)) },
    };
  }
  if (p === '/api/metrics/summary') {
    const w = windowOf(q);
    const prev = { from: w.from - (w.to - w.from), to: w.from };
    return { window: { from: q.get('from'), to: q.get('to'), tz: q.get('tz') || 'UTC' }, ...figures(list(), w), previous: figures(list(), prev), refreshedAt: '2016-04-01T06:00:00.000Z' };
  }
  if (p === '/api/metrics/sla-by-priority') {
    const w = windowOf(q);
    return {
      rows: [1, 2, 3, 4, 5].map((priority) => {
        const xs = list().filter((x) => x.priority === priority && inWin(x.restoredAt, w));
        const met = xs.filter((x) => x.met).length;
        const src = xs.filter((x) => x.sourceMet !== null);
        return { priority, met, breached: xs.length - met, compliance: ratio(met, xs.length), sourceMet: src.filter((x) => x.sourceMet).length, sourceN: src.length };
      }),
    };
  }
  if (p === '/api/metrics/volume') {
    const b = buckets(q);
    const opened = list().filter((x) => inWin(x.openedAt, b.w));
    const totals = new Map();
    for (const x of opened) totals.set(x.category, (totals.get(x.category) ?? 0) + 1);
    const top = [...totals.entries()].sort((a, c) => c[1] - a[1]).slice(0, 8).map(([k]) => k);
    const keyOf = (x) => (top.includes(x.category) ? x.category : '(other)');
    const keys = [...top, ...(opened.some((x) => !top.includes(x.category)) ? ['(other)'] : [])];
    return { interval: b.interval, buckets: b.labels, series: keys.map((key) => ({ key, counts: b.starts.map((s, i) => opened.filter((x) => keyOf(x) === key && x.openedAt >= Math.max(s, b.w.from) && x.openedAt < b.ends[i]).length) })) };
  }
  if (p === '/api/metrics/flow') {
    const b = buckets(q);
    const xs = list();
    return {
      interval: b.interval,
      buckets: b.labels,
      opened: b.starts.map((s, i) => xs.filter((x) => inWin(x.openedAt, { from: Math.max(s, b.w.from), to: b.ends[i] })).length),
      restored: b.starts.map((s, i) => xs.filter((x) => inWin(x.restoredAt, { from: Math.max(s, b.w.from), to: b.ends[i] })).length),
      backlog: b.ends.map((e) => xs.filter((x) => FIGURES.backlog(x, { to: e })).length),
    };
  }
  if (p === '/api/metrics/aging') {
    const w = windowOf(q);
    const open = list().filter((x) => FIGURES.backlog(x, w)).map((x) => (w.to - x.openedAt) / (24 * HOUR));
    const edges = [['<1d', 0, 1], ['1-3d', 1, 3], ['3-7d', 3, 7], ['7-30d', 7, 30], ['>30d', 30, Infinity]];
    return { at: iso(w.to), buckets: edges.map(([bucket, lo, hi]) => ({ bucket, n: open.filter((d) => d >= lo && d < hi).length })) };
  }
  if (p === '/api/incidents') {
    const w = windowOf(q);
    const figure = q.get('figure');
    if (!FIGURES[figure]) return [400, { message: 'figure must be one of ...' }];
    const xs = list().filter((x) => FIGURES[figure](x, w));
    const offset = Number(q.get('offset') ?? 0);
    const limit = Number(q.get('limit') ?? 50);
    return { figure, total: xs.length, items: xs.slice(offset, offset + limit).map(listItem) };
  }
  const detail = /^\/api\/incidents\/([^/]+)\/([^/]+)$/.exec(p);
  if (detail) {
    const x = incidents.find((i) => i.externalId === decodeURIComponent(detail[2]));
    if (!x) return [404, { message: 'unknown incident' }];
    return {
      ...listItem(x),
      acknowledgedAt: iso(x.acknowledgedAt),
      impact: 2,
      urgency: 2,
      reassignmentCount: x.reassignmentCount,
      reopenCount: x.reopenCount,
      attributes: { caller: 'Caller 12', location: 'Site <3>' },
      events: [
        { seq: 1, at: iso(x.openedAt), kind: 'status', from: null, to: 'New' },
        { seq: 2, at: iso(x.acknowledgedAt), kind: 'assignment', from: null, to: x.assignmentGroup },
        ...(x.restoredAt ? [{ seq: 3, at: iso(x.restoredAt), kind: 'status', from: 'Active', to: 'Resolved' }] : []),
      ],
      sla: {
        response: { targetMinutes: 30, elapsedMinutes: (x.acknowledgedAt - x.openedAt) / 60000, pausedMinutes: 0, dueAt: '2016-02-01T11:00:00.000-02:00', dueAtUtc: '2016-02-01T13:00:00.000Z', status: 'met', breachedAt: null, timezone: 'America/Sao_Paulo', policyId: 1 },
        resolution: { targetMinutes: x.target / 60000, elapsedMinutes: ((x.restoredAt ?? Date.parse('2016-04-01')) - x.openedAt) / 60000, pausedMinutes: 90, dueAt: iso(x.openedAt + x.target), dueAtUtc: iso(x.openedAt + x.target), status: x.restoredAt ? (x.met ? 'met' : 'breached') : 'running', breachedAt: x.met === false ? iso(x.openedAt + x.target) : null, timezone: 'UTC', policyId: 1 },
      },
    };
  }
  if (p === '/api/sla/watch') {
    const open = incidents.filter((x) => x.restoredAt === null && matches(x, q)).map((x) => {
      const elapsed = (Date.parse('2016-04-01') - x.openedAt) / 60000;
      const targetMinutes = x.target / 60000;
      return { source: x.source, externalId: x.externalId, priority: x.priority, assignmentGroup: x.assignmentGroup, kind: 'resolution', targetMinutes, elapsedMinutes: elapsed, usedShare: elapsed / targetMinutes, dueAt: iso(x.openedAt + x.target), projectedBreachAt: iso(x.openedAt + x.target), breachedAt: elapsed > targetMinutes ? iso(x.openedAt + x.target) : null };
    });
    return { refreshedAt: new Date().toISOString(), atRisk: open.filter((r) => r.usedShare >= 0.75 && r.usedShare <= 1).slice(0, 10), breached: open.filter((r) => r.usedShare > 1).slice(0, 12) };
  }
  if (p === '/api/sla/compliance') {
    const b = buckets(q);
    const by = q.get('groupBy') || 'priority';
    const xs = list().filter((x) => inWin(x.restoredAt, b.w));
    const keys = [...new Set(xs.map((x) => String(x[by])))].sort();
    const series = keys.map((key) => {
      const mine = xs.filter((x) => String(x[by]) === key);
      const per = b.starts.map((s, i) => mine.filter((x) => x.restoredAt >= Math.max(s, b.w.from) && x.restoredAt < b.ends[i]));
      const met = per.map((g) => g.filter((x) => x.met).length);
      const breached = per.map((g) => g.filter((x) => !x.met).length);
      return { key, met, breached, compliance: met.map((m, i) => ratio(m, m + breached[i])) };
    });
    return { interval: b.interval, buckets: b.labels, series, totals: series.map((s) => { const m = s.met.reduce((a, c) => a + c, 0); const br = s.breached.reduce((a, c) => a + c, 0); return { key: s.key, met: m, breached: br, compliance: ratio(m, m + br) }; }) };
  }
  if (p === '/api/sla/agreement') {
    const f = figures(list(), windowOf(q));
    const v = f.sla.sourceVerdict;
    return { n: v.n, agree: v.agree, disagree: v.disagree, agreementRate: v.agreementRate, ourCompliance: f.sla.resolution.compliance, sourceCompliance: v.sourceCompliance };
  }
  if (p === '/api/sla/policies') return policies;
  if (p === '/api/sla/calendars') return calendars;
  const put = /^\/api\/sla\/(policies|calendars)\/(\d+)$/.exec(p);
  if (put && req.method === 'PUT') return [200, JSON.parse(req.body)];
  if (p === '/api/imports' && req.method === 'POST') {
    return { id: 3, source: 'uploaded', format: 'generic', timezone: 'UTC', rowsRead: 12, inserted: 9, updated: 1, unchanged: 0, rejected: 2, rejections: [{ line: 4, field: 'opened_at', reason: 'not a date: "#N/B"' }, { line: 9, field: 'priority', reason: 'must be 1..5, got 7' }] };
  }
  if (p === '/api/imports') return empty ? [] : [{ id: 1, source: 'servicenow', file: 'incident_event_log.csv', format: 'servicenow', timezone: 'UTC', status: 'finished', rowsRead: 141712, inserted: 24918, updated: 0, unchanged: 0, rejected: 3, startedAt: '2016-04-01T05:00:00Z', finishedAt: '2016-04-01T05:01:00Z' }];
  return [404, { message: `no mock for ${p}` }];
}

function listItem(x) {
  return { source: x.source, externalId: x.externalId, openedAt: iso(x.openedAt), restoredAt: iso(x.restoredAt), priority: x.priority, category: x.category, assignmentGroup: x.assignmentGroup, status: x.status, ttrHours: x.restoredAt ? (x.restoredAt - x.openedAt) / HOUR : null };
}

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };
http
  .createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url, 'http://localhost');
      if (url.pathname.startsWith('/api/')) {
        req.body = body;
        const answer = api(url, req);
        const [status, json] = Array.isArray(answer) && typeof answer[0] === 'number' ? answer : [200, answer];
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(json));
        return;
      }
      const file = path.join(clientDir, path.normalize(url.pathname).replace(/^([/\\])+/, ''));
      const target = file.startsWith(clientDir) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(clientDir, 'index.html');
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(target)] ?? 'application/octet-stream' });
      fs.createReadStream(target).pipe(res);
    });
  })
  .listen(port, '127.0.0.1', () => console.log(`mock API and dashboard on http://127.0.0.1:${port}${empty ? ' (empty)' : ''}`));
