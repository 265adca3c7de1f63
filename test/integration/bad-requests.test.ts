import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunningApp, startApp } from '../support/app';

// Requests a newcomer sent that once ended in a 500: each must be a 400 naming what is wrong.
describe('requests that cannot be answered get a 400, never a 500', () => {
  let t: RunningApp;

  beforeAll(async () => {
    t = await startApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  async function get(path: string): Promise<{ status: number; message: string }> {
    const { status, body } = await t.get(path);
    return { status, message: String(body.message) };
  }

  it.each([
    ['/api/metrics/summary?from=2016-01-01&to=2016-02-01&category=%00', 'NUL'],
    ['/api/metrics/flow?from=2016-01-01&to=2016-02-01&source=a%00b', 'NUL'],
    ['/api/incidents/servicenow/abc%00def', 'NUL'],
    ['/api/incidents/%00/x', 'NUL'],
  ])('a NUL character: %s', async (path, expected) => {
    const { status, message } = await get(path);
    expect(status).toBe(400);
    expect(message).toContain(expected);
  });

  it.each([
    ['/api/metrics/summary?from=0001-01-01&to=9999-12-31', 'from'],
    ['/api/metrics/summary?from=2016-01-01&to=9999-12-31', 'to'],
    ['/api/sla/agreement?from=1000-01-01&to=2016-04-01', 'from'],
  ])('a date outside 1900-2999: %s', async (path, parameter) => {
    const { status, message } = await get(path);
    expect(status).toBe(400);
    expect(message).toContain(parameter);
  });

  it('a parameter given twice is named as such, whatever it is', async () => {
    for (const [path, parameter] of [
      ['/api/metrics/summary?from=2016-03-01&to=2016-04-01&priority=1&priority=2', 'priority'],
      ['/api/metrics/summary?from=2016-03-01&to=2016-04-01&tz=UTC&tz=UTC', 'tz'],
      ['/api/incidents?figure=opened&figure=mtrs&from=2016-03-01&to=2016-04-01', 'figure'],
    ]) {
      const { status, message } = await get(path);
      expect([status, message], path).toEqual([400, `${parameter}: given more than once`]);
    }
    // One the endpoint does not take is that, however often given.
    const unknown = await get('/api/metrics/summary?from=2016-03-01&to=2016-04-01&colour=red&colour=blue');
    expect([unknown.status, unknown.message]).toEqual([400, 'colour: not taken by this endpoint']);
  });

  it('a parameter without a name is said to be that, on every kind of endpoint', async () => {
    for (const path of ['/api/metrics/summary?from=2016-03-01&to=2016-04-01&=1', '/api/imports?=1', '/api/incidents/lookup?source=a&externalId=b&=']) {
      const { status, message } = await get(path);
      expect([status, message], path).toEqual([400, '(no name): a parameter without a name, as in "?=1"']);
    }
  });

  it('a required parameter not given is said to be missing, once', async () => {
    expect(await get('/api/incidents/lookup?source=servicenow')).toEqual({ status: 400, message: 'externalId: missing' });
    expect(await get('/api/incidents/lookup')).toEqual({ status: 400, message: 'source: missing, externalId: missing' });
    // Given but empty, it is not missing: its own problem is said.
    expect(await get('/api/incidents/lookup?source=servicenow&externalId=')).toEqual({ status: 400, message: 'externalId: must not be empty' });
  });

  it('an endpoint that takes no query parameter names any one given, as the others do', async () => {
    for (const path of ['/api/imports?limit=-1', '/api/imports/1/rejections?offset=x', '/api/filters?x=1', '/api/refresh?x=1', '/api/sla/policies?x=1']) {
      const { status, message } = await get(path);
      const parameter = new URL(path, 'http://x').searchParams.keys().next().value;
      expect([status, message], path).toEqual([400, `${parameter}: not taken by this endpoint`]);
    }
    // Without one, they answer.
    for (const path of ['/api/imports', '/api/filters', '/api/refresh', '/api/sla/policies']) {
      expect((await get(path)).status, path).toBe(200);
    }
  });

  it('an empty zone or interval takes its default, as an empty filter does', async () => {
    const empty = await t.get('/api/metrics/summary?from=2016-03-01&to=2016-04-01&tz=');
    expect([empty.status, empty.body.window.tz]).toEqual([200, 'UTC']);
    expect((await get('/api/metrics/flow?from=2016-03-01&to=2016-04-01&interval=')).status).toBe(200);
    expect((await get('/api/sla/compliance?from=2016-03-01&to=2016-04-01&interval=&tz=')).status).toBe(200);
  });

  // Zone names ICU still knows but the tz database dropped (PostgreSQL failed every figure with
  // them), and names PostgreSQL reads first as one of its abbreviations, a fixed offset of
  // another zone than ICU's: IST is +02 to it and Asia/Kolkata to ICU, NST -03:30 against
  // Pacific/Auckland, CET +01 all year against a zone with summer time.
  const FIGURE_PATHS = [
    '/api/metrics/summary',
    '/api/metrics/breakdown',
    '/api/metrics/flow',
    '/api/metrics/sla-by-priority',
    '/api/sla/compliance',
    '/api/sla/agreement',
    '/api/metrics/aging',
  ];
  // MST is a fixed -07 to PostgreSQL and America/Phoenix to ICU, which kept summer time in 1967;
  // EST is -05 to PostgreSQL and America/Panama to current ICU, on local mean time until 1908.
  it.each(['US/Pacific-New', 'AET', 'NST', 'IST', 'CET', 'MST', 'EST'])('a zone read otherwise by the database: %s', async (tz) => {
    for (const path of FIGURE_PATHS) {
      const { status, message } = await get(`${path}?from=2016-03-01&to=2016-04-01&tz=${encodeURIComponent(tz)}`);
      expect(status, path).toBe(400);
      expect(message, path).toMatch(/^tz: must be an IANA time zone such as Europe\/Berlin/);
    }
    const calendar = { name: 'odd zone', timezone: tz, kind: '24x7', weekly: {} };
    const created = await fetch(`${t.base}/api/sla/calendars`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(calendar),
    });
    expect(created.status).toBe(400);
    expect(String(((await created.json()) as { message: unknown }).message)).toContain('timezone');
  });

  it('a zone both read alike: a fixed-offset abbreviation and full names, in any case', async () => {
    for (const tz of ['UTC', 'GMT', 'Europe/Berlin', 'asia/kolkata', 'America/St_Johns', 'Etc/GMT+5']) {
      const path = `/api/metrics/summary?from=2016-03-01&to=2016-04-01&tz=${encodeURIComponent(tz)}`;
      expect((await get(path)).status, tz).toBe(200);
    }
  });

  it('a zone typed in another case is taken as the database spells it, so it is not a zone of its own', async () => {
    const { status, body } = await t.get('/api/metrics/summary?from=2016-03-01&to=2016-04-01&tz=asia%2Fkolkata');
    expect([status, body.window.tz]).toEqual([200, 'Asia/Kolkata']);
    const created = await fetch(`${t.base}/api/sla/calendars`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'lower-case zone', timezone: 'america/st_johns', kind: '24x7', weekly: {} }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { timezone: string }).timezone).toBe('America/St_Johns');
  });

  // The import takes times up to 2999-12-31 23:59:59 UTC; a window ending at 2999-12-31 could
  // never hold that day, and a data set reaching it made the dashboard's default window a 400.
  it('a window may end on 3000-01-01, the day after the last day a time may fall on', async () => {
    for (const path of [
      '/api/metrics/summary?from=2999-12-02&to=3000-01-01',
      '/api/incidents?figure=opened&from=2999-12-31&to=3000-01-01',
      '/api/sla/agreement?from=2999-12-02&to=3000-01-01',
    ]) {
      expect((await get(path)).status, path).toBe(200);
    }
    const past = await get('/api/metrics/summary?from=2999-12-02&to=3000-01-02');
    expect(past.status).toBe(400);
    expect(past.message).toContain('from 1900-01-01 to 3000-01-01');
    expect((await get('/api/metrics/summary?from=3000-01-01&to=3000-01-02')).status).toBe(400);
  });

  // The import takes a category or group of up to 500 bytes; filtering by one must work (the
  // API refused past 200 characters, and every card of the dashboard said so).
  it('filters by a category or group as long as an import takes, and no longer', async () => {
    for (const key of ['category', 'assignmentGroup']) {
      const base = `/api/metrics/summary?from=2016-01-01&to=2016-02-01&${key}=`;
      expect((await get(base + 'x'.repeat(500))).status, key).toBe(200);
      const over = await get(base + 'x'.repeat(501));
      expect(over.status, key).toBe(400);
      expect(over.message).toContain(key);
    }
  });

  // class-validator's messages start with the property's name, which the 400 puts first already.
  it('names each parameter once, before its problems, in the query and in a body', async () => {
    const { message } = await get('/api/metrics/summary?from=2016-01-01&to=2016-01-01');
    expect(message).toBe('to: must be after from');
    const policy = { name: 'p', targets: [{ priority: 1, responseMinutes: 10, resolutionMinutes: 60, calendarId: 'one' }] };
    const { status, message: body } = await send('POST', '/api/sla/policies', policy);
    expect(status).toBe(400);
    expect(body).toMatch(/^targets\.0\.calendarId: (?!calendarId )/);
  });

  it('an offset past any list', async () => {
    const { status, message } = await get(
      '/api/incidents?figure=mtrs&from=2016-01-01&to=2016-02-01&offset=99999999999999999999',
    );
    expect(status).toBe(400);
    expect(message).toContain('offset');
  });

  // Number() took '1e2' and '0x10' as numbers and an empty value as 0; a whole number is digits.
  it.each([
    ['/api/incidents?figure=mtrs&from=2016-01-01&to=2016-02-01&limit=1e2', 'limit'],
    ['/api/incidents?figure=mtrs&from=2016-01-01&to=2016-02-01&limit=0x10', 'limit'],
    ['/api/incidents?figure=mtrs&from=2016-01-01&to=2016-02-01&offset=%205', 'offset'],
    ['/api/incidents?figure=mtrs&from=2016-01-01&to=2016-02-01&offset=-0', 'offset'],
    ['/api/metrics/summary?from=2016-01-01&to=2016-02-01&priority=1e0', 'priority'],
    // A point is followed by zeros only (`1.0` is 1): `1.5` is no whole number, `.5` no number.
    ['/api/metrics/volume?from=2016-01-01&to=2016-02-01&by=category&top=1.5', 'top'],
    ['/api/incidents?figure=mtrs&from=2016-01-01&to=2016-02-01&limit=.5', 'limit'],
    ['/api/sla/watch?priority=0x1', 'priority'],
    ['/api/sla/watch?priority=%2B1', 'priority'],
  ])('a whole number not written in digits: %s', async (path, parameter) => {
    const { status, body } = await t.get(path);
    expect(status).toBe(400);
    expect(body.parameters).toEqual([{ parameter, problems: [expect.stringMatching(/^must be a whole number from \d+ to \d+$/)] }]);
    expect(body.message).toMatch(new RegExp(`^${parameter}: must be a whole number from \\d+ to \\d+$`));
  });

  // A path id refused `01` while `limit=01` was 1, and `top=2.0` was refused while a list link's
  // `page=2.0` (client/src/filters/filters.query.ts) was page 2: one rule reads them all now.
  it('an integer parameter, in the path or the query, is digits with leading zeros and an optional point with zeros', async () => {
    // Calendars 1 (24x7) and 2 (Business hours) are seeded by sql/030.
    for (const [path, id] of [
      ['/api/sla/calendars/01', 1],
      ['/api/sla/calendars/2.0', 2],
      ['/api/sla/calendars/002.', 2],
    ] as const) {
      const { status, body } = await t.get(path);
      expect([status, body.id], path).toEqual([200, id]);
    }
    // Read as numbers, so the bounds apply to the number: 05 is priority 5 (the last), 06 is 6.
    const list = '/api/incidents?figure=mtrs&from=2016-01-01&to=2016-02-01';
    for (const [path, status] of [
      ['/api/sla/watch?priority=05', 200],
      ['/api/sla/watch?priority=5.00', 200],
      ['/api/sla/watch?priority=06', 400],
      [`${list}&limit=0500`, 200],
      [`${list}&limit=500.0`, 200],
      [`${list}&limit=0501`, 400],
      [`${list}&offset=00`, 200],
      ['/api/sla/calendars/1.5', 400],
    ] as const) {
      expect((await t.get(path)).status, path).toBe(status);
    }
  });

  it('an empty limit or offset takes its default, as an empty filter does', async () => {
    const list = '/api/incidents?figure=mtrs&from=2016-01-01&to=2016-02-01';
    const plain = await t.get(list);
    expect(plain.status).toBe(200);
    for (const empty of ['&limit=', '&offset=', '&limit=&offset=']) {
      const answer = await t.get(list + empty);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(plain.body);
    }
  });

  it('SLA compliance over more periods than a chart can hold', async () => {
    // 1900-01-01 to 2999-12-31 by day: about 401,767 periods, over the 3,660 limit.
    const { status, message } = await get('/api/sla/compliance?from=1900-01-01&to=2999-12-31&interval=day');
    expect(status).toBe(400);
    expect(message).toContain('interval');
    expect(message).toMatch(/choose a longer interval or a shorter window$/);
    // By month, the longest interval, only a shorter window helps: 1900-01 to 2999-12 is
    // 1 100 years x 12 = 13 200 months.
    const monthly = await get('/api/metrics/flow?from=1900-01-01&to=3000-01-01');
    expect(monthly).toEqual({ status: 400, message: 'interval: month makes 13200 buckets, more than 3660; choose a shorter window' });
  });

  async function send(method: string, path: string, body: unknown): Promise<{ status: number; message: string }> {
    const response = await fetch(`${t.base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { message?: unknown };
    return { status: response.status, message: String(answer.message) };
  }

  // A list sent as one value failed the checks of a list's size and elements too: "holidays must
  // contain no more than 5000 elements" of a single date, before "must be an array".
  it('a list sent as one value is told it must be a list, and that alone', async () => {
    const calendar = { name: 'one holiday', timezone: 'UTC', kind: '24x7' };
    const policy = { name: 'lists', targets: [{ priority: 1, responseMinutes: 10, resolutionMinutes: 60, calendarId: 1 }], pauseStatuses: [], stopStatuses: [] };
    for (const [path, body, parameter] of [
      ['/api/sla/calendars', { ...calendar, holidays: '2016-12-25' }, 'holidays'],
      // A number fails the elements' date check as well.
      ['/api/sla/calendars', { ...calendar, holidays: 20161225 }, 'holidays'],
      ['/api/sla/policies', { ...policy, pauseStatuses: 'Pending' }, 'pauseStatuses'],
      ['/api/sla/policies', { ...policy, targets: 'P1 in 60 minutes' }, 'targets'],
    ] as const) {
      const response = await fetch(`${t.base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect([response.status, await response.json()], `${parameter}: ${JSON.stringify(body[parameter as keyof typeof body])}`).toEqual([
        400,
        { statusCode: 400, error: 'Bad Request', message: `${parameter}: must be an array`, parameters: [{ parameter, problems: ['must be an array'] }] },
      ]);
    }
  });

  // class-validator's own words had reached users: "targets must contain at least 1 elements",
  // "must be longer than or equal to 1 characters", "must be one of the following values: ...",
  // and a value of the wrong type was told every check of its parameter ("name: must be shorter
  // than or equal to 200 characters; must be a string" of 5).
  it("the DTOs' checks are told in the project's words, one problem each", async () => {
    const target = { priority: 1, responseMinutes: 10, resolutionMinutes: 60, calendarId: 1 };
    const policy = { name: 'worded', targets: [target], pauseStatuses: [], stopStatuses: [] };
    const calendar = { name: 'worded', timezone: 'UTC', kind: '24x7' };
    for (const [method, path, body, expected] of [
      // ArrayMinSize(1) and ArrayMaxSize(5) of targets: a policy has 1 to 5 (one per priority).
      ['POST', '/api/sla/policies', { ...policy, targets: [] }, 'targets: must hold at least 1 entry'],
      ['POST', '/api/sla/policies', { ...policy, targets: Array(6).fill(target) }, 'targets: must hold at most 5 entries'],
      // Entries 0 and 1 are no objects; entry 2 is a good target.
      ['POST', '/api/sla/policies', { ...policy, targets: ['x', 5, target] }, 'targets: [0] "x" and [1] 5 must each be a JSON object'],
      ['POST', '/api/sla/policies', { ...policy, targets: [{ ...target, colour: 'red' }] }, 'targets.0.colour: not taken by this endpoint'],
      // A number is no string, and is told only that, not also how long a name may be.
      ['POST', '/api/sla/policies', { ...policy, name: 5 }, 'name: must be a string'],
      ['POST', '/api/sla/policies', { ...policy, name: 'x'.repeat(201) }, 'name: must be at most 200 characters long'],
      // A list where the subset goes had been taken, as no subset at all.
      ['POST', '/api/sla/policies', { ...policy, appliesTo: [] }, 'appliesTo: must be a JSON object'],
      ['POST', '/api/sla/policies', { ...policy, appliesTo: { source: '' } }, 'appliesTo.source: must not be empty'],
      // Entry 0 is a number; entry 1 a good status.
      ['POST', '/api/sla/policies', { ...policy, pauseStatuses: [5, 'Pending'] }, 'pauseStatuses: [0] 5 must be a string'],
      ['POST', '/api/sla/policies', { ...policy, recompute: 'done' }, 'recompute: must be one of succeeded, pending, failed, skipped or unchanged'],
      ['POST', '/api/sla/policies', { ...policy, id: 1.5 }, 'id: must be a whole number'],
      // A JSON array is JSON, but no body any endpoint takes (its indices were "property 0 should not exist").
      ['POST', '/api/sla/policies', [policy], '(body): must be a JSON object'],
      ['POST', '/api/sla/calendars', { ...calendar, kind: 'monthly' }, 'kind: must be 24x7 or weekly'],
      ['GET', '/api/sla/compliance?from=2016-03-01&to=2016-04-01&groupBy=service', undefined, 'groupBy: must be one of priority, assignmentGroup or category'],
      ['GET', `/api/incidents/lookup?source=${'s'.repeat(201)}&externalId=e`, undefined, 'source: must be at most 200 characters long'],
    ] as const) {
      const response =
        body === undefined
          ? await fetch(`${t.base}${path}`)
          : await fetch(`${t.base}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const answer = (await response.json()) as { message?: unknown };
      expect([response.status, answer.message], `${method} ${path} ${JSON.stringify(body)?.slice(0, 100)}`).toEqual([400, expected]);
    }
    // An upload's source sent empty: MinLength(1) said "must be longer than or equal to 1 characters".
    const upload = new FormData();
    upload.append('source', '');
    upload.append('file', new Blob(['id,opened_at\n']), 'x.csv');
    const refused = await fetch(`${t.base}/api/imports`, { method: 'POST', body: upload });
    expect([refused.status, ((await refused.json()) as { message?: unknown }).message]).toEqual([400, 'source: must not be empty']);
  });

  // Nest answered body-parser's message alone, without naming the body or a parameter.
  it('a body that is not JSON is named, with where the parser stopped when it says', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';
    for (const [path, body, problem] of [
      // `{"name": "x" "kind": 1}`: the comma missing before the second key, at character 13.
      ['/api/sla/calendars', '{"name": "x" "kind": 1}', "not valid JSON: Expected ',' or '}' after property value in JSON at position 13"],
      // An iCalendar text sent as JSON; the parser quotes its first ten characters.
      ['/api/sla/calendars/1/holidays', ics, 'not valid JSON: Unexpected token \'B\', "BEGIN:VCAL"... is not valid JSON'],
    ] as const) {
      const response = await fetch(`${t.base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      expect([response.status, await response.json()], path).toEqual([
        400,
        { statusCode: 400, error: 'Bad Request', message: `(body): ${problem}`, parameters: [{ parameter: '(body)', problems: [problem] }] },
      ]);
    }
  });

  // JSON, but not an object: the parser (strict) refused it as not valid JSON, which it is.
  it.each([['null'], ['"text"'], ['1']])('a JSON body of %s is told it must be an object', async (body) => {
    const response = await fetch(`${t.base}/api/sla/calendars`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect([response.status, await response.json()]).toEqual([
      400,
      { statusCode: 400, error: 'Bad Request', message: '(body): must be a JSON object', parameters: [{ parameter: '(body)', problems: ['must be a JSON object'] }] },
    ]);
  });

  // Refused before any route runs, these were answered as a bare JSON string.
  it('a body over the limit, in a charset the parser cannot read, or a path that does not decode gets the error object', async () => {
    // The JSON parser's limit is 100 KB (body-parser's default): 200 000 characters are past it.
    const big = JSON.stringify({ name: 'x'.repeat(200_000) });
    const tooLarge = await fetch(`${t.base}/api/sla/calendars`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
    expect([tooLarge.status, await tooLarge.json()]).toEqual([413, { statusCode: 413, error: 'Payload Too Large', message: 'request entity too large' }]);
    const latin1 = await fetch(`${t.base}/api/sla/calendars`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=latin1' },
      body: '{}',
    });
    expect([latin1.status, await latin1.json()]).toEqual([415, { statusCode: 415, error: 'Unsupported Media Type', message: 'unsupported charset "LATIN1"' }]);
    const undecodable = await fetch(`${t.base}/api/incidents/x/%FF`);
    expect(undecodable.status).toBe(400);
    expect(await undecodable.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('%FF') });
  });

  // PostgreSQL's integer ends at 2 147 483 647; 9 999 999 999 overflowed it.
  // The global ValidationPipe turned '0x1' into 1 before IdPipe saw it.
  it.each([
    ['/api/imports/99999999999999999999/rejections', 'id'],
    ['/api/imports/0/rejections', 'id'],
    ['/api/imports/0x1/rejections', 'id'],
    ['/api/imports/1e0/rejections', 'id'],
    ['/api/imports/%201/rejections', 'id'],
    ['/api/imports/1.5/rejections', 'id'],
    ['/api/imports/00/rejections', 'id'],
  ])('an id that is not a whole number from 1 to 2147483647: %s', async (path, parameter) => {
    const { status, message } = await get(path);
    expect(status).toBe(400);
    expect(message).toContain(parameter);
  });

  it('an SLA calendar or policy id past the integer range, in the path or the body', async () => {
    const calendar = { name: '24x7', timezone: 'UTC', kind: '24x7', weekly: {} };
    expect((await send('PUT', '/api/sla/calendars/9999999999', calendar)).status).toBe(400);
    expect((await send('PUT', '/api/sla/calendars/0x1', calendar)).status).toBe(400);
    const policy = {
      name: 'p',
      targets: [{ priority: 1, responseMinutes: 10, resolutionMinutes: 60, calendarId: 9999999999 }],
    };
    const created = await send('POST', '/api/sla/policies', policy);
    expect(created.status).toBe(400);
    expect(created.message).toContain('calendarId');
    expect((await send('PUT', '/api/sla/policies/9999999999', policy)).status).toBe(400);
  });
});
