import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_FIGURE_NAMES, INCIDENT_FIGURES, IncidentFigure } from '../../../server/src/incidents/incident-figures';
import { FigureSql } from '../../../server/src/metrics/figures.sql';
import { RollupsService } from '../../../server/src/rollups/rollups.service';
import { connect, insertIncidents, insertSource } from '../../support/factories';
import { startAppWithFixture } from '../metrics/fixture';
import type { RunningApp } from '../../support/app';

// Expected values worked out by hand over the fixture's table (../metrics/fixture.ts).

const MARCH = { from: '2026-03-01', to: '2026-04-01', source: 'alpha' };

/** Where each list figure's n sits in the summary. */
const SUMMARY_N: Record<string, (summary: any) => number> = {
  mtrs: (s) => s.mtrs.n,
  mtta: (s) => s.mtta.n,
  'first-time': (s) => s.firstTimeResolution.firstTime,
  escalated: (s) => s.firstTimeResolution.escalated,
  reopened: (s) => s.firstTimeResolution.reopened,
  resolved: (s) => s.firstTimeResolution.resolved,
  'sla-met': (s) => s.sla.resolution.met,
  'sla-breached': (s) => s.sla.resolution.breached,
  'sla-response-met': (s) => s.sla.response.met,
  'sla-response-breached': (s) => s.sla.response.breached,
  'source-disagree': (s) => s.sla.sourceVerdict.disagree,
  opened: (s) => s.volume.opened,
  restored: (s) => s.volume.restored,
  backlog: (s) => s.backlog.n,
};

