import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localIso } from '../../../server/src/sla/sla-report.service';
import {
  api,
  elevenP1Evaluations,
  evaluation,
  everyDay,
  insertElevenP1,
  insertIncident,
  refresh,
  SlaHarness,
  startHarness,
  weekdays,
} from './sla.fixture';

// The cases of issue 3, through the refresher (POST /api/refresh) and the HTTP API on a real
// PostgreSQL. Default policy (sql/030): P1 15 min / 240 min and P2 30 / 480 on 24x7; P3 240 /
// 1440, P4 480 / 2400, P5 960 / 4800 on Mon-Fri 09:00-17:00; ORG_TIMEZONE is UTC here.

let h: SlaHarness;

beforeAll(async () => {
  h = await startHarness({ ORG_TIMEZONE: 'UTC' });
});

afterAll(async () => {
  await h?.close();
});

/** A calendar and a policy applying to one source only, so each case has its own rules. */
async function policyFor(
  source: string,
  calendar: { timezone: string; kind: '24x7' | 'weekly'; weekly?: object; holidays?: string[] },
  targets: { priority: number; responseMinutes: number; resolutionMinutes: number }[],
): Promise<{ policyId: number; calendarId: number }> {
  const cal = await api(h.base, '/sla/calendars', { method: 'POST', body: JSON.stringify({ name: `cal ${source}`, ...calendar }) });
  expect(cal.status).toBe(201);
  const policy = await api(h.base, '/sla/policies', {
    method: 'POST',
    body: JSON.stringify({
      name: `policy ${source}`,
      appliesTo: { source },
      targets: targets.map((t) => ({ ...t, calendarId: cal.body.id })),
      pauseStatuses: ['Pending', 'Awaiting User Info'],
      stopStatuses: ['Resolved', 'Closed'],
    }),
  });
  expect(policy.status).toBe(201);
  return { policyId: policy.body.id, calendarId: cal.body.id };
}

