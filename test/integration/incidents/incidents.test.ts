import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_FIGURE_NAMES, INCIDENT_FIGURES, IncidentFigure, WALK_BOUNDS } from '../../../server/src/incidents/incident-figures';
import { FigureSql } from '../../../server/src/metrics/figures.sql';
import { RollupsService } from '../../../server/src/rollups/rollups.service';
import { connect, insertIncidents, insertSlaEvaluation, insertSource, Queryable } from '../../support/factories';
import { startAppWithFixture } from '../metrics/fixture';
import type { RunningApp } from '../../support/app';

/** An instant of 2026 written 'MM-DDTHH:MM', in UTC. */
const in2026 = (dayTime: string) => `2026-${dayTime}:00Z`;

/** As an SLA pass leaves it: every incident version so far evaluated (its watermark). */
async function markSlaEvaluated(db: Queryable): Promise<void> {
  await db.query(
    `insert into derived_watermark (name, version) select 'sla', max(version) from incident
       on conflict (name) do update set version = excluded.version`,
  );
}

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
      // Within a priority, the newest opened first: P2 is A3 (03-04) then A2 (03-03); P3 is
      // Z1 (03-15), A7 (03-12), A5 (03-06), A4 (03-05), split by the page of 4 after Z1 A7 A5 going
      // up, and after A4 going down.
      priority: ['A1', 'A3', 'A2', 'Z1', 'A7', 'A5', 'A4', 'A6', 'A10'],
      '-priority': ['A10', 'A6', 'Z1', 'A7', 'A5', 'A4', 'A3', 'A2', 'A1'],
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
    const [{ version }] = await t.app.get(FigureSql).query<{ version: string }>('sla-version.sql', {});
    const { opened, openedFrom, restored } = WALK_BOUNDS[population];
    const bounds = { walk_opened: opened, walk_opened_from: openedFrom, walk_restored: restored, sla_version: version };
    const rows = await t.app.get(FigureSql).query<{ source: string; external_id: string }>(
      'incident-list.sql',
      { from: null, to: null, tz: 'UTC', source: null, priority: null, category: null, assignment_group: null, tag, ...bounds, ...params },
      { population },
    );
    return rows.map((row) => `${row.source}/${row.external_id}`);
  };

  it('finds the same page by a walk in the order of a time, however long, as by reading the population', async () => {
    // walk 0 reads the whole population (the path the tests above check by hand). A walk of any
    // length must give the same page: a walk too short to fill it falls back to that path, and
    // one that fills it leaves out its last time. The March fixture has 2-10 incidents
    // per figure; walks of 1 to 25 incidents cover "too short" to "past the table's end".
    const sorts = ['openedAt', '-openedAt', 'restoredAt', '-restoredAt', 'ttrHours', '-ttrHours', 'priority', '-priority'];
    for (const figure of INCIDENT_FIGURE_NAMES) {
      for (const sort of sorts) {
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
      // One priority (3) for all four: newest opened first, as -openedAt.
      priority: newest,
      '-priority': newest,
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

  it('walks by priority one priority at a time, leaving out the last time of the last priority walked', async () => {
    // Category 'sep-prio' holds only these five, each restored an hour after opening (source
    // 'sep', one source, so ties go by external id):
    //   P2: Q2 opened 09-12, Q1 09-10;  P4: Q3 and Q4 both 09-11 09:00, Q5 09-05.
    // By priority (P2 first), each priority newest first: Q2 Q1 | Q3 Q4 Q5.
    // By -priority (P4 first): Q3 Q4 Q5 | Q2 Q1.
    const client = await connect(t.db.url);
    await insertSource(client, 'sep');
    const at = (day: number, hour = 9) => `2026-09-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
    const seed = (externalId: string, priority: number, day: number) => ({
      source: 'sep',
      externalId,
      priority,
      openedAt: at(day),
      restoredAt: at(day, 10),
      category: 'sep-prio',
    });
    // Inserted out of order, so that the indexes' order is not the insertion's.
    await insertIncidents(client, [seed('Q4', 4, 11), seed('Q5', 4, 5), seed('Q1', 2, 10), seed('Q3', 4, 11), seed('Q2', 2, 12)]);
    await client.end();
    const list = { priority: ['Q2', 'Q1', 'Q3', 'Q4', 'Q5'], '-priority': ['Q3', 'Q4', 'Q5', 'Q2', 'Q1'] };
    // Without the fallback, the page a walk of `walk` finds, or nothing, worked out from the walk
    // order (within a priority, newest first; the ties Q3 and Q4 in either order):
    //   priority:  walk 1 reads Q2, at the last priority's last time: no hit.  2: Q2 Q1, Q2
    //   counts.  3, 4: a tie or both at P4's last time: Q2 Q1 count.  5: Q5 is the last time,
    //   so Q2 Q1 Q3 Q4 count.  6: past the five, all count.
    //   -priority: 1, 2: ties at the last time, none counts.  3: Q5 last, Q3 Q4 count.  4: Q2 of
    //   P2 last, all of P4 counts.  5: Q1 last, P4 and Q2 count.  6: all.
    const hits: Record<string, string[][]> = {
      priority: [[], ['Q2'], ['Q2', 'Q1'], ['Q2', 'Q1'], ['Q2', 'Q1', 'Q3', 'Q4'], list.priority],
      '-priority': [[], [], ['Q3', 'Q4'], ['Q3', 'Q4', 'Q5'], ['Q3', 'Q4', 'Q5', 'Q2'], list['-priority']],
    };
    for (const sort of ['priority', '-priority'] as const) {
      // A page of 6 is larger than the list: only a walk past all five (6) may answer it.
      for (const limit of [1, 2, 3, 6]) {
        for (const walk of [1, 2, 3, 4, 5, 6]) {
          const query = { from: '2026-09-01', to: '2026-10-01', category: 'sep-prio', sort, limit, offset: 0 };
          const context = `${sort} limit ${limit} walk ${walk}`;
          const want = list[sort].slice(0, limit).map((id) => `sep/${id}`);
          expect(await listPage('mtrs', { ...query, walk, fallback: true }), context).toEqual(want);
          const found = hits[sort][walk - 1];
          const page = found.length >= limit || walk > 5 ? want : [];
          expect(await listPage('mtrs', { ...query, walk, fallback: false }), context).toEqual(page);
        }
      }
    }
  });

  it('walks oldest first from 30 days before the window, after the longer restorations', async () => {
    // December 2026, category 'dec-old', source 'dec':
    //   P1 opened 10-01 00:00, restored 12-02 00:00 (62 days: more than 720 hours);
    //   P0 opened 10-31 23:00, restored 12-01 00:00 (30 days and an hour: more, by an hour);
    //   P2 opened 11-15 09:00, restored 12-03 09:00 (18 days);
    //   P3 opened 12-03 09:00, restored 12-03 10:00;
    //   X  opened 11-10 09:00, restored 11-11, and Y opened 10-15, restored 10-16: not restored in
    //      December.
    // Restored in December, oldest first: P1, P0, P2, P3. The walk starts 30 days before December,
    // at 11-01 00:00, after every incident restored in December more than 720 hours after its
    // opening, here P1 and P0, which are read first, whole. A walk of 2 then reads X and P2: P1
    // and P0 count, P2 is at the walk's last time, a page of 2. A walk of 5 reads X, P2, P3 and
    // ends, so all count: P1, P0, P2, P3. Y is never read. Walked from the data's start (Y, P1, P0,
    // X, P2) a walk of 5 would end at P2's time and give no page of 4; started at the window, it
    // would miss P2.
    const client = await connect(t.db.url);
    await insertSource(client, 'dec');
    const seed = (externalId: string, openedAt: string, restoredAt: string) => ({
      source: 'dec',
      externalId,
      category: 'dec-old',
      openedAt: in2026(openedAt),
      restoredAt: in2026(restoredAt),
    });
    await insertIncidents(client, [
      seed('P3', '12-03T09:00', '12-03T10:00'),
      seed('Y', '10-15T09:00', '10-16T09:00'),
      seed('P1', '10-01T00:00', '12-02T00:00'),
      seed('X', '11-10T09:00', '11-11T09:00'),
      seed('P2', '11-15T09:00', '12-03T09:00'),
      seed('P0', '10-31T23:00', '12-01T00:00'),
    ]);
    await client.end();
    const december = { from: '2026-12-01', to: '2027-01-01', category: 'dec-old', sort: 'openedAt', offset: 0, fallback: false };
    for (const figure of ['mtrs', 'resolved'] as const) {
      expect(await listPage(figure, { ...december, limit: 2, walk: 2 }), figure).toEqual(['dec/P1', 'dec/P0']);
      expect(await listPage(figure, { ...december, limit: 3, walk: 2 }), figure).toEqual([]);
      expect(await listPage(figure, { ...december, limit: 4, walk: 5 }), figure).toEqual(['dec/P1', 'dec/P0', 'dec/P2', 'dec/P3']);
    }
  });

  it('walks SLA lists oldest first from before the window, after the clocks that ran longer', async () => {
    // December 2026, source 'dec2', category 'dec-sla', resolution clocks each started at its
    // incident's opening:
    //   met:      K1 opened 10-01 00:00, stopped 12-02 00:00 (62 days);
    //             K2 opened 11-15 09:00, stopped 12-03 09:00 (18 days);
    //             K4 opened 11-28 09:00, stopped 12-04 09:00 (6 days);
    //             K3 opened 12-03 09:00, stopped 12-03 10:00;
    //             Z  opened 11-10 09:00, stopped 11-11 09:00 (not in December);
    //   breached: B1 opened 10-05 00:00, stopped 12-05 00:00 (61 days);
    //             B2 opened 11-12 09:00, stopped 12-06 09:00 (24 days).
    // Met in December, oldest first: K1, K2, K4, K3; breached: B1, B2.
    const client = await connect(t.db.url);
    await insertSource(client, 'dec2');
    const clocks: [string, string, string, 'met' | 'breached'][] = [
      ['K1', '10-01T00:00', '12-02T00:00', 'met'],
      ['K2', '11-15T09:00', '12-03T09:00', 'met'],
      ['K4', '11-28T09:00', '12-04T09:00', 'met'],
      ['K3', '12-03T09:00', '12-03T10:00', 'met'],
      ['Z', '11-10T09:00', '11-11T09:00', 'met'],
      ['B1', '10-05T00:00', '12-05T00:00', 'breached'],
      ['B2', '11-12T09:00', '12-06T09:00', 'breached'],
    ];
    await insertIncidents(
      client,
      clocks.map(([externalId, opened, stopped]) => ({ source: 'dec2', externalId, category: 'dec-sla', openedAt: in2026(opened), restoredAt: in2026(stopped) })),
    );
    for (const [externalId, opened, stopped, status] of clocks) {
      await insertSlaEvaluation(client, { source: 'dec2', externalId, kind: 'resolution', status, startedAt: in2026(opened), stoppedAt: in2026(stopped) });
    }
    await markSlaEvaluated(client);
    const december = { from: '2026-12-01', to: '2027-01-01', category: 'dec-sla', sort: 'openedAt', offset: 0, fallback: false };
    // The met list's walk starts 168 hours before December, at 11-24 00:00, after the met clocks
    // stopped in December that ran longer and started before it, K1 and K2, read whole. A walk
    // of 1 reads K4, at its last time: K1 and K2 count, a page of 2. A walk of 3 reads K4 and K3
    // and ends: all count. From 30 days before (11-01) with the clocks of more than 720 hours (K1,
    // B1), a walk of 1 would read Z: K1 alone counts, no page of 2.
    expect(await listPage('sla-met', { ...december, limit: 2, walk: 1 })).toEqual(['dec2/K1', 'dec2/K2']);
    expect(await listPage('sla-met', { ...december, limit: 4, walk: 3 })).toEqual(['dec2/K1', 'dec2/K2', 'dec2/K4', 'dec2/K3']);
    // The breached list's walk starts 720 hours before December, at 11-01 00:00, after the clocks
    // stopped in December that ran longer than that, met or breached: K1 and B1, read whole. A
    // walk of 2 reads Z and B2: B2 is at its last time, B1 alone counts, no page of 2. A walk of 3
    // reads Z, B2, K2: B1 and B2 count. Had it started at 11-24 after the long met clocks alone,
    // it would read K4 and K3 and end with no breached clock among them.
    expect(await listPage('sla-breached', { ...december, limit: 2, walk: 2 })).toEqual([]);
    expect(await listPage('sla-breached', { ...december, limit: 2, walk: 3 })).toEqual(['dec2/B1', 'dec2/B2']);
    // K4 is edited to open on 09-01 after the SLA engine's last pass: its clock (started 11-28)
    // still counts, and K4 now comes first: K4, K1, K2, K3. The walk then starts at K4's opening,
    // with no clock started before it: from 09-01 it reads K4, K1, B1, Z, B2, K2, K3 and ends (a
    // walk of 8). Started at 11-24, it would read K3 alone after K1 and K2, and miss K4.
    await client.query(`update incident set opened_at = '2026-09-01T09:00:00Z', version = nextval('incident_version_seq') where external_id = 'K4'`);
    await client.end();
    expect(await listPage('sla-met', { ...december, limit: 4, walk: 8 })).toEqual(['dec2/K4', 'dec2/K1', 'dec2/K2', 'dec2/K3']);
  });

  it('walks a met response list oldest first from a day before the window, after the longer ones', async () => {
    // December 2026, source 'dec3', category 'dec-resp', response clocks met, each started at its
    // incident's opening:
    //   R1 opened 11-20 00:00, stopped 12-02 00:00 (12 days);
    //   R2 opened 11-30 12:00, stopped 12-01 06:00 (18 hours);
    //   R3 opened 12-02 09:00, stopped 09:30;
    //   N  opened 11-30 18:00, stopped 19:00 (not in December); X opened 11-26 09:00, no clock.
    // Met in December, oldest first: R1, R2, R3. The walk starts 24 hours before December, at
    // 11-30 00:00, after the met response clocks that ran longer and started before it, R1, read
    // whole: a walk of 2 reads R2 and N, and R1 and R2 count, a page of 2. From 168 hours before
    // (11-24), it would read X and R2: R1 alone counts. From 30 days before, with no clock over
    // 720 hours, it would read R1 and X: R1 alone counts.
    const client = await connect(t.db.url);
    await insertSource(client, 'dec3');
    const clocks: [string, string, string][] = [
      ['R1', '11-20T00:00', '12-02T00:00'],
      ['R2', '11-30T12:00', '12-01T06:00'],
      ['R3', '12-02T09:00', '12-02T09:30'],
      ['N', '11-30T18:00', '11-30T19:00'],
    ];
    await insertIncidents(client, [
      ...clocks.map(([externalId, opened]) => ({ source: 'dec3', externalId, category: 'dec-resp', openedAt: in2026(opened) })),
      { source: 'dec3', externalId: 'X', category: 'dec-resp', openedAt: in2026('11-26T09:00') },
    ]);
    for (const [externalId, opened, stopped] of clocks) {
      await insertSlaEvaluation(client, { source: 'dec3', externalId, kind: 'response', status: 'met', startedAt: in2026(opened), stoppedAt: in2026(stopped) });
    }
    await markSlaEvaluated(client);
    await client.end();
    const december = { from: '2026-12-01', to: '2027-01-01', category: 'dec-resp', sort: 'openedAt', offset: 0, fallback: false };
    expect(await listPage('sla-response-met', { ...december, limit: 2, walk: 2 })).toEqual(['dec3/R1', 'dec3/R2']);
    expect(await listPage('sla-response-met', { ...december, limit: 3, walk: 0, fallback: true })).toEqual(['dec3/R1', 'dec3/R2', 'dec3/R3']);
  });

  it('starts a walk at the window, unless an incident of the population lies beyond it', async () => {
    // October 2026, each in a category of its own so that the walk reads only these.
    // Resolved (restored in October), category 'oct-gap', source 'oct':
    //   R1 opened 10-05 09:00, restored 10:00;  R2 opened 10-06 09:00, restored 11:00;
    //   G  opened 11-03 09:00 but restored 10-20 09:00, before its opening (a data gap);
    //   L  opened 11-05 09:00, restored 11-06: not restored in October.
    // Newest opened first, the resolved list is G (11-03), R2, R1. A walk bounded by the window's
    // end (opened before 11-01) would read R2, R1 and never G; G's gap moves the bound to G's
    // opening: a walk of 3 reads G, R2, R1 (not L), and with R1 at its last time left out, G and
    // R2 count, a page of 2. Unbounded, it would read L, G, R2: G alone, no page of 2. MTRS leaves
    // G out (restored before opening): R2, R1, and its walk is bounded by the window's end,
    // reading R2 and R1 only: a walk of 2 fills a page of 1 with R2.
    const client = await connect(t.db.url);
    await insertSource(client, 'oct');
    const seed = (externalId: string, category: string, openedAt: string, restoredAt: string) => ({
      source: 'oct',
      externalId,
      category,
      openedAt: in2026(openedAt),
      restoredAt: in2026(restoredAt),
    });
    await insertIncidents(client, [
      seed('R1', 'oct-gap', '10-05T09:00', '10-05T10:00'),
      seed('R2', 'oct-gap', '10-06T09:00', '10-06T11:00'),
      seed('G', 'oct-gap', '11-03T09:00', '10-20T09:00'),
      seed('L', 'oct-gap', '11-05T09:00', '11-06T09:00'),
    ]);
    const october = { from: '2026-10-01', to: '2026-11-01', offset: 0 };
    const gap = { ...october, category: 'oct-gap' };
    expect(await listPage('resolved', { ...gap, sort: '-openedAt', limit: 2, walk: 3, fallback: false })).toEqual(['oct/G', 'oct/R2']);
    expect(await listPage('resolved', { ...gap, sort: '-openedAt', limit: 3, walk: 0, fallback: true })).toEqual(['oct/G', 'oct/R2', 'oct/R1']);
    // By priority (all four are P3), newest first within it: the same walk.
    expect(await listPage('resolved', { ...gap, sort: 'priority', limit: 2, walk: 3, fallback: false })).toEqual(['oct/G', 'oct/R2']);
    expect(await listPage('mtrs', { ...gap, sort: '-openedAt', limit: 1, walk: 2, fallback: false })).toEqual(['oct/R2']);

    // Resolution clocks met in October, category 'oct-sla': C1 (opened 10-05 09:00, stopped
    // 10:00), C2 (10-06), S (10-07), each stopped an hour after opening; the SLA engine has seen
    // every incident so far. Newest first: S, C2, C1, and a walk bounded by the window's end reads
    // S and C2: S counts, a page of 1.
    const clocked = [seed('C1', 'oct-sla', '10-05T09:00', '10-05T10:00'), seed('C2', 'oct-sla', '10-06T09:00', '10-06T10:00'), seed('S', 'oct-sla', '10-07T09:00', '10-07T10:00')];
    await insertIncidents(client, clocked);
    for (const incident of clocked) {
      await insertSlaEvaluation(client, {
        source: 'oct',
        externalId: incident.externalId,
        kind: 'resolution',
        status: 'met',
        startedAt: incident.openedAt,
        stoppedAt: incident.restoredAt,
      });
    }
    await markSlaEvaluated(client);
    const sla = { ...october, category: 'oct-sla', sort: '-openedAt', limit: 1 };
    expect(await listPage('sla-met', { ...sla, walk: 2, fallback: false })).toEqual(['oct/S']);
    // S is edited to open on 11-03, and the SLA engine has not run since: its clock (stopped
    // 10-07 10:00) still counts in October, and S now comes first by opening (11-03), beyond the
    // window's end. The walk's bound moves to S's opening: a walk of 3 reads S, C2, C1, and S and
    // C2 count, a page of 2. Bounded by the window's end, it would read C2 and C1, and give C2 and
    // C1; unbounded, it would read L2 (opened 11-05, no clock), S and C2, and S alone counts.
    await client.query(`update incident set opened_at = '2026-11-03T09:00:00Z', version = nextval('incident_version_seq') where external_id = 'S'`);
    await insertIncidents(client, [{ source: 'oct', externalId: 'L2', category: 'oct-sla', openedAt: '2026-11-05T09:00:00Z' }]);
    await client.end();
    expect(await listPage('sla-met', { ...sla, limit: 2, walk: 3, fallback: false })).toEqual(['oct/S', 'oct/C2']);
    expect(await listPage('sla-met', { ...sla, limit: 3, walk: 0, fallback: true })).toEqual(['oct/S', 'oct/C2', 'oct/C1']);
    // C1 is edited to restore on 11-04, again after the engine's pass (its clock stopped 10-05
    // 10:00). Newest restoration first: C1 (11-04), S (10-07 10:00), C2 (10-06 10:00). The
    // restorations' bound moves to C1's: a walk of 3 reads C1, S, C2, and C1 and S count. Bounded
    // by the window's end, it would read S and C2 alone, and give them.
    const edit = await connect(t.db.url);
    await edit.query(`update incident set restored_at = '2026-11-04T09:00:00Z', version = nextval('incident_version_seq') where external_id = 'C1'`);
    await edit.end();
    expect(await listPage('sla-met', { ...sla, sort: '-restoredAt', limit: 2, walk: 3, fallback: false })).toEqual(['oct/C1', 'oct/S']);
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
    await markSlaEvaluated(client);
    expect((await t.get('/api/incidents/alpha/A2')).body.sla.pending).toBe(false);
    await client.query(`update incident set priority = 3, version = nextval('incident_version_seq') where external_id = 'A2'`);
    await client.end();
    expect((await t.get('/api/incidents/alpha/A2')).body.sla.pending).toBe(true);
    expect((await t.get('/api/incidents/alpha/A3')).body.sla.pending).toBe(false);
  });
});

