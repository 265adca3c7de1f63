import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunningApp, startApp } from '../../support/app';
import { connect, insertIncidents } from '../../support/factories';

const OK = { from: '2026-03-01', to: '2026-04-01' };

describe('metrics and incidents HTTP edge', () => {
  let t: RunningApp;

  beforeAll(async () => {
    t = await startApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  /** The parameters a 400 names. */
  async function badParameters(
    path: string,
    query: Record<string, string | number>,
  ): Promise<string[]> {
    const { status, body } = await t.get(path, query);
    expect(status, JSON.stringify(body)).toBe(400);
    return body.parameters.map((p: { parameter: string }) => p.parameter);
  }

  const cases: [string, string, Record<string, string | number>, string][] = [
    ['bad date', '/api/metrics/summary', { ...OK, from: '2026-02-30' }, 'from'],
    ['not a date', '/api/metrics/summary', { ...OK, to: 'tomorrow' }, 'to'],
    ['missing from', '/api/metrics/summary', { to: OK.to }, 'from'],
    ['to equal to from', '/api/metrics/summary', { ...OK, to: OK.from }, 'to'],
    ['to before from', '/api/metrics/flow', { from: '2026-04-01', to: '2026-03-01' }, 'to'],
    ['unknown tz', '/api/metrics/summary', { ...OK, tz: 'Mars/Olympus_Mons' }, 'tz'],
    ['priority 6', '/api/metrics/summary', { ...OK, priority: 6 }, 'priority'],
    ['priority 0', '/api/metrics/sla-by-priority', { ...OK, priority: 0 }, 'priority'],
    ['priority not a number', '/api/metrics/aging', { ...OK, priority: 'high' }, 'priority'],
    ['unknown interval', '/api/metrics/flow', { ...OK, interval: 'year' }, 'interval'],
    // 2000-01-01 .. 2026-01-01 by day is 9497 buckets, over the 3660 allowed.
    [
      'too many buckets',
      '/api/metrics/flow',
      { from: '2000-01-01', to: '2026-01-01', interval: 'day' },
      'interval',
    ],
    ['unknown by', '/api/metrics/volume', { ...OK, by: 'colour' }, 'by'],
    ['top 0', '/api/metrics/volume', { ...OK, top: 0 }, 'top'],
    ['unknown figure', '/api/incidents', { ...OK, figure: 'happiness' }, 'figure'],
    ['missing figure', '/api/incidents', OK, 'figure'],
    ['limit too large', '/api/incidents', { ...OK, figure: 'mtrs', limit: 10_000 }, 'limit'],
    [
      'unknown sort',
      '/api/incidents',
      { ...OK, figure: 'mtrs', sort: 'name; drop table incident' },
      'sort',
    ],
    ['unknown parameter', '/api/metrics/summary', { ...OK, colour: 'red' }, 'colour'],
  ];
  for (const [name, path, query, parameter] of cases) {
    it(`400 naming ${parameter}: ${name}`, async () => {
      expect(await badParameters(path, query)).toContain(parameter);
    });
  }

  it('answers 200 with the defaults on every figure endpoint', async () => {
    for (const path of ['summary', 'sla-by-priority', 'volume', 'flow', 'aging']) {
      expect((await t.get(`/api/metrics/${path}`, OK)).status).toBe(200);
    }
    expect((await t.get('/api/incidents', { ...OK, figure: 'backlog' })).status).toBe(200);
  });

  it('GET /api/filters on an empty database', async () => {
    const { body } = await t.get('/api/filters');
    expect(body).toEqual({
      sources: [],
      categories: [],
      assignmentGroups: [],
      priorities: [1, 2, 3, 4, 5],
      extent: { openedFrom: null, openedTo: null, restoredFrom: null, restoredTo: null },
    });
  });

  it('GET /api/filters leaves out a source that holds no incident', async () => {
    // What a refused import, or one whose every row was rejected, leaves behind: the source alone.
    const client = await connect(t.db.url);
    await client.query(`insert into source (name) values ('refused-upload')`);
    await client.end();
    expect((await t.get('/api/filters')).body.sources).toEqual([]);
  });

  it('GET /api/filters counts every incident of a source, absorbed by the rollups or not yet', async () => {
    const client = await connect(t.db.url);
    const incident = (source: string, externalId: string, category: string | null, assignmentGroup: string | null) => ({
      source,
      externalId,
      openedAt: '2026-03-02T00:00:00Z',
      priority: 3,
      category,
      assignmentGroup,
    });
    await insertIncidents(client, [
      incident('alpha', 'A1', 'network', 'G2'),
      incident('alpha', 'A2', 'database', null),
      incident('alpha', 'A3', null, 'G1'),
      incident('beta', 'B1', 'network', 'G1'),
    ]);
    const sources = async () => (await t.get('/api/filters')).body.sources;
    // Nothing absorbed yet: alpha 3, beta 1 (refused-upload, from the test before, holds none).
    const expected = [
      { name: 'alpha', incidents: 3 },
      { name: 'beta', incidents: 1 },
    ];
    expect(await sources()).toEqual(expected);
    await fetch(`${t.base}/api/refresh`, { method: 'POST' });
    expect(await sources()).toEqual(expected);
    // One more for beta after the refresh, and a change to A1: beta 2, alpha still 3.
    await insertIncidents(client, [incident('beta', 'B2', 'application', 'G3')]);
    await client.query(`update incident set category = 'email', version = nextval('incident_version_seq') where external_id = 'A1'`);
    await client.end();
    expect(await sources()).toEqual([
      { name: 'alpha', incidents: 3 },
      { name: 'beta', incidents: 2 },
    ]);
    // Distinct values as they are now, sorted, and '(none)' last: A3 has no category, A2 no group.
    const { body } = await t.get('/api/filters');
    expect(body.categories).toEqual(['application', 'database', 'email', 'network', '(none)']);
    expect(body.assignmentGroups).toEqual(['G1', 'G2', 'G3', '(none)']);
  });

  it('GET /api/filters ends the extent at the latest time not in the future', async () => {
    // The incidents so far: A1-A3 and B1-B2, all opened 2026-03-02 00:00 UTC, none restored.
    const client = await connect(t.db.url);
    const extent = async () => (await t.get('/api/filters')).body.extent;
    // Only future restorations (a year typed 2999): the extent ends at the latest of them.
    await insertIncidents(client, [
      { source: 'beta', externalId: 'B3', openedAt: '2026-03-03T10:00:00Z', restoredAt: '2999-03-03T12:00:00Z', priority: 3 },
    ]);
    expect(await extent()).toEqual({
      openedFrom: '2026-03-02T00:00:00.000Z',
      openedTo: '2026-03-03T10:00:00.000Z',
      restoredFrom: '2999-03-03T12:00:00.000Z',
      restoredTo: '2999-03-03T12:00:00.000Z',
    });
    // A real restoration, and an opening in the future: each end is the latest not after now.
    await insertIncidents(client, [
      { source: 'beta', externalId: 'B4', openedAt: '2026-03-04T08:00:00Z', restoredAt: '2026-03-05T09:30:00Z', priority: 3 },
      { source: 'beta', externalId: 'B5', openedAt: '2999-01-01T00:00:00Z', priority: 3 },
    ]);
    await client.end();
    expect(await extent()).toEqual({
      openedFrom: '2026-03-02T00:00:00.000Z',
      openedTo: '2026-03-04T08:00:00.000Z',
      restoredFrom: '2026-03-05T09:30:00.000Z',
      restoredTo: '2026-03-05T09:30:00.000Z',
    });
  });

  it('/api/docs-json documents every metrics and incidents endpoint with its query', async () => {
    const { status, body } = await t.get('/api/docs-json');
    expect(status).toBe(200);
    for (const path of [
      '/api/metrics/summary',
      '/api/metrics/sla-by-priority',
      '/api/metrics/volume',
      '/api/metrics/flow',
      '/api/metrics/aging',
      '/api/filters',
      '/api/incidents',
      '/api/incidents/{source}/{externalId}',
    ]) {
      expect(body.paths[path]?.get, path).toBeDefined();
    }
    const summaryParams = body.paths['/api/metrics/summary'].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(summaryParams).toEqual(
      expect.arrayContaining([
        'from',
        'to',
        'tz',
        'source',
        'priority',
        'category',
        'assignmentGroup',
      ]),
    );
    const listParams = body.paths['/api/incidents'].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(listParams).toEqual(
      expect.arrayContaining(['figure', 'limit', 'offset', 'sort', 'from', 'to']),
    );
    expect(body.paths['/api/metrics/summary'].get.responses['200']).toBeDefined();
    expect(body.components.schemas.SummaryDto.properties.mtrs).toBeDefined();
    // Whole numbers are integers, in the query, the path and the bodies (the server refuses 1.5).
    const typeOf = (path: string, name: string) =>
      body.paths[path][Object.keys(body.paths[path])[0]].parameters.find((p: { name: string }) => p.name === name).schema.type;
    expect(['limit', 'offset', 'priority'].map((name) => typeOf('/api/incidents', name))).toEqual(['integer', 'integer', 'integer']);
    expect(typeOf('/api/metrics/breakdown', 'top')).toBe('integer');
    expect(typeOf('/api/imports/{id}/rejections', 'id')).toBe('integer');
    expect(typeOf('/api/sla/calendars/{id}', 'id')).toBe('integer');
    const { schemas } = body.components;
    expect([schemas.PolicyTargetDto.properties.priority.type, schemas.PolicyTargetDto.properties.calendarId.type]).toEqual(['integer', 'integer']);
    expect([schemas.RejectionDto.properties.line.type, schemas.ImportRunDto.properties.id.type]).toEqual(['integer', 'integer']);
  });
});