describe('issue 3 cases through the refresher', () => {
  it('1: Sao Paulo 08:00-20:00, 4 h from Sat 3 Nov 2018 19:00 over the spring-forward: due 11:00 local, 13:00 UTC', async () => {
    await policyFor('case1', { timezone: 'America/Sao_Paulo', kind: 'weekly', weekly: everyDay('08:00', '20:00') }, [
      { priority: 3, responseMinutes: 60, resolutionMinutes: 240 },
    ]);
    // Opened Sat 19:00 -03:00 = 22:00 UTC; still open when evaluated on Sun 4 Nov 09:00 -02:00
    // (11:00 UTC): used 19:00-20:00 Sat (60) + 08:00-09:00 Sun (60) = 120 of 240 min.
    await insertIncident(h.client, { source: 'case1', externalId: 'C1', openedAt: '2018-11-03T22:00:00Z', priority: 3 });
    h.engine.now = () => Date.parse('2018-11-04T11:00:00Z');
    await refresh(h.base);

    const row = await evaluation(h.client, 'C1', 'resolution');
    // Remaining 120 min from Sun 09:00 -> 11:00 -02:00 = 13:00 UTC; 1 h Saturday + 3 h Sunday.
    expect(row).toMatchObject({ target: 240, elapsed: 120, paused: 0, status: 'running', stopped_at: null });
    expect(row!.due_at).toBe('2018-11-04T13:00:00.000Z');
    expect(row!.timezone).toBe('America/Sao_Paulo');
    expect(localIso(row!.due_at, row!.timezone)).toBe('2018-11-04T11:00:00.000-02:00');
  });

  it('2: a 24x7 calendar entered as 00:00-23:59: 60 min from 23:30 is due 00:30, not 00:31', async () => {
    await policyFor('case2', { timezone: 'UTC', kind: 'weekly', weekly: everyDay('00:00', '23:59') }, [
      { priority: 1, responseMinutes: 60, resolutionMinutes: 60 },
    ]);
    // Opened 23:30, restored 00:30:30: 30 + 30.5 = 60.5 min > 60, breached at 00:30 exactly.
    await insertIncident(h.client, {
      source: 'case2',
      externalId: 'C2',
      openedAt: '2026-03-10T23:30:00Z',
      acknowledgedAt: '2026-03-11T00:30:00Z',
      restoredAt: '2026-03-11T00:30:30Z',
      priority: 1,
    });
    await refresh(h.base);
    const resolution = await evaluation(h.client, 'C2', 'resolution');
    expect(resolution).toMatchObject({ elapsed: 60.5, status: 'breached', due_at: '2026-03-11T00:30:00.000Z' });
    expect(resolution!.breached_at).toBe('2026-03-11T00:30:00.000Z');
    // Acknowledged at 00:30: exactly 60 min, met (elapsed <= target).
    expect(await evaluation(h.client, 'C2', 'response')).toMatchObject({ elapsed: 60, status: 'met' });
  });

  it('3: Friday pending over the weekend holds 1.5 business hours; due Mon 13:30, met at Mon 11:00', async () => {
    await policyFor('case3', { timezone: 'UTC', kind: 'weekly', weekly: weekdays('09:00', '17:00') }, [
      { priority: 3, responseMinutes: 240, resolutionMinutes: 240 },
    ]);
    await insertIncident(h.client, {
      source: 'case3',
      externalId: 'C3',
      openedAt: '2026-03-06T16:00:00Z', // Friday
      acknowledgedAt: '2026-03-06T16:10:00Z',
      restoredAt: '2026-03-09T11:00:00Z', // Monday
      priority: 3,
      events: [
        ['2026-03-06T16:30:00Z', 'status', 'New', 'Pending'],
        ['2026-03-09T10:00:00Z', 'status', 'Pending', 'Active'],
        ['2026-03-09T11:00:00Z', 'status', 'Active', 'Resolved'],
      ],
    });
    await refresh(h.base);
    // Elapsed Fri 16:00-16:30 (30) + Mon 10:00-11:00 (60) = 90 min; paused Fri 16:30-17:00 (30)
    // + Mon 09:00-10:00 (60) = 90 min; 240 - 90 = 150 min left at Mon 11:00 -> due 13:30.
    expect(await evaluation(h.client, 'C3', 'resolution')).toMatchObject({
      target: 240,
      elapsed: 90,
      paused: 90,
      status: 'met',
      stopped_at: '2026-03-09T11:00:00.000Z',
      due_at: '2026-03-09T13:30:00.000Z',
      breached_at: null,
    });
  });

  it('4: restored, closed, reopened two days later and restored again: the closed days count for nothing', async () => {
    // Default policy, P2: 480 min on 24x7.
    await insertIncident(h.client, {
      source: 'case4',
      externalId: 'C4',
      openedAt: '2026-03-09T09:00:00Z',
      acknowledgedAt: '2026-03-09T09:20:00Z',
      restoredAt: '2026-03-11T12:00:00Z', // the last restoration
      priority: 2,
      events: [
        ['2026-03-09T11:00:00Z', 'status', 'Active', 'Resolved'],
        ['2026-03-10T11:00:00Z', 'status', 'Resolved', 'Closed'],
        ['2026-03-11T11:00:00Z', 'status', 'Closed', 'Active'],
        ['2026-03-11T12:00:00Z', 'status', 'Active', 'Resolved'],
      ],
    });
    await refresh(h.base);
    // Elapsed Mon 09:00-11:00 (120) + Wed 11:00-12:00 (60) = 180 <= 480, met; the 48 h in
    // Resolved/Closed are paused (2880 min). Without the rule it would be 51 h, breached.
    expect(await evaluation(h.client, 'C4', 'resolution')).toMatchObject({
      policy_id: 1,
      target: 480,
      elapsed: 180,
      paused: 2880,
      status: 'met',
      stopped_at: '2026-03-11T12:00:00.000Z',
    });
    // Response: 20 min > 15 for P2? No: P2 response is 30 min; 20 <= 30, met.
    expect(await evaluation(h.client, 'C4', 'response')).toMatchObject({ target: 30, elapsed: 20, status: 'met' });
  });

  it('5: no incidents in a window: counts are 0, compliance and agreement rates null, nothing throws', async () => {
    const compliance = await api(h.base, '/sla/compliance?from=2031-01-01&to=2031-02-01&tz=Europe/Berlin');
    expect(compliance.status).toBe(200);
    // 31 days <= 62: daily buckets, 31 of them, no series; the overall figure over zero is null.
    expect(compliance.body.interval).toBe('day');
    expect(compliance.body.buckets).toHaveLength(31);
    expect(compliance.body.series).toEqual([]);
    expect(compliance.body.overall).toEqual({ met: 0, breached: 0, compliance: null });
    const agreement = await api(h.base, '/sla/agreement?from=2031-01-01&to=2031-02-01');
    // No verdicts: 0 agree and 0 disagree; every share of 0 verdicts is null.
    expect(agreement.body).toEqual({ n: 0, agree: 0, disagree: 0, agreementRate: null, ourCompliance: null, sourceCompliance: null });
  });

  it('6: a restoration before the opening is left out of compliance and counted as a gap', async () => {
    await insertIncident(h.client, {
      source: 'case6',
      externalId: 'C6',
      openedAt: '2026-05-10T12:00:00Z',
      restoredAt: '2026-05-10T10:00:00Z', // two hours before it was opened
      priority: 1,
    });
    await insertIncident(h.client, {
      source: 'case6',
      externalId: 'C6-ok',
      openedAt: '2026-05-10T12:00:00Z',
      acknowledgedAt: '2026-05-10T12:05:00Z',
      restoredAt: '2026-05-10T13:00:00Z', // 60 <= 240, met
      priority: 1,
    });
    await refresh(h.base);
    expect(await evaluation(h.client, 'C6', 'resolution')).toBeNull();
    expect(await evaluation(h.client, 'C6', 'response')).toBeNull(); // no ack, its stop is the bad restoration
    const { body } = await api(h.base, '/sla/compliance?from=2026-05-01&to=2026-06-01&source=case6&interval=month');
    // Only C6-ok counts: 1 met, 0 breached -> 1.0; the bad one is the 1 excluded gap.
    expect(body.overall).toEqual({ met: 1, breached: 0, compliance: 1 });
    expect(body.excluded).toEqual({ stopBeforeOpened: 1 });
  });

  it('7: restored 00:30 on 1 November in Berlin (23:30 UTC 31 October) counts in November for Berlin, October for UTC', async () => {
    await insertIncident(h.client, {
      source: 'case7',
      externalId: 'C7',
      openedAt: '2018-10-31T23:00:00Z',
      acknowledgedAt: '2018-10-31T23:05:00Z',
      restoredAt: '2018-10-31T23:30:00Z', // P1 24x7: 30 <= 240, met
      priority: 1,
    });
    await refresh(h.base);
    const berlin = await api(h.base, '/sla/compliance?from=2018-10-01&to=2018-12-01&tz=Europe/Berlin&interval=month&source=case7');
    // 23:30 UTC + 1 h (CET after 28 Oct) = 00:30 on 1 Nov local.
    expect(berlin.body.buckets).toEqual(['2018-10-01', '2018-11-01']);
    expect(berlin.body.series).toEqual([{ key: '1', met: [0, 1], breached: [0, 0], compliance: [null, 1] }]);
    const utc = await api(h.base, '/sla/compliance?from=2018-10-01&to=2018-12-01&tz=UTC&interval=month&source=case7');
    expect(utc.body.series).toEqual([{ key: '1', met: [1, 0], breached: [0, 0], compliance: [1, null] }]);
  });
});

