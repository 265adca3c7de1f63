import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breachedRecheckMs } from '../../../server/src/sla/sla.engine';
import { api, evaluation, insertIncident, refresh, SlaHarness, startHarness, weekdays } from './sla.fixture';

// Policies, calendars, holiday import, the watch list and agreement through the HTTP API on a
// real PostgreSQL. ORG_TIMEZONE is Europe/Berlin here, so the seeded calendars follow it.

let h: SlaHarness;

beforeAll(async () => {
  h = await startHarness({ ORG_TIMEZONE: 'Europe/Berlin' });
});

afterAll(async () => {
  await h?.close();
});

describe('GET /api/sla/policies and calendars', () => {
  it('ships the METRICS.md defaults, with the pausing statuses shown in the policy', async () => {
    const { status, body } = await api(h.base, '/sla/policies');
    expect(status).toBe(200);
    const policy = body.find((p: any) => p.id === 1);
    // A business day = 8 h on 09:00-17:00 = 480 min.
    expect(policy.targets).toEqual([
      { priority: 1, responseMinutes: 15, resolutionMinutes: 240, calendarId: 1 },
      { priority: 2, responseMinutes: 30, resolutionMinutes: 480, calendarId: 1 },
      { priority: 3, responseMinutes: 240, resolutionMinutes: 3 * 480, calendarId: 2 },
      { priority: 4, responseMinutes: 480, resolutionMinutes: 5 * 480, calendarId: 2 },
      { priority: 5, responseMinutes: 2 * 480, resolutionMinutes: 10 * 480, calendarId: 2 },
    ]);
    expect(policy.appliesTo).toEqual({});
    expect(policy.pauseStatuses).toEqual(expect.arrayContaining(['Awaiting User Info', 'Awaiting Vendor', 'Awaiting Evidence', 'Pending', 'On Hold']));
    expect(policy.pauseStatuses).not.toContain('Awaiting Problem');

    const calendars = await api(h.base, '/sla/calendars');
    const business = calendars.body.find((c: any) => c.id === 2);
    // The seeded calendars take the organisation zone from ORG_TIMEZONE.
    expect(business).toMatchObject({ kind: 'weekly', timezone: 'Europe/Berlin', holidays: [] });
    expect(business.weekly.mon).toEqual([['09:00', '17:00']]);
    expect(business.weekly.sat).toEqual([]);
  });

  it('answers one calendar by its id as the list shows it, 404 for no such calendar, 400 for no id', async () => {
    // The seeded business calendar, moved to ORG_TIMEZONE at start (version 1 -> 2).
    const nineToFive = [['09:00', '17:00']];
    const business = {
      id: 2,
      name: 'Business hours',
      timezone: 'Europe/Berlin',
      kind: 'weekly',
      weekly: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive, sat: [], sun: [] },
      version: 2,
      holidays: [],
    };
    expect(await api(h.base, '/sla/calendars/2')).toEqual({ status: 200, body: business });
    // The same as its entry in the list, holidays in date order.
    const created = await api(h.base, '/sla/calendars', {
      method: 'POST',
      body: JSON.stringify({ name: 'one by id', timezone: 'UTC', kind: '24x7', holidays: ['2026-12-25', '2026-12-24'] }),
    });
    const one = await api(h.base, `/sla/calendars/${created.body.id}`);
    expect(one.body).toMatchObject({ name: 'one by id', holidays: ['2026-12-24', '2026-12-25'] });
    const list = (await api(h.base, '/sla/calendars')).body;
    expect([one.body, (await api(h.base, '/sla/calendars/2')).body]).toEqual([list.find((c: any) => c.id === created.body.id), list.find((c: any) => c.id === 2)]);

    expect(await api(h.base, '/sla/calendars/999999')).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'SLA calendar 999999 does not exist' },
    });
    const notAnId = 'must be a whole number from 1 to 2147483647';
    // `1.0` and `01` are 1 (docs/metrics.md); a point followed by other digits is no whole number.
    for (const id of ['abc', '0x1', '0', '2147483648', '1.5']) {
      expect(await api(h.base, `/sla/calendars/${id}`), id).toEqual({
        status: 400,
        body: { statusCode: 400, error: 'Bad Request', message: `id: ${notAnId}`, parameters: [{ parameter: 'id', problems: [notAnId] }] },
      });
    }
    expect((await api(h.base, '/sla/calendars/2?full=1')).body.message).toBe('full: not taken by this endpoint');

    // In the OpenAPI document beside its siblings, with its integer id and its 404.
    const doc = (await api(h.base, '/docs-json')).body;
    const get = doc.paths['/api/sla/calendars/{id}'].get;
    expect(get.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 2147483647 } }]);
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['200', '404']));
    expect(get.tags).toEqual(['sla']);
  });

  it('answers 400 naming the bad parameter', async () => {
    const badZone = await api(h.base, '/sla/calendars', {
      method: 'POST',
      body: JSON.stringify({ name: 'bad', timezone: 'Mars/Olympus', kind: 'weekly', weekly: {} }),
    });
    expect(badZone.status).toBe(400);
    expect(badZone.body.message).toMatch(/^timezone: /);

    const backwards = await api(h.base, '/sla/calendars', {
      method: 'POST',
      body: JSON.stringify({ name: 'bad2', timezone: 'UTC', kind: 'weekly', weekly: { mon: [['17:00', '09:00']] } }),
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toMatch(/weekly.*mon.*ends before it starts/);

    // Each problem of the hours names its day after the parameter (it once read `weekly: .mon: ...`);
    // an interval that ends when it starts is told so, not that it ends before it starts.
    const hours: [unknown, string][] = [
      [{ mon: [['09:00', '09:00']] }, 'mon: interval 09:00-09:00 ends when it starts (an interval needs a length)'],
      [{ mon: [['09:00', '17:00']], wed: [['17:00', '09:00']] }, 'wed: interval 17:00-09:00 ends before it starts'],
      [{ tue: '09:00-17:00' }, 'tue: must be a list of ["HH:MM", "HH:MM"] pairs'],
      [{ fri: [['9am', '17:00']] }, 'fri: "9am" is not a time of day HH:MM'],
      [{ monday: [] }, 'has "monday", not a weekday mon..sun'],
    ];
    for (const [weekly, problem] of hours) {
      const refused = await api(h.base, '/sla/calendars', { method: 'POST', body: JSON.stringify({ name: 'hours', timezone: 'UTC', kind: 'weekly', weekly }) });
      expect([refused.status, refused.body.message, refused.body.parameters], problem).toEqual([400, `weekly: ${problem}`, [{ parameter: 'weekly', problems: [problem] }]]);
    }
    // A bad holiday is named by its index (from 0) and value; several are named together, up to five.
    const date = 'a date written YYYY-MM-DD, from 1900-01-01 to 2999-12-31';
    const holidays: [unknown[], string][] = [
      [['2026-12-25', '2026-02-30'], `[1] "2026-02-30" must be ${date}`],
      [['x', '2026-12-25', 5, '1899-12-31'], `[0] "x", [2] 5 and [3] "1899-12-31" must each be ${date}`],
      [['2026-12-25', ...Array.from({ length: 7 }, (_, i) => `2026-13-0${i + 1}`)], `[1] "2026-13-01", [2] "2026-13-02", [3] "2026-13-03", [4] "2026-13-04", [5] "2026-13-05" and 2 more must each be ${date}`],
    ];
    for (const [days, problem] of holidays) {
      const refused = await api(h.base, '/sla/calendars', { method: 'POST', body: JSON.stringify({ name: 'holidays', timezone: 'UTC', kind: '24x7', holidays: days }) });
      expect([refused.status, refused.body.message], problem).toEqual([400, `holidays: ${problem}`]);
    }

    // A weekly calendar with no working hours on any day: no target on it could fall due.
    for (const weekly of [{}, { mon: [], sun: [] }, undefined]) {
      const none = await api(h.base, '/sla/calendars', { method: 'POST', body: JSON.stringify({ name: 'no hours', timezone: 'UTC', kind: 'weekly', weekly }) });
      expect([none.status, none.body.message], JSON.stringify(weekly)).toEqual([
        400,
        'weekly: a weekly calendar needs working hours on at least one day (or kind 24x7)',
      ]);
    }

    // A name of spaces alone is empty; one with spaces around it is kept without them.
    const blank = await api(h.base, '/sla/calendars', { method: 'POST', body: JSON.stringify({ name: '   ', timezone: 'UTC', kind: '24x7', weekly: {} }) });
    expect([blank.status, blank.body.message]).toEqual([400, 'name: must not be empty']);
    const padded = await api(h.base, '/sla/calendars', { method: 'POST', body: JSON.stringify({ name: '  Office  ', timezone: 'UTC', kind: '24x7', weekly: {} }) });
    expect([padded.status, padded.body.name]).toEqual([201, 'Office']);
    // Nor may a calendar be changed into a weekly one without hours.
    const emptied = await api(h.base, `/sla/calendars/${padded.body.id}`, { method: 'PUT', body: JSON.stringify({ name: 'Office', timezone: 'UTC', kind: 'weekly', weekly: {} }) });
    expect([emptied.status, emptied.body.message]).toEqual([400, 'weekly: a weekly calendar needs working hours on at least one day (or kind 24x7)']);
    // A 24x7 calendar runs around the clock: hours sent with it were stored and never used.
    const hoursOn24x7 = 'working hours go with kind weekly only: a 24x7 calendar runs around the clock (send no hours, or kind weekly)';
    const withHours = { name: 'Office', timezone: 'UTC', kind: '24x7', weekly: { mon: [], tue: [['09:00', '17:00']] } };
    for (const [method, path] of [
      ['POST', '/sla/calendars'],
      ['PUT', `/sla/calendars/${padded.body.id}`],
    ]) {
      const refused = await api(h.base, path, { method, body: JSON.stringify({ ...withHours, name: `${method} hours` }) });
      expect([refused.status, refused.body], method).toEqual([
        400,
        { statusCode: 400, error: 'Bad Request', message: `weekly: ${hoursOn24x7}`, parameters: [{ parameter: 'weekly', problems: [hoursOn24x7] }] },
      ]);
    }
    // The PUT changed nothing; an empty week, or days without hours, says nothing and is taken.
    const office = (await api(h.base, '/sla/calendars')).body.find((c: any) => c.id === padded.body.id);
    expect(office).toMatchObject({ name: 'Office', kind: '24x7', weekly: {}, version: 1 });
    const emptyDays = await api(h.base, '/sla/calendars', { method: 'POST', body: JSON.stringify({ ...withHours, name: 'Empty days', weekly: { mon: [], sun: [] } }) });
    expect([emptyDays.status, emptyDays.body.kind]).toEqual([201, '24x7']);

    const badTarget = await api(h.base, '/sla/policies', {
      method: 'POST',
      body: JSON.stringify({
        name: 'bad',
        targets: [{ priority: 7, responseMinutes: 10, resolutionMinutes: 60, calendarId: 1 }],
        pauseStatuses: [],
        stopStatuses: [],
      }),
    });
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.message).toMatch(/targets\.0\.priority/);

    // Targets are whole minutes from 1 to a year (525 600): 1e20 stored clocks with no due
    // instant, and 2^31 or half a minute mean nothing either.
    for (const minutes of [0.5, 0, -5, 1e20, 2_147_483_648, 525_601, '60']) {
      const odd = await api(h.base, '/sla/policies', {
        method: 'POST',
        body: JSON.stringify({
          name: 'odd target',
          targets: [{ priority: 1, responseMinutes: 10, resolutionMinutes: minutes, calendarId: 1 }],
          pauseStatuses: [],
          stopStatuses: [],
        }),
      });
      expect(odd.status, String(minutes)).toBe(400);
      // Said once, whatever is wrong with it; a string is told it is one, as "60" reads as a number.
      const given = typeof minutes === 'string' ? ' (a JSON number, not the string "60")' : '';
      expect(odd.body.message, String(minutes)).toBe(`targets.0.resolutionMinutes: must be a whole number of minutes from 1 to 525600 (a year)${given}`);
    }

    // A calendar that does not exist is named with the target that names it, by its index: here
    // targets 1 and 2 (P2, P3); target 0 names calendar 1, which the migrations seed.
    const noCalendar = await api(h.base, '/sla/policies', {
      method: 'POST',
      body: JSON.stringify({
        name: 'bad3',
        targets: [
          { priority: 1, responseMinutes: 10, resolutionMinutes: 60, calendarId: 1 },
          { priority: 2, responseMinutes: 10, resolutionMinutes: 60, calendarId: 999 },
          { priority: 3, responseMinutes: 10, resolutionMinutes: 60, calendarId: 998 },
        ],
        pauseStatuses: [],
        stopStatuses: [],
      }),
    });
    expect([noCalendar.status, noCalendar.body.message]).toEqual([400, 'targets.1.calendarId: no calendar 999, targets.2.calendarId: no calendar 998']);

    // A priority given twice is named at the target that repeats it, with the first one: P2 is
    // targets 0 and 2, P1 targets 1 and 3; targets 0 and 1 give theirs first, so 2 and 3 are told.
    const repeated = await api(h.base, '/sla/policies', {
      method: 'POST',
      body: JSON.stringify({
        name: 'twice',
        targets: [2, 1, 2, 1].map((priority) => ({ priority, responseMinutes: 10, resolutionMinutes: 60, calendarId: 1 })),
        pauseStatuses: [],
        stopStatuses: [],
      }),
    });
    expect([repeated.status, repeated.body.message]).toEqual([
      400,
      'targets.2.priority: priority 2 is given by targets.0 already; each priority may appear once, ' +
        'targets.3.priority: priority 1 is given by targets.1 already; each priority may appear once',
    ]);

    // A calendar id sent as a string failed three checks (at most 2147483647, positive, an
    // integer); it is told one, with what it was sent as.
    const textId = await api(h.base, '/sla/policies', {
      method: 'POST',
      body: JSON.stringify({
        name: 'bad4',
        targets: [{ priority: 1, responseMinutes: 10, resolutionMinutes: 60, calendarId: '1' }],
        pauseStatuses: [],
        stopStatuses: [],
      }),
    });
    expect([textId.status, textId.body.message]).toEqual([
      400,
      'targets.0.calendarId: must be a whole number from 1 to 2147483647 (a JSON number, not the string "1")',
    ]);

    const badDate = await api(h.base, '/sla/compliance?from=2026-02-30&to=2026-03-01');
    expect(badDate.status).toBe(400);
    expect(badDate.body.message).toMatch(/^from: /);
    const badGroup = await api(h.base, '/sla/compliance?from=2026-02-01&to=2026-03-01&groupBy=color');
    expect(badGroup.status).toBe(400);
    expect(badGroup.body.message).toMatch(/^groupBy: /);
    const reversed = await api(h.base, '/sla/compliance?from=2026-03-01&to=2026-02-01');
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toMatch(/^to: /);
    expect((await api(h.base, '/sla/watch?priority=9')).status).toBe(400);
    expect((await api(h.base, '/sla/policies/12345', { method: 'PUT', body: JSON.stringify({ name: 'x', targets: [{ priority: 1, responseMinutes: 1, resolutionMinutes: 1, calendarId: 1 }], pauseStatuses: [], stopStatuses: [] }) })).status).toBe(404);
  });

  it('refuses a blank status, and a status both pausing and stopping, naming it', async () => {
    const target = [{ priority: 1, responseMinutes: 10, resolutionMinutes: 60, calendarId: 1 }];
    const send = (method: string, path: string, pauseStatuses: unknown[], stopStatuses: unknown[]) =>
      api(h.base, path, { method, body: JSON.stringify({ name: 'statuses', appliesTo: { source: 'statuses' }, targets: target, pauseStatuses, stopStatuses }) });
    const both = 'also in pauseStatuses: a status either pauses the clock or means restored or closed, not both';
    const cases: [unknown[], unknown[], string, string][] = [
      // Matched as the clocks match them: without the spaces around, case-insensitively.
      [['Pending'], ['Resolved', 'pending '], 'stopStatuses', `"pending" (as "Pending") is ${both}`],
      [['On Hold', 'Resolved'], ['Resolved', 'On Hold', 'Closed', 'RESOLVED'], 'stopStatuses', `"Resolved" and "On Hold" are ${both}`],
      // A blank status was dropped when stored: ["", "  "] was taken and stored as [].
      [[], ['', '  '], 'stopStatuses', '[0] "" and [1] "  " must each be a status name, not blank'],
      [['Pending', ' '], ['Resolved'], 'pauseStatuses', '[1] " " must be a status name, not blank'],
    ];
    const before = (await api(h.base, '/sla/policies')).body;
    for (const [pause, stop, parameter, problem] of cases) {
      for (const [method, path] of [
        ['POST', '/sla/policies'],
        ['PUT', '/sla/policies/1'],
      ]) {
        const refused = await send(method, path, pause, stop);
        expect([refused.status, refused.body.message, refused.body.parameters], `${method} ${problem}`).toEqual([400, `${parameter}: ${problem}`, [{ parameter, problems: [problem] }]]);
      }
    }
    // Nothing was stored or changed.
    expect((await api(h.base, '/sla/policies')).body).toEqual(before);
    // A status in one list only, spaces around it, is taken and stored without them.
    const taken = await send('POST', '/sla/policies', [' Pending '], ['Resolved']);
    expect([taken.status, taken.body.pauseStatuses, taken.body.stopStatuses]).toEqual([201, ['Pending'], ['Resolved']]);
  });
});