describe('GET /api/incidents', () => {
  let t: RunningApp;

  beforeAll(async () => {
    t = await startAppWithFixture();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('names a summary n for every figure it lists', () => {
    expect(Object.keys(SUMMARY_N).sort()).toEqual([...INCIDENT_FIGURE_NAMES].sort());
  });

  const queries = [
    MARCH,
    { from: '2026-03-01', to: '2026-04-01' },
    { ...MARCH, priority: 2 },
    { ...MARCH, assignmentGroup: 'G2', tz: 'Europe/Berlin' },
    { ...MARCH, from: '2026-02-01', to: '2026-03-05', category: 'network' },
    { ...MARCH, category: '(none)' },
  ];
  for (const query of queries) {
    it(`every figure's list total equals the summary n: ${JSON.stringify(query)}`, async () => {
      const summary = (await t.get('/api/metrics/summary', query)).body;
      for (const figure of INCIDENT_FIGURE_NAMES) {
        const list = await t.get('/api/incidents', { ...query, figure, limit: 500 });
        expect(list.status).toBe(200);
        expect(list.body.total, figure).toBe(SUMMARY_N[figure](summary));
        expect(list.body.items, figure).toHaveLength(list.body.total);
      }
    });
  }

  it('the totals are the hand-worked ones for March', async () => {
    const totals: Record<string, number> = {};
    for (const figure of INCIDENT_FIGURE_NAMES) {
      totals[figure] = (await t.get('/api/incidents', { ...MARCH, figure })).body.total;
    }
    // See summary.test.ts for each count.
    expect(totals).toEqual({
      mtrs: 7,
      mtta: 8,
      'first-time': 5,
      escalated: 2,
      reopened: 2,
      resolved: 8,
      'sla-met': 3,
      'sla-breached': 2,
      'sla-response-met': 3,
      'sla-response-breached': 1,
      'source-disagree': 1,
      opened: 10,
      restored: 8,
      backlog: 3,
    });
  });

  it('pages the MTRS incidents by TTR, each incident once with its last restoration', async () => {
    // TTR: A10 48, A6 24, A5 10, A4 8 (last restoration 08:00, not the first at 03:00), A3 6, A2 4, A1 2.
    const first = await t.get('/api/incidents', {
      ...MARCH,
      figure: 'mtrs',
      sort: '-ttrHours',
      limit: 3,
    });
    expect(first.body.figure).toBe('mtrs');
    expect(first.body.total).toBe(7);
    expect(first.body.items.map((i: any) => [i.externalId, i.ttrHours])).toEqual([
      ['A10', 48],
      ['A6', 24],
      ['A5', 10],
    ]);
    const second = await t.get('/api/incidents', {
      ...MARCH,
      figure: 'mtrs',
      sort: '-ttrHours',
      limit: 3,
      offset: 3,
    });
    expect(second.body.items.map((i: any) => [i.externalId, i.ttrHours])).toEqual([
      ['A4', 8],
      ['A3', 6],
      ['A2', 4],
    ]);
    const beyond = await t.get('/api/incidents', { ...MARCH, figure: 'mtrs', offset: 100 });
    expect(beyond.body).toEqual({ figure: 'mtrs', total: 7, items: [] });
  });

  it('orders every sort key across pages, ties by source then external id', async () => {
    // Restored in March, both sources (A11 is restored at `to`, outside):
    //   id   opened  restored    TTR  prio
    //   A10  02-27   03-01 00:00  48   5
    //   A1   03-02   03-02 02:00   2   1
    //   A2   03-03   03-03 04:00   4   2
    //   A3   03-04   03-04 06:00   6   2
    //   A4   03-05   03-05 08:00   8   3
    //   A5   03-06   03-06 10:00  10   3
    //   A6   03-10   03-11 00:00  24   4
    //   A7   03-12   03-11 12:00   -   3   (restored before opened: no TTR, sorts last both ways)
    //   Z1   03-15   03-15 01:00   1   3   (source beta, after every alpha tie)
    const byOpened = ['A10', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'Z1'];
    const byRestored = ['A10', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'Z1'];
    const expected: Record<string, string[]> = {
      openedAt: byOpened,
      '-openedAt': [...byOpened].reverse(),
      restoredAt: byRestored,
      '-restoredAt': [...byRestored].reverse(),
      ttrHours: ['Z1', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A10', 'A7'],
      '-ttrHours': ['A10', 'A6', 'A5', 'A4', 'A3', 'A2', 'A1', 'Z1', 'A7'],
      // Priority 3 is four incidents, split by the page of 4: A4 A5 A7 (alpha), then Z1 (beta).
      priority: ['A1', 'A2', 'A3', 'A4', 'A5', 'A7', 'Z1', 'A6', 'A10'],
      '-priority': ['A10', 'A6', 'A4', 'A5', 'A7', 'Z1', 'A2', 'A3', 'A1'],
    };
    const query = { from: '2026-03-01', to: '2026-04-01', figure: 'resolved', limit: 4 };
    for (const [sort, ids] of Object.entries(expected)) {
      const pages = [];
      for (const offset of [0, 4, 8]) {
        const { body } = await t.get('/api/incidents', { ...query, sort, offset });
        expect(body.total, sort).toBe(9);
        pages.push(...body.items.map((i: any) => i.externalId));
      }
      expect(pages, sort).toEqual(ids);
    }
  });

  it('orders the SLA lists by the incident, whatever the order', async () => {
    // Resolution clocks stopped in March (fixture.ts), source alpha:
    //   met: A1 (opened 03-02, P1, TTR 2 h), A2 (03-03, P2, 4 h), A6 (03-10, P4, 24 h);
    //   breached: A3 (03-04, P2, 6 h), A4 (03-05, P3, 8 h).
    const order = async (figure: string, sort: string) =>
      (await t.get('/api/incidents', { ...MARCH, figure, sort })).body.items.map((i: any) => [i.externalId, i.priority, i.ttrHours]);
    expect(await order('sla-met', 'openedAt')).toEqual([['A1', 1, 2], ['A2', 2, 4], ['A6', 4, 24]]);
    expect(await order('sla-met', '-openedAt')).toEqual([['A6', 4, 24], ['A2', 2, 4], ['A1', 1, 2]]);
    expect(await order('sla-met', '-priority')).toEqual([['A6', 4, 24], ['A2', 2, 4], ['A1', 1, 2]]);
    expect(await order('sla-breached', '-restoredAt')).toEqual([['A4', 3, 8], ['A3', 2, 6]]);
    expect(await order('sla-breached', 'ttrHours')).toEqual([['A3', 2, 6], ['A4', 3, 8]]);
  });

  it('orders ties by the order sources were first imported, not by their names', async () => {
    // June 2026 holds only these three, each opened 06-10 09:00 and restored 06-10 12:00 (3 h):
    // equal on every sort key. Source 'zz-first' is registered before 'aa-second', so its ids
    // come first whatever the names say; within a source, by external id (K1 before K2).
    const client = await connect(t.db.url);
    const opened = '2026-06-10T09:00:00Z';
    const restored = '2026-06-10T12:00:00Z';
    await insertSource(client, 'zz-first');
    await insertSource(client, 'aa-second');
    await insertIncidents(client, [
      { source: 'aa-second', externalId: 'K1', openedAt: opened, restoredAt: restored },
      { source: 'zz-first', externalId: 'K2', openedAt: opened, restoredAt: restored },
      { source: 'zz-first', externalId: 'K1', openedAt: opened, restoredAt: restored },
    ]);
    await client.end();
    const want = [
      ['zz-first', 'K1'],
      ['zz-first', 'K2'],
      ['aa-second', 'K1'],
    ];
    for (const sort of ['openedAt', '-openedAt', 'ttrHours', '-ttrHours', 'priority']) {
      const { body } = await t.get('/api/incidents', { from: '2026-06-01', to: '2026-07-01', figure: 'mtrs', sort });
      expect(body.total, sort).toBe(3);
      expect(body.items.map((i: any) => [i.source, i.externalId]), sort).toEqual(want);
      expect(body.items.map((i: any) => i.ttrHours), sort).toEqual([3, 3, 3]);
    }
  });

  it('lists items with the contract fields', async () => {
    // First time, by opened_at: A10 (02-27), A1, A3, A6, A7 (restored before opened: TTR null).
    const { body } = await t.get('/api/incidents', { ...MARCH, figure: 'first-time' });
    expect(body.items.map((i: any) => i.externalId)).toEqual(['A10', 'A1', 'A3', 'A6', 'A7']);
    expect(body.items[1]).toEqual({
      source: 'alpha',
      externalId: 'A1',
      openedAt: '2026-03-02T00:00:00.000Z',
      restoredAt: '2026-03-02T02:00:00.000Z',
      priority: 1,
      category: 'network',
      assignmentGroup: 'G1',
      status: 'Closed',
      ttrHours: 2,
    });
    expect(body.items[4].ttrHours).toBeNull();

    const disagree = await t.get('/api/incidents', { ...MARCH, figure: 'source-disagree' });
    expect(disagree.body.items.map((i: any) => i.externalId)).toEqual(['A2']);
    const backlog = await t.get('/api/incidents', {
      ...MARCH,
      figure: 'backlog',
      sort: '-openedAt',
    });
    expect(backlog.body.items.map((i: any) => i.externalId)).toEqual(['A9', 'A8', 'A12']);
  });

  /** One page of incident-list.sql as the server runs it, with the walk's length given. */
  const listPage = async (figure: IncidentFigure, params: Record<string, unknown>) => {
    const { population, tag } = INCIDENT_FIGURES[figure];
    const rows = await t.app.get(FigureSql).query<{ source: string; external_id: string }>(
      'incident-list.sql',
      { from: null, to: null, tz: 'UTC', source: null, priority: null, category: null, assignment_group: null, tag, ...params },
      { population },
    );
    return rows.map((row) => `${row.source}/${row.external_id}`);
  };

  it('finds the same page by a walk in the order of a time, however long, as by reading the population', async () => {
    // walk 0 reads the whole population (the path the tests above check by hand). A walk of any
    // length must give the same page: a walk too short to fill it falls back to that path, and
    // one that fills it leaves out its last time. The March fixture has 2-10 incidents
    // per figure; walks of 1 to 25 incidents cover "too short" to "past the table's end".
    for (const figure of INCIDENT_FIGURE_NAMES) {
      for (const sort of ['openedAt', '-openedAt', 'restoredAt', '-restoredAt', 'ttrHours', '-ttrHours']) {
        for (const offset of [0, 2]) {
          const query = { from: '2026-03-01', to: '2026-04-01', sort, limit: 2, offset };
          const want = await listPage(figure, { ...query, walk: 0, fallback: true });
          for (const walk of [1, 2, 3, 4, 6, 8, 12, 25]) {
            const context = `${figure} ${sort} offset ${offset} walk ${walk}`;
            expect(await listPage(figure, { ...query, walk, fallback: true }), context).toEqual(want);
            // Without the fallback, the page or nothing (the server then walks further).
            const walked = await listPage(figure, { ...query, walk, fallback: false });
            if (walked.length > 0) expect(walked, context).toEqual(want);
          }
        }
      }
    }
  });

  it('leaves out of a walk the incidents at its last time', async () => {
    // Category 'aug-ties' holds only these four (the walk reads the incidents within the filters,
    // so it starts at them): three opened at one instant and restored three hours later, and
    // aug-first/J3 opened two days later and restored five hours after that. Source 'aug-first' is registered before
    // 'aug-second', so oldest first the list is aug-first/J1, aug-first/J2, aug-second/J1,
    // aug-first/J3, and newest first aug-first/J3, then the three ties in the same order; by
    // time to restore (3 h for the ties, 5 h for J3) the same both ways. They were inserted (and
    // sit in the time indexes) in another order.
    // Oldest first, a walk of 1 to 3 reads only ties, all at the walk's last time: none may count,
    // since the tie not read may come before them, and the page falls back. A walk of 4 reads J3
    // too, and the ties count; one of 5 reaches past all four.
    // Newest first, a walk of 1 reads J3 alone, at its last time: it may not count (fall back).
    // A walk of 2 reads J3 and one tie: J3 counts and fills a page of 1; the tie may not count.
    // Whatever the walk, the page is the one above.
    const client = await connect(t.db.url);
    const opened = '2026-08-10T09:00:00Z';
    const restored = '2026-08-10T12:00:00Z';
    await insertSource(client, 'aug-first');
    await insertSource(client, 'aug-second');
    await insertIncidents(client, [
      { source: 'aug-second', externalId: 'J1', openedAt: opened, restoredAt: restored, category: 'aug-ties' },
      { source: 'aug-first', externalId: 'J2', openedAt: opened, restoredAt: restored, category: 'aug-ties' },
      { source: 'aug-first', externalId: 'J1', openedAt: opened, restoredAt: restored, category: 'aug-ties' },
      {
        source: 'aug-first',
        externalId: 'J3',
        openedAt: '2026-08-12T09:00:00Z',
        restoredAt: '2026-08-12T14:00:00Z',
        category: 'aug-ties',
      },
    ]);
    await client.end();
    const oldest = ['aug-first/J1', 'aug-first/J2', 'aug-second/J1', 'aug-first/J3'];
    const newest = ['aug-first/J3', 'aug-first/J1', 'aug-first/J2', 'aug-second/J1'];
    const expected: Record<string, string[]> = {
      openedAt: oldest,
      '-openedAt': newest,
      restoredAt: oldest,
      '-restoredAt': newest,
      ttrHours: oldest,
      '-ttrHours': newest,
    };
    for (const [sort, ids] of Object.entries(expected)) {
      for (const limit of [1, 2]) {
        for (const walk of [1, 2, 3, 4, 5]) {
          const query = { from: '2026-08-01', to: '2026-09-01', category: 'aug-ties', sort, limit, offset: 0 };
          const page = await listPage('mtrs', { ...query, walk, fallback: true });
          expect(page, `${sort} limit ${limit} walk ${walk}`).toEqual(ids.slice(0, limit));
        }
      }
    }
  });
});

describe('GET /api/incidents/{source}/{externalId}', () => {
  let t: RunningApp;

  beforeAll(async () => {
    t = await startAppWithFixture();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers the incident as stored, camelCased, with its SLA evaluations', async () => {
    const { status, body } = await t.get('/api/incidents/alpha/A1');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      source: 'alpha',
      externalId: 'A1',
      openedAt: '2026-03-02T00:00:00.000Z',
      acknowledgedAt: '2026-03-02T01:00:00.000Z',
      restoredAt: '2026-03-02T02:00:00.000Z',
      detectedAt: null,
      priority: 1,
      priorityOrigin: 'stated',
      category: 'network',
      assignmentGroup: 'G1',
      reassignmentCount: 0,
      reopenCount: 0,
      isMajor: false,
      sourceSlaMet: true,
      attributes: {},
      events: [],
    });
    expect(body.sourceId).toBeUndefined();
    expect(typeof body.version).toBe('number');
    // due 2026-03-02T04:00Z on a Berlin calendar: CET (+01:00) in March -> 05:00+01:00.
    expect(body.sla).toEqual({
      response: {
        targetMinutes: 60,
        elapsedMinutes: 0,
        pausedMinutes: 0,
        dueAt: null,
        dueAtUtc: null,
        status: 'met',
        breachedAt: null,
        timezone: 'UTC',
        policyId: null,
      },
      resolution: {
        targetMinutes: 240,
        elapsedMinutes: 120,
        pausedMinutes: 0,
        dueAt: '2026-03-02T05:00:00.000+01:00',
        dueAtUtc: '2026-03-02T04:00:00.000Z',
        status: 'met',
        breachedAt: null,
        timezone: 'Europe/Berlin',
        policyId: 7,
      },
      // The fixture writes its evaluations itself; no SLA refresh has recorded a watermark, so the
      // evaluations are not known to be as new as the incident.
      pending: true,
    });
  });

  it('orders events by seq and answers null evaluations when there are none', async () => {
    const { body } = await t.get('/api/incidents/alpha/A4');
    expect(body.events).toEqual([
      { seq: 1, at: '2026-03-05T03:00:00.000Z', kind: 'status', from: 'New', to: 'Resolved' },
      { seq: 2, at: '2026-03-05T04:00:00.000Z', kind: 'status', from: 'Resolved', to: 'Active' },
      { seq: 3, at: '2026-03-05T08:00:00.000Z', kind: 'status', from: 'Active', to: 'Resolved' },
    ]);
    expect(body.sla.response).toBeNull();
    const none = await t.get('/api/incidents/alpha/A12');
    expect(none.body.sla).toEqual({ response: null, resolution: null, pending: true });
  });

  it('answers 404 for an unknown source or id, whatever the name holds', async () => {
    expect((await t.get('/api/incidents/nope/A1')).status).toBe(404);
    expect((await t.get('/api/incidents/alpha/NOPE')).status).toBe(404);
    expect((await t.get('/api/incidents/beta/A1')).status).toBe(404);
    expect(
      (await t.get(`/api/incidents/${encodeURIComponent("alpha' or '1'='1")}/A1`)).status,
    ).toBe(404);
  });
});

describe('GET /api/incidents/lookup', () => {
  let t: RunningApp;
  // Ids no path segment carries: dot segments are resolved by clients whatever their encoding.
  const ODD_IDS = ['..', '.', 'a/b', '%2e%2e', '?x=1#y'];

  beforeAll(async () => {
    t = await startAppWithFixture();
    const client = await connect(t.db.url);
    await insertIncidents(
      client,
      ODD_IDS.map((externalId) => ({ source: 'alpha', externalId, openedAt: '2026-03-09T00:00:00Z', category: externalId })),
    );
    await client.end();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers what the path form answers', async () => {
    const byPath = await t.get('/api/incidents/alpha/A1');
    const byQuery = await t.get('/api/incidents/lookup', { source: 'alpha', externalId: 'A1' });
    expect(byQuery.status).toBe(200);
    expect(byQuery.body).toEqual(byPath.body);
  });

  it('finds an incident whatever its id holds', async () => {
    for (const externalId of ODD_IDS) {
      const { status, body } = await t.get('/api/incidents/lookup', { source: 'alpha', externalId });
      expect(status, externalId).toBe(200);
      expect([body.externalId, body.category]).toEqual([externalId, externalId]);
    }
  });

  it('answers 404 for an unknown incident and 400 naming a missing or overlong key', async () => {
    expect((await t.get('/api/incidents/lookup', { source: 'alpha', externalId: 'NOPE' })).status).toBe(404);
    const missing = await t.get('/api/incidents/lookup', { source: 'alpha' });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('externalId');
    const long = await t.get('/api/incidents/lookup', { source: 'x'.repeat(201), externalId: 'A1' });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toContain('source');
  });
});

describe('list totals and summary n between refreshes', () => {
  let t: RunningApp;

  beforeAll(async () => {
    t = await startAppWithFixture();
    await t.app.get(RollupsService).refresh();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('stay equal after incidents change and before the next refresh', async () => {
    const client = await connect(t.db.url);
    // A1 restored a day later (still March), A8 restored on 03-21, A9 moved to April.
    await client.query(
      `update incident set restored_at = case external_id when 'A1' then restored_at + interval '1 day'
                                                     when 'A8' then '2026-03-21T00:00:00Z' else restored_at end,
              opened_at = case when external_id = 'A9' then '2026-04-02T00:00:00Z' else opened_at end,
              version = nextval('incident_version_seq')
        where external_id in ('A1', 'A8', 'A9')`,
    );
    await client.end();
    const summary = (await t.get('/api/metrics/summary', MARCH)).body;
    // Opened in March (source alpha) was A1..A9, A11 = 10; A9 now opens in April: 9.
    expect(summary.volume.opened).toBe(9);
    // Restored in March was A10, A1..A7, = 8 (A7 counts, A11 at `to` does not); A8 now too: 9.
    expect(summary.volume.restored).toBe(9);
    for (const figure of INCIDENT_FIGURE_NAMES) {
      const list = await t.get('/api/incidents', { ...MARCH, figure, limit: 500 });
      expect(list.body.total, figure).toBe(SUMMARY_N[figure](summary));
      // The total is the summary's n (the server takes it from there); the rows, read from the
      // incidents as they are now, must be as many (A9 no longer among the opened, A8 among the
      // restored).
      expect(list.body.items, figure).toHaveLength(list.body.total);
    }
  });

  it('marks an incident whose SLA evaluations predate its last change', async () => {
    const client = await connect(t.db.url);
    // As an SLA refresh leaves it: every incident version so far absorbed.
    await client.query(
      `insert into derived_watermark (name, version) select 'sla', max(version) from incident
         on conflict (name) do update set version = excluded.version`,
    );
    expect((await t.get('/api/incidents/alpha/A2')).body.sla.pending).toBe(false);
    await client.query(`update incident set priority = 3, version = nextval('incident_version_seq') where external_id = 'A2'`);
    await client.end();
    expect((await t.get('/api/incidents/alpha/A2')).body.sla.pending).toBe(true);
    expect((await t.get('/api/incidents/alpha/A3')).body.sla.pending).toBe(false);
  });
});