describe('more clock rules through the refresher', () => {
  it('a priority change mid-life applies the new target from that instant and keeps the time used', async () => {
    // Default policy: P2 480 -> P1 240 on 24x7 at 03:00 with 180 used; restored 05:00 = 300 min
    // > 240, breached when the 240th minute ran out at 04:00.
    await insertIncident(h.client, {
      source: 'prio',
      externalId: 'P-UP',
      openedAt: '2026-03-09T00:00:00Z',
      acknowledgedAt: '2026-03-09T00:10:00Z',
      restoredAt: '2026-03-09T05:00:00Z',
      priority: 1,
      events: [['2026-03-09T03:00:00Z', 'priority', '2', '1']],
    });
    await refresh(h.base);
    expect(await evaluation(h.client, 'P-UP', 'resolution')).toMatchObject({
      priority: 1,
      target: 240,
      elapsed: 300,
      status: 'breached',
      breached_at: '2026-03-09T04:00:00.000Z',
    });
    // Response stopped at 00:10, before the change: P2's 30 min applied; 10 <= 30, met.
    expect(await evaluation(h.client, 'P-UP', 'response')).toMatchObject({ priority: 2, target: 30, status: 'met' });
  });

  it('the 25-hour fall-back day adds no working hour outside the calendar; a whole-day calendar counts all 25', async () => {
    await policyFor('fallback', { timezone: 'Europe/Berlin', kind: 'weekly', weekly: everyDay('08:00', '20:00') }, [
      { priority: 3, responseMinutes: 60, resolutionMinutes: 1440 },
    ]);
    // Sat 27 Oct 2018 20:00 +02:00 (18:00 UTC) to Mon 29 Oct 08:00 +01:00 (07:00 UTC): the only
    // working time is Sunday 08:00-20:00 = 720 min, though Sunday lasts 25 hours.
    await insertIncident(h.client, {
      source: 'fallback',
      externalId: 'FB',
      openedAt: '2018-10-27T18:00:00Z',
      acknowledgedAt: '2018-10-27T18:00:00Z',
      restoredAt: '2018-10-29T07:00:00Z',
      priority: 3,
    });
    await policyFor('wholeday', { timezone: 'Europe/Berlin', kind: 'weekly', weekly: everyDay('00:00', '24:00') }, [
      { priority: 3, responseMinutes: 60, resolutionMinutes: 1440 },
    ]);
    // Sun 28 Oct 00:00 +02:00 (27 Oct 22:00 UTC) to Mon 00:00 +01:00 (28 Oct 23:00 UTC) = 25 h = 1500 min.
    await insertIncident(h.client, {
      source: 'wholeday',
      externalId: 'WD',
      openedAt: '2018-10-27T22:00:00Z',
      acknowledgedAt: '2018-10-27T22:00:00Z',
      restoredAt: '2018-10-28T23:00:00Z',
      priority: 3,
    });
    await refresh(h.base);
    expect(await evaluation(h.client, 'FB', 'resolution')).toMatchObject({ elapsed: 720, status: 'met' });
    // 1500 > 1440: breached when the 1440th minute ran out, 24 h after 22:00 UTC = 28 Oct 22:00 UTC.
    expect(await evaluation(h.client, 'WD', 'resolution')).toMatchObject({
      elapsed: 1500,
      status: 'breached',
      breached_at: '2018-10-28T22:00:00.000Z',
    });
  });

  it('several working intervals per day', async () => {
    await policyFor(
      'split',
      { timezone: 'UTC', kind: 'weekly', weekly: { wed: [['08:00', '12:00'], ['13:00', '17:00']] } },
      [{ priority: 4, responseMinutes: 60, resolutionMinutes: 300 }],
    );
    // Wed 2026-03-11 10:00 -> 15:00: 10-12 (120) + 13-15 (120) = 240 min; lunch not counted.
    // Due: 60 min left at 15:00 -> 16:00.
    await insertIncident(h.client, {
      source: 'split',
      externalId: 'SP',
      openedAt: '2026-03-11T10:00:00Z',
      acknowledgedAt: '2026-03-11T10:30:00Z',
      restoredAt: '2026-03-11T15:00:00Z',
      priority: 4,
    });
    await refresh(h.base);
    expect(await evaluation(h.client, 'SP', 'resolution')).toMatchObject({
      elapsed: 240,
      status: 'met',
      due_at: '2026-03-11T16:00:00.000Z',
    });
  });

  it('a record closed without a restoration time stops at its closure instead of running for ever', async () => {
    // Default P1, 24x7, 240 min: opened 08:00, closed 10:00 with no restored_at, no ack:
    // both clocks stop at 10:00; resolution 120 <= 240 met; response 120 > 15, breached at 08:15.
    await insertIncident(h.client, { source: 'closed', externalId: 'CL', openedAt: '2026-04-02T08:00:00Z', priority: 1 });
    await h.client.query(`update incident set closed_at = '2026-04-02T10:00:00Z', status = 'Closed' where external_id = 'CL'`);
    await refresh(h.base);
    expect(await evaluation(h.client, 'CL', 'resolution')).toMatchObject({
      elapsed: 120,
      status: 'met',
      stopped_at: '2026-04-02T10:00:00.000Z',
    });
    expect(await evaluation(h.client, 'CL', 'response')).toMatchObject({
      elapsed: 120,
      status: 'breached',
      breached_at: '2026-04-02T08:15:00.000Z',
    });
  });

  it('evaluates every incident once when pages are small and written two at a time', async () => {
    // Eleven P1 incidents (insertElevenP1); pages of two: six pages, two in flight.
    await insertElevenP1(h.client, 'paged', 'PG');
    h.engine.pageSize = 2;
    try {
      await refresh(h.base);
    } finally {
      h.engine.pageSize = 5_000;
    }
    const { rows } = await h.client.query(
      `select e.external_id, e.kind, e.elapsed_minutes::float8 as elapsed, e.status
         from sla_evaluation e join source s on s.id = e.source_id where s.name = 'paged'
        order by length(e.external_id), e.external_id, e.kind`,
    );
    expect(rows).toEqual(elevenP1Evaluations('PG'));
  });

  it('leaves out clocks with times an import would refuse, and the refresh still succeeds', async () => {
    // What a database written before imports refused times outside 1900-2999 may hold. An open P5
    // opened Thursday 30 December 9999: its resolution target of 4 800 business minutes (ten days
    // of 8 hours, Mon-Fri) ends in January 10000, which PostgreSQL cannot store. A P1 opened and
    // restored in year 25. Beside them a P1 on 24x7 opened 08:00,
    // acknowledged 08:05 (5 <= 15 min: met) and restored 09:00 (60 <= 240 min: met).
    await insertIncident(h.client, { source: 'old-db', externalId: 'Y9999', openedAt: '9999-12-30T08:00:00Z', priority: 5 });
    await insertIncident(h.client, {
      source: 'old-db',
      externalId: 'Y0025',
      openedAt: '0025-01-01T08:00:00Z',
      restoredAt: '0025-01-01T09:00:00Z',
      priority: 1,
    });
    await insertIncident(h.client, {
      source: 'old-db',
      externalId: 'Y2026',
      openedAt: '2026-06-01T08:00:00Z',
      acknowledgedAt: '2026-06-01T08:05:00Z',
      restoredAt: '2026-06-01T09:00:00Z',
      priority: 1,
    });

    await refresh(h.base);

    for (const kind of ['response', 'resolution'] as const) {
      expect(await evaluation(h.client, 'Y9999', kind)).toBeNull();
      expect(await evaluation(h.client, 'Y0025', kind)).toBeNull();
    }
    expect(await evaluation(h.client, 'Y2026', 'response')).toMatchObject({ elapsed: 5, status: 'met' });
    expect(await evaluation(h.client, 'Y2026', 'resolution')).toMatchObject({ elapsed: 60, status: 'met' });
  });

  it('a changed incident (new version) is re-evaluated at the next refresh', async () => {
    // P1 on 24x7 opened 08:00; first import open, then restored at 09:00 (60 <= 240, met).
    await insertIncident(h.client, { source: 'versioned', externalId: 'V1', openedAt: '2026-04-01T08:00:00Z', priority: 1 });
    h.engine.now = () => Date.parse('2026-04-01T08:30:00Z');
    await refresh(h.base);
    expect(await evaluation(h.client, 'V1', 'resolution')).toMatchObject({ elapsed: 30, status: 'running' });
    await h.client.query(
      `update incident set restored_at = '2026-04-01T09:00:00Z', version = nextval('incident_version_seq') where external_id = 'V1'`,
    );
    await refresh(h.base);
    expect(await evaluation(h.client, 'V1', 'resolution')).toMatchObject({
      elapsed: 60,
      status: 'met',
      stopped_at: '2026-04-01T09:00:00.000Z',
    });
  });
});