describe('changes recompute the figures they affect', () => {
  it('a policy change bumps its version and recomputes its evaluations and compliance', async () => {
    const created = await api(h.base, '/sla/policies', {
      method: 'POST',
      body: JSON.stringify({
        name: 'changing',
        appliesTo: { source: 'changing' },
        targets: [{ priority: 2, responseMinutes: 30, resolutionMinutes: 240, calendarId: 1 }],
        pauseStatuses: ['Pending'],
        stopStatuses: ['Resolved'],
      }),
    });
    expect(created.body.version).toBe(1);
    // 24x7, opened 10:00, restored 13:00 = 180 min <= 240: met.
    await insertIncident(h.client, {
      source: 'changing',
      externalId: 'CH',
      openedAt: '2026-06-01T10:00:00Z',
      acknowledgedAt: '2026-06-01T10:10:00Z',
      restoredAt: '2026-06-01T13:00:00Z',
      priority: 2,
    });
    await refresh(h.base);
    expect(await evaluation(h.client, 'CH', 'resolution')).toMatchObject({ policy_id: created.body.id, policy_version: 1, status: 'met' });
    const before = await api(h.base, '/sla/compliance?from=2026-06-01&to=2026-07-01&source=changing');
    expect(before.body.overall).toEqual({ met: 1, breached: 0, compliance: 1 });

    // Sent back unchanged (a Save with nothing edited, statuses in another order): the policy is
    // answered as it is, version 1, with nothing queued to recompute.
    const same = await api(h.base, `/sla/policies/${created.body.id}`, {
      method: 'PUT',
      body: JSON.stringify({ ...created.body, pauseStatuses: ['Pending'], stopStatuses: ['Resolved'] }),
    });
    expect([same.status, same.body.version, same.body.recompute]).toEqual([200, 1, 'unchanged']);
    expect((await h.client.query('select count(*)::int as n from sla_recompute')).rows[0].n).toBe(0);
    expect(await evaluation(h.client, 'CH', 'resolution')).toMatchObject({ policy_version: 1 });

    // Target cut to 120 min: 180 > 120, breached at 10:00 + 120 min = 12:00.
    const put = await api(h.base, `/sla/policies/${created.body.id}`, {
      method: 'PUT',
      body: JSON.stringify({ ...created.body, targets: [{ priority: 2, responseMinutes: 30, resolutionMinutes: 120, calendarId: 1 }] }),
    });
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(2);
    // Answered once the recompute it queued has run, and says so.
    expect(put.body.recompute).toBe('succeeded');
    expect(await evaluation(h.client, 'CH', 'resolution')).toMatchObject({
      policy_version: 2,
      target: 120,
      status: 'breached',
      breached_at: '2026-06-01T12:00:00.000Z',
    });
    // The recompute it queued is done, so later refreshes do not redo it.
    expect((await h.client.query('select count(*)::int as n from sla_recompute')).rows[0].n).toBe(0);
    const after = await api(h.base, '/sla/compliance?from=2026-06-01&to=2026-07-01&source=changing');
    expect(after.body.overall).toEqual({ met: 0, breached: 1, compliance: 0 });
  });

  it('a policy change that takes away a target drops its stopped clocks from the summary too', async () => {
    const created = await api(h.base, '/sla/policies', {
      method: 'POST',
      body: JSON.stringify({
        name: 'shrinking',
        appliesTo: { source: 'shrinking' },
        targets: [
          { priority: 1, responseMinutes: 15, resolutionMinutes: 60, calendarId: 1 },
          { priority: 3, responseMinutes: 60, resolutionMinutes: 480, calendarId: 1 },
        ],
        pauseStatuses: [],
        stopStatuses: [],
      }),
    });
    expect(created.status).toBe(201);
    // 24x7. P3 opened 10:00, acknowledged 10:20 (20 <= 60 min: response met), restored 12:00
    // (120 <= 480 min: resolution met).
    await insertIncident(h.client, {
      source: 'shrinking',
      externalId: 'SH',
      openedAt: '2026-06-03T10:00:00Z',
      acknowledgedAt: '2026-06-03T10:20:00Z',
      restoredAt: '2026-06-03T12:00:00Z',
      priority: 3,
    });
    await refresh(h.base);
    const summary = () => api(h.base, '/metrics/summary?from=2026-06-01&to=2026-07-01&source=shrinking');
    const before = (await summary()).body.sla;
    expect([before.resolution.met, before.resolution.breached, before.response.met]).toEqual([1, 0, 1]);

    // P3's target goes: the incident's priority has none left, so neither clock is evaluated
    // (the engine deletes both evaluations) and the June figures have no clock at all. The
    // incident itself did not change, so only the deletion can tell the rollups.
    const put = await api(h.base, `/sla/policies/${created.body.id}`, {
      method: 'PUT',
      body: JSON.stringify({ ...created.body, targets: [created.body.targets[0]] }),
    });
    expect(put.status).toBe(200);
    expect(await evaluation(h.client, 'SH', 'resolution')).toBeNull();
    const after = (await summary()).body.sla;
    expect(after.resolution).toEqual({ met: 0, breached: 0, compliance: null });
    expect(after.response).toEqual({ met: 0, breached: 0, compliance: null });
    // The same after a further scheduled refresh, which finds nothing left to absorb.
    await refresh(h.base);
    expect((await summary()).body.sla.resolution).toEqual({ met: 0, breached: 0, compliance: null });
  });

  it('a holiday imported from an iCalendar file recomputes the clocks on that calendar', async () => {
    const cal = await api(h.base, '/sla/calendars', {
      method: 'POST',
      body: JSON.stringify({ name: 'Office Berlin', timezone: 'Europe/Berlin', kind: 'weekly', weekly: weekdays('09:00', '17:00') }),
    });
    await api(h.base, '/sla/policies', {
      method: 'POST',
      body: JSON.stringify({
        name: 'holiday policy',
        appliesTo: { source: 'holiday' },
        targets: [{ priority: 3, responseMinutes: 60, resolutionMinutes: 240, calendarId: cal.body.id }],
        pauseStatuses: [],
        stopStatuses: ['Resolved'],
      }),
    });
    // Thu 24 Dec 2026 16:00 +01:00 (15:00 UTC) to Mon 28 Dec 10:00 +01:00 (09:00 UTC).
    await insertIncident(h.client, {
      source: 'holiday',
      externalId: 'HOL',
      openedAt: '2026-12-24T15:00:00Z',
      acknowledgedAt: '2026-12-24T15:30:00Z',
      restoredAt: '2026-12-28T09:00:00Z',
      priority: 3,
    });
    // HOL2, on the same calendar, never meets 25 Dec: Tue 1 Dec 10:00-11:00 +01:00, 60 min, met.
    await insertIncident(h.client, {
      source: 'holiday',
      externalId: 'HOL2',
      openedAt: '2026-12-01T09:00:00Z',
      acknowledgedAt: '2026-12-01T09:10:00Z',
      restoredAt: '2026-12-01T10:00:00Z',
      priority: 3,
    });
    await refresh(h.base);
    const computedAt = async () =>
      (await h.client.query(`select computed_at from sla_evaluation where external_id = 'HOL2' and kind = 'resolution'`))
        .rows[0].computed_at.getTime();
    const hol2Before = await computedAt();
    // Without holidays: Thu 16-17 (60) + Fri 25 09-17 (480) + Mon 09-10 (60) = 600 > 240;
    // breached when 240 ran out: 60 Thursday + 180 Friday -> Fri 12:00 +01:00 = 11:00 UTC.
    expect(await evaluation(h.client, 'HOL', 'resolution')).toMatchObject({
      elapsed: 600,
      status: 'breached',
      breached_at: '2026-12-25T11:00:00.000Z',
    });

    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VEVENT',
      'UID:xmas',
      'DTSTART;VALUE=DATE:20261225',
      'DTEND;VALUE=DATE:20261226',
      'SUMMARY:Christmas Day',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const imported = await api(h.base, `/sla/calendars/${cal.body.id}/holidays`, {
      method: 'POST',
      headers: { 'content-type': 'text/calendar' },
      body: ics,
    });
    expect(imported.status).toBe(200);
    expect(imported.body.imported).toEqual([{ day: '2026-12-25', name: 'Christmas Day' }]);
    expect(imported.body.skipped).toEqual([]);
    expect(imported.body.calendar.holidays).toEqual(['2026-12-25']);
    // With 25 Dec off: 60 Thursday + 60 Monday = 120 <= 240, met; due Mon 10:00 + 120 min =
    // 12:00 +01:00 = 11:00 UTC.
    expect(await evaluation(h.client, 'HOL', 'resolution')).toMatchObject({
      elapsed: 120,
      status: 'met',
      breached_at: null,
      due_at: '2026-12-28T11:00:00.000Z',
    });

    // HOL2 was recomputed with the rest but its values did not change: its row was not rewritten.
    expect(await evaluation(h.client, 'HOL2', 'resolution')).toMatchObject({ elapsed: 60, status: 'met' });
    expect(await computedAt()).toBe(hol2Before);

    // The same file as a multipart upload imports nothing new and changes nothing.
    const form = new FormData();
    form.append('file', new Blob([ics], { type: 'text/calendar' }), 'holidays.ics');
    const multipart = await fetch(`${h.base}/sla/calendars/${cal.body.id}/holidays`, { method: 'POST', body: form });
    expect(multipart.status).toBe(200);
    const again = (await multipart.json()) as any;
    expect(again.calendar.holidays).toEqual(['2026-12-25']);
    // Nothing new: the calendar keeps its version and nothing is recomputed.
    expect([again.recompute, again.calendar.version]).toEqual(['unchanged', imported.body.calendar.version]);
    expect(imported.body.recompute).toBe('succeeded');

    const notIcs = await api(h.base, `/sla/calendars/${cal.body.id}/holidays`, {
      method: 'POST',
      headers: { 'content-type': 'text/calendar' },
      body: 'not a calendar',
    });
    expect(notIcs.status).toBe(400);
    expect(notIcs.body).toMatchObject({ error: 'Bad Request', parameters: [{ parameter: 'file' }] });
    expect(notIcs.body.message).toMatch(/^file: not an iCalendar file/);
    // Multipart parts the endpoint does not take are named, as the imports' are.
    const twice = new FormData();
    twice.append('file', new Blob([ics], { type: 'text/calendar' }), 'a.ics');
    twice.append('file', new Blob([ics], { type: 'text/calendar' }), 'b.ics');
    const other = new FormData();
    other.append('ics', new Blob([ics], { type: 'text/calendar' }), 'a.ics');
    // The file as a text field (`-F file=hello`): it was read as no file sent at all.
    const asText = new FormData();
    asText.append('file', ics);
    // A text field beside the file (the import upload takes a timezone; this does not): it was
    // ignored without a word.
    const withField = new FormData();
    withField.append('file', new Blob([ics], { type: 'text/calendar' }), 'a.ics');
    withField.append('timezone', 'Europe/Berlin');
    for (const [body, message] of [
      [twice, 'file: given more than once'],
      [other, 'ics: not taken by this endpoint'],
      [asText, 'file: must be a file part, not a text field'],
      [withField, 'timezone: not taken by this endpoint'],
    ] as const) {
      const refused = await fetch(`${h.base}/sla/calendars/${cal.body.id}/holidays`, { method: 'POST', body });
      expect([refused.status, ((await refused.json()) as { message: string }).message]).toEqual([400, message]);
    }
    const unknown = await api(h.base, '/sla/calendars/999999/holidays', {
      method: 'POST',
      headers: { 'content-type': 'text/calendar' },
      body: ics,
    });
    expect(unknown.status).toBe(404);
  });

  it('a calendar sent back unchanged keeps its version and recomputes nothing; a change bumps it', async () => {
    const body = { name: 'unchanged', timezone: 'Europe/Berlin', kind: 'weekly', weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']] }, holidays: ['2026-12-25', '2026-12-24'] };
    const created = await api(h.base, '/sla/calendars', { method: 'POST', body: JSON.stringify(body) });
    expect(created.body.version).toBe(1);
    const put = (changes: object) =>
      api(h.base, `/sla/calendars/${created.body.id}`, { method: 'PUT', body: JSON.stringify({ ...body, ...changes }) });
    // The same calendar: days in another order, the zone in another case, a day off written as
    // an empty list, holidays in another order or not given at all.
    for (const same of [
      {},
      { timezone: 'europe/berlin', holidays: ['2026-12-24', '2026-12-25'] },
      { weekly: { tue: [['09:00', '17:00']], mon: [['09:00', '17:00']], sun: [] } },
      // Monday's hours written otherwise: in two touching parts, in another order; Tuesday's
      // in two overlapping ones. Both still 09:00-17:00.
      { weekly: { mon: [['12:00', '17:00'], ['09:00', '12:00']], tue: [['09:00', '13:00'], ['10:00', '17:00']] } },
      { holidays: undefined },
    ]) {
      const answer = await put(same);
      expect([answer.status, answer.body.version, answer.body.recompute], JSON.stringify(same)).toEqual([200, 1, 'unchanged']);
    }
    // Another zone, then Monday an hour shorter, then one holiday fewer: a new version each.
    const moved = await put({ timezone: 'Europe/Paris' });
    expect([moved.status, moved.body.version, moved.body.timezone]).toEqual([200, 2, 'Europe/Paris']);
    expect(moved.body.recompute).not.toBe('unchanged');
    const shorter = { timezone: 'Europe/Paris', weekly: { mon: [['09:00', '16:00']], tue: [['09:00', '17:00']] } };
    expect((await put(shorter)).body.version).toBe(3);
    expect((await put({ ...shorter, holidays: ['2026-12-25'] })).body.version).toBe(4);
  });

  it('an incident edit rewrites only the clocks it changes', async () => {
    // The default policy (id 1) governs source 'edits'. P3: response 240 min and resolution
    // 3 x 480 min on business hours (Europe/Berlin, 09-17 on weekdays).
    // Opened Tue 3 Nov 2026 09:00 UTC (10:00 +01:00), acknowledged 09:10, restored 10:00: response
    // 10 min and resolution 60 min, both met.
    await insertIncident(h.client, {
      source: 'edits',
      externalId: 'EDIT',
      openedAt: '2026-11-03T09:00:00Z',
      acknowledgedAt: '2026-11-03T09:10:00Z',
      restoredAt: '2026-11-03T10:00:00Z',
      priority: 3,
    });
    await refresh(h.base);
    const clocks = async () =>
      Object.fromEntries(
        (
          await h.client.query(
            `select kind, computed_at, stopped_at, incident_version from sla_evaluation where source_id = (select id from source where name = 'edits') and external_id = 'EDIT'`,
          )
        ).rows.map((r) => [r.kind, r]),
      );
    const before = await clocks();
    expect(before.response.stopped_at.toISOString()).toBe('2026-11-03T09:10:00.000Z');
    expect(before.resolution.stopped_at.toISOString()).toBe('2026-11-03T10:00:00.000Z');

    // The restoration moves an hour later, in a new version: the resolution clock stops at 11:00
    // (120 min, still met) and is rewritten; the response clock still stops at 09:10 and is not.
    await h.client.query(
      `update incident set restored_at = '2026-11-03T11:00:00Z', version = nextval('incident_version_seq') where external_id = 'EDIT'`,
    );
    await refresh(h.base);
    const after = await clocks();
    expect(after.resolution.stopped_at.toISOString()).toBe('2026-11-03T11:00:00.000Z');
    expect(after.resolution.computed_at.getTime()).toBeGreaterThan(before.resolution.computed_at.getTime());
    expect(after.resolution.incident_version).not.toBe(before.resolution.incident_version);
    expect(after.response.computed_at.getTime()).toBe(before.response.computed_at.getTime());
    expect(after.response.incident_version).toBe(before.response.incident_version);
  });

  it('places a timed holiday on its date in the calendar zone', async () => {
    const create = (name: string, timezone: string) =>
      api(h.base, '/sla/calendars', { method: 'POST', body: JSON.stringify({ name, timezone, kind: '24x7', weekly: {} }) });
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:eve\r\nDTSTART:20261224T230000Z\r\nSUMMARY:Christmas Day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    const holidays = async (id: number) =>
      (await api(h.base, `/sla/calendars/${id}/holidays`, { method: 'POST', headers: { 'content-type': 'text/calendar' }, body: ics })).body.calendar.holidays;
    // 2026-12-24T23:00Z is 25 Dec 00:00 in Berlin (+01:00) and 24 Dec 18:00 in New York (-05:00).
    expect(await holidays((await create('timed Berlin', 'Europe/Berlin')).body.id)).toEqual(['2026-12-25']);
    expect(await holidays((await create('timed New York', 'America/New_York')).body.id)).toEqual(['2026-12-24']);
  });
});

describe('GET /api/sla/watch', () => {
  it('lists open clocks at risk (>= 75 %) and breached, and follows the clock at each refresh', async () => {
    // Default policy, 24x7: P1 240 min, P2 480 min. Evaluated at 2026-07-01 12:00 UTC.
    h.engine.now = () => Date.parse('2026-07-01T12:00:00Z');
    const opened = { source: 'watch', acknowledgedAt: null };
    // W1: P1 opened 07:00, 300 min used > 240: breached at 11:00.
    await insertIncident(h.client, { ...opened, externalId: 'W1', openedAt: '2026-07-01T07:00:00Z', priority: 1, assignmentGroup: 'net' });
    // W2: P2 opened 05:00, 420 of 480 = 87.5 % >= 75 %: at risk, projected breach 13:00 UTC.
    await insertIncident(h.client, { ...opened, externalId: 'W2', openedAt: '2026-07-01T05:00:00Z', priority: 2, assignmentGroup: 'db' });
    // W3: P2 opened 11:00, acknowledged 11:10 (10 <= 30, met); 60 of 480 = 12.5 %: not listed.
    await insertIncident(h.client, {
      ...opened,
      externalId: 'W3',
      openedAt: '2026-07-01T11:00:00Z',
      acknowledgedAt: '2026-07-01T11:10:00Z',
      priority: 2,
    });
    await refresh(h.base);

    const { body } = await api(h.base, '/sla/watch?source=watch');
    expect(body.refreshedAt).not.toBeNull();
    const resolution = (rows: any[]) => rows.filter((r) => r.kind === 'resolution');
    expect(resolution(body.breached)).toEqual([
      {
        source: 'watch',
        externalId: 'W1',
        priority: 1,
        assignmentGroup: 'net',
        kind: 'resolution',
        targetMinutes: 240,
        elapsedMinutes: 300,
        usedShare: 1.25, // 300 / 240
        dueAt: '2026-07-01T13:00:00.000+02:00', // 11:00 UTC in the org zone (CEST)
        projectedBreachAt: null,
        breachedAt: '2026-07-01T13:00:00.000+02:00',
      },
    ]);
    expect(resolution(body.atRisk)).toEqual([
      expect.objectContaining({
        externalId: 'W2',
        elapsedMinutes: 420,
        usedShare: 0.875, // 420 / 480
        projectedBreachAt: '2026-07-01T15:00:00.000+02:00', // 05:00 + 480 min = 13:00 UTC
        breachedAt: null,
      }),
    ]);
    // Response clocks of W1 and W2 (never acknowledged) are past 15 / 30 min: breached.
    const responses = body.breached.filter((r: any) => r.kind === 'response');
    expect(responses.map((r: any) => r.externalId).sort()).toEqual(['W1', 'W2']);
    // Breached: W1's two clocks and W2's response = 3; at risk: W2's resolution = 1.
    expect([body.breachedTotal, body.atRiskTotal]).toEqual([3, 1]);
    const filtered = await api(h.base, '/sla/watch?source=watch&assignmentGroup=db');
    expect(resolution(filtered.body.breached)).toEqual([]);

    // Two hours later W2 (on the watch, so read every refresh) has used 540 > 480: breached at
    // 13:00 UTC. W1, breached, is read again 10 min after its last look: 07:00 -> 14:00 = 420 min.
    // W3 (60 of 480 at 12:00) is not read again before it can reach 75 % = 360 min, at 17:00.
    h.engine.now = () => Date.parse('2026-07-01T14:00:00Z');
    await refresh(h.base);
    expect(await evaluation(h.client, 'W2', 'resolution')).toMatchObject({
      elapsed: 540,
      status: 'breached',
      breached_at: '2026-07-01T13:00:00.000Z',
      stopped_at: null,
    });
    expect(await evaluation(h.client, 'W1', 'resolution')).toMatchObject({ elapsed: 420, status: 'breached' });
    expect(await evaluation(h.client, 'W3', 'resolution')).toMatchObject({ elapsed: 60, status: 'running' });

    // At 17:30 W3 has used 11:00 -> 17:30 = 390 of 480 = 81.25 %: at risk, due 19:00 UTC.
    h.engine.now = () => Date.parse('2026-07-01T17:30:00Z');
    await refresh(h.base);
    const later = await api(h.base, '/sla/watch?source=watch');
    expect(resolution(later.body.atRisk)).toEqual([
      expect.objectContaining({ externalId: 'W3', elapsedMinutes: 390, usedShare: 390 / 480, projectedBreachAt: '2026-07-01T21:00:00.000+02:00' }),
    ]);
    expect(resolution(later.body.breached).map((r: any) => r.externalId)).toEqual(['W1', 'W2']);
  });

  it('lists the same id of two sources as two rows, each naming its source', async () => {
    // Default policy, 24x7: P1 response 15 min, resolution 240 min. Evaluated at 12:00 UTC.
    h.engine.now = () => Date.parse('2026-07-01T12:00:00Z');
    // TWIN-1 in twin-a and in twin-b, both P1 opened 07:00, never acknowledged nor restored:
    // 300 min used of 240 (resolution, due 11:00 UTC) and of 15 (response, due 07:15 UTC).
    const twin = { externalId: 'TWIN-1', openedAt: '2026-07-01T07:00:00Z', acknowledgedAt: null, priority: 1, assignmentGroup: 'twins' };
    await insertIncident(h.client, { ...twin, source: 'twin-a' });
    await insertIncident(h.client, { ...twin, source: 'twin-b' });
    await refresh(h.base);

    // No source filter: the group alone picks out the twins.
    const { status, body } = await api(h.base, '/sla/watch?assignmentGroup=twins');
    expect(status).toBe(200);
    const row = (source: string, kind: string, dueAt: string) => ({
      source,
      externalId: 'TWIN-1',
      priority: 1,
      assignmentGroup: 'twins',
      kind,
      targetMinutes: kind === 'response' ? 15 : 240,
      elapsedMinutes: 300, // 07:00 -> 12:00
      usedShare: kind === 'response' ? 20 : 1.25, // 300 / 15, 300 / 240
      dueAt,
      projectedBreachAt: null,
      breachedAt: dueAt,
    });
    // Soonest due first, then by source name: 07:15 UTC (09:15 CEST) twice, then 11:00 (13:00 CEST).
    expect(body.breached).toEqual([
      row('twin-a', 'response', '2026-07-01T09:15:00.000+02:00'),
      row('twin-b', 'response', '2026-07-01T09:15:00.000+02:00'),
      row('twin-a', 'resolution', '2026-07-01T13:00:00.000+02:00'),
      row('twin-b', 'resolution', '2026-07-01T13:00:00.000+02:00'),
    ]);
    expect([body.breachedTotal, body.atRisk, body.atRiskTotal]).toEqual([4, [], 0]);
  });
});

describe('GET /api/sla/watch, past its cut', () => {
  it('lists the first 500 of each list and says how many there are', async () => {
    // 501 P1 incidents opened 2026-06-01 and never acknowledged nor restored, evaluated a month
    // later: each has two breached clocks (response 15 min, resolution 240 min on the 24x7
    // calendar), 501 x 2 = 1 002 breached, none at risk. The list shows the first 500.
    h.engine.now = () => Date.parse('2026-07-01T12:00:00Z');
    await insertIncident(h.client, { source: 'watchcap', externalId: 'CAP-1', openedAt: '2026-06-01T00:00:00Z', acknowledgedAt: null, priority: 1 });
    await h.client.query(
      `insert into incident (source_id, external_id, opened_at, priority, content_hash)
       select source_id, 'CAP-' || n, opened_at, priority, content_hash
         from incident, generate_series(2, 501) n where external_id = 'CAP-1'`,
    );
    await refresh(h.base);
    const { body } = await api(h.base, '/sla/watch?source=watchcap');
    expect([body.breached.length, body.breachedTotal, body.atRisk.length, body.atRiskTotal]).toEqual([500, 1002, 0, 0]);
  });
});

describe('open breached clocks', () => {
  it('are read again less often the longer ago they breached', async () => {
    // Default policy, 24x7: P1 resolution 240 min. First evaluated at 2026-07-01 12:00 UTC.
    h.engine.now = () => Date.parse('2026-07-01T12:00:00Z');
    const p1 = { source: 'aging', priority: 1, acknowledgedAt: null };
    // NEW breached 07-01 11:00, an hour before: read every 10 minutes.
    await insertIncident(h.client, { ...p1, externalId: 'NEW', openedAt: '2026-07-01T07:00:00Z' });
    // DAY breached 06-29 16:00, 1 day 20 h before: read hourly.
    await insertIncident(h.client, { ...p1, externalId: 'DAY', openedAt: '2026-06-29T12:00:00Z' });
    // OLD breached 06-20 04:00, 11 days 8 h before: read every 6 hours.
    await insertIncident(h.client, { ...p1, externalId: 'OLD', openedAt: '2026-06-20T00:00:00Z' });
    await refresh(h.base);
    const elapsed = async (id: string) => Number((await evaluation(h.client, id, 'resolution')).elapsed);
    // 07:00 -> 12:00 = 300 min; 06-29 12:00 -> 07-01 12:00 = 48 h = 2 880 min;
    // 06-20 00:00 -> 07-01 12:00 = 11 days 12 h = 276 h = 16 560 min.
    expect([await elapsed('NEW'), await elapsed('DAY'), await elapsed('OLD')]).toEqual([300, 2880, 16_560]);

    // 12:30: only NEW is due (12:10): 07:00 -> 12:30 = 330 min.
    h.engine.now = () => Date.parse('2026-07-01T12:30:00Z');
    await refresh(h.base);
    expect([await elapsed('NEW'), await elapsed('DAY'), await elapsed('OLD')]).toEqual([330, 2880, 16_560]);
    // 13:05: DAY is due too (13:00): 06-29 12:00 -> 07-01 13:05 = 49 h 5 min = 2 945 min.
    h.engine.now = () => Date.parse('2026-07-01T13:05:00Z');
    await refresh(h.base);
    expect([await elapsed('NEW'), await elapsed('DAY'), await elapsed('OLD')]).toEqual([365, 2945, 16_560]);
    // 18:00: OLD is due (18:00): 06-20 00:00 -> 07-01 18:00 = 282 h = 16 920 min.
    h.engine.now = () => Date.parse('2026-07-01T18:00:00Z');
    await refresh(h.base);
    expect(await elapsed('OLD')).toBe(16_920);
  });

  it('wait 10 minutes in their first day past the target, an hour in their first week, then 6 hours', () => {
    const minutes = (ms: number) => ms / 60_000;
    const hours = 60 * 60_000;
    expect(minutes(breachedRecheckMs(0))).toBe(10);
    expect(minutes(breachedRecheckMs(24 * hours - 1))).toBe(10);
    expect(minutes(breachedRecheckMs(24 * hours))).toBe(60);
    expect(minutes(breachedRecheckMs(7 * 24 * hours - 1))).toBe(60);
    expect(minutes(breachedRecheckMs(7 * 24 * hours))).toBe(360);
    expect(minutes(breachedRecheckMs(400 * 24 * hours))).toBe(360);
  });
});

describe('GET /api/sla/agreement', () => {
  it('compares our resolution verdict with the source made_sla', async () => {
    // Default P1 24x7 240 min. A: 60 min, met, source true (agree). B: 300 min, breached, source
    // true (disagree). C: 300 min breached, source false (agree). D: no source verdict (not counted).
    const base = { source: 'agree', priority: 1, openedAt: '2026-08-03T08:00:00Z', acknowledgedAt: '2026-08-03T08:05:00Z' };
    await insertIncident(h.client, { ...base, externalId: 'A', restoredAt: '2026-08-03T09:00:00Z', sourceSlaMet: true });
    await insertIncident(h.client, { ...base, externalId: 'B', restoredAt: '2026-08-03T13:00:00Z', sourceSlaMet: true });
    await insertIncident(h.client, { ...base, externalId: 'C', restoredAt: '2026-08-03T13:00:00Z', sourceSlaMet: false });
    await insertIncident(h.client, { ...base, externalId: 'D', restoredAt: '2026-08-03T09:00:00Z' });
    await refresh(h.base);
    const { body } = await api(h.base, '/sla/agreement?from=2026-08-01&to=2026-09-01&source=agree');
    // n = 3; agree = A, C = 2; rate 2/3; ours met 1/3; source met 2/3.
    expect(body).toEqual({ n: 3, agree: 2, disagree: 1, agreementRate: 2 / 3, ourCompliance: 1 / 3, sourceCompliance: 2 / 3 });
    // An empty filter is no filter, as on the metrics endpoints: A-D have no category or group,
    // which `category=` had matched as '' (none of them), answering n = 0.
    const emptyFilters = await api(h.base, '/sla/agreement?from=2026-08-01&to=2026-09-01&source=agree&category=&assignmentGroup=');
    expect(emptyFilters.body).toEqual(body);

    const byPriority = await api(h.base, '/sla/compliance?from=2026-08-01&to=2026-09-01&source=agree&groupBy=priority&interval=week');
    // 2026-08-01 is a Saturday: ISO weeks start Mon 27 Jul, 3 Aug, ... 31 Aug. D counts too: met A, D; breached B, C.
    expect(byPriority.body.buckets).toEqual(['2026-07-27', '2026-08-03', '2026-08-10', '2026-08-17', '2026-08-24', '2026-08-31']);
    expect(byPriority.body.totals).toEqual([{ key: '1', met: 2, breached: 2, compliance: 0.5 }]);
  });

  it('groups compliance by assignment group and category, missing values as "(none)", largest first', async () => {
    // Default P1 24x7 240 min, all restored in March 2026: net A 60 met, net B 300 breached,
    // net C 60 met, no group D 60 met. By group: net 2 met 1 breached (3), (none) 1 met.
    const base = { source: 'groups', priority: 1, openedAt: '2026-03-03T08:00:00Z', acknowledgedAt: '2026-03-03T08:05:00Z' };
    await insertIncident(h.client, { ...base, externalId: 'GA', restoredAt: '2026-03-03T09:00:00Z', assignmentGroup: 'net', category: 'network' });
    await insertIncident(h.client, { ...base, externalId: 'GB', restoredAt: '2026-03-03T13:00:00Z', assignmentGroup: 'net' });
    await insertIncident(h.client, { ...base, externalId: 'GC', restoredAt: '2026-03-03T09:00:00Z', assignmentGroup: 'net', category: 'network' });
    await insertIncident(h.client, { ...base, externalId: 'GD', restoredAt: '2026-03-03T09:00:00Z', category: 'storage' });
    await refresh(h.base);
    const byGroup = await api(h.base, '/sla/compliance?from=2026-03-01&to=2026-04-01&source=groups&groupBy=assignmentGroup&interval=month');
    expect(byGroup.body.totals).toEqual([
      { key: 'net', met: 2, breached: 1, compliance: 2 / 3 },
      { key: '(none)', met: 1, breached: 0, compliance: 1 },
    ]);
    // By category: network 2 met; (none) (GB) 1 breached; storage 1 met. Ties by size, then name.
    const byCategory = await api(h.base, '/sla/compliance?from=2026-03-01&to=2026-04-01&source=groups&groupBy=category&interval=month');
    expect(byCategory.body.totals).toEqual([
      { key: 'network', met: 2, breached: 0, compliance: 1 },
      { key: '(none)', met: 0, breached: 1, compliance: 0 },
      { key: 'storage', met: 1, breached: 0, compliance: 1 },
    ]);
    // Response clocks: 5 min each, all met (P1 15 min).
    const response = await api(h.base, '/sla/compliance?from=2026-03-01&to=2026-04-01&source=groups&kind=response&interval=month');
    expect(response.body.overall).toEqual({ met: 4, breached: 0, compliance: 1 });
    // Empty filters are no filters: the same four clocks, 3 met and 1 breached (GB).
    const empty = await api(h.base, '/sla/compliance?from=2026-03-01&to=2026-04-01&source=groups&category=&assignmentGroup=&interval=month');
    expect(empty.body.overall).toEqual({ met: 3, breached: 1, compliance: 3 / 4 });
  });
});
