import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../../server/src/sla/sla.calendar';
import { ClockEvent, evaluateClock, timelinesFromEvents } from '../../../server/src/sla/sla.clock';

const at = (iso: string) => Date.parse(iso);

const CAL_24X7 = 1;
const CAL_OFFICE = 2;
const calendars = new Map([
  [CAL_24X7, new WorkCalendar({ timezone: 'UTC', kind: '24x7', weekly: {}, holidays: [] })],
  [
    CAL_OFFICE,
    new WorkCalendar({
      timezone: 'UTC',
      kind: 'weekly',
      weekly: {
        mon: [['09:00', '17:00']],
        tue: [['09:00', '17:00']],
        wed: [['09:00', '17:00']],
        thu: [['09:00', '17:00']],
        fri: [['09:00', '17:00']],
      },
      holidays: [],
    }),
  ],
]);

// Resolution targets in minutes: P1 4 h and P2 8 h on 24x7, P3 4 h on office hours (case 3).
const targets: Record<number, { minutes: number; calendarId: number }> = {
  1: { minutes: 240, calendarId: CAL_24X7 },
  2: { minutes: 480, calendarId: CAL_24X7 },
  3: { minutes: 240, calendarId: CAL_OFFICE },
};

function evaluate(opened: string, stop: string | null, priority: number, events: ClockEvent[], now = stop ?? opened) {
  const openedAt = at(opened);
  return evaluateClock({
    openedAt,
    stopAt: stop === null ? null : at(stop),
    now: at(now),
    ...timelinesFromEvents(openedAt, priority, events),
    pauseStatuses: new Set(['pending', 'awaiting user info']),
    stopStatuses: new Set(['resolved', 'closed']),
    targetFor: (p) => targets[p],
    calendar: (id) => calendars.get(id)!,
  });
}

const status = (iso: string, from: string, to: string): ClockEvent => ({ at: at(iso), kind: 'status', from, to });
const priority = (iso: string, from: string, to: string): ClockEvent => ({ at: at(iso), kind: 'priority', from, to });

describe('evaluateClock', () => {
  it('case 3: pending from Friday 16:30 to Monday 10:00 holds 1.5 business hours, not 65.5 wall hours', () => {
    // Fri 2026-03-06 16:00 opened; Mon-Fri 09:00-17:00 UTC; 4 h target.
    const events = [
      status('2026-03-06T16:30:00Z', 'New', 'Pending'),
      status('2026-03-09T10:00:00Z', 'Pending', 'Active'),
      status('2026-03-09T11:00:00Z', 'Active', 'Resolved'),
    ];
    const result = evaluate('2026-03-06T16:00:00Z', '2026-03-09T11:00:00Z', 3, events);
    // Elapsed: Fri 16:00-16:30 = 30 min + Mon 10:00-11:00 = 60 min = 90 min (1.5 h).
    expect(result.elapsedMinutes).toBe(90);
    // Paused: Fri 16:30-17:00 = 30 min + Mon 09:00-10:00 = 60 min = 90 min (the weekend has no hours).
    expect(result.pausedMinutes).toBe(90);
    // Due: 240 - 90 = 150 min left at Mon 11:00 -> 13:30. Met: 90 <= 240.
    expect(result.dueAt).toBe(at('2026-03-09T13:30:00Z'));
    expect(result.status).toBe('met');
    expect(result.breachedAt).toBeNull();

    // The same incident seen open on Monday 10:30: 30 + 30 = 60 min used, due 10:30 + 180 min = 13:30.
    const open = evaluate('2026-03-06T16:00:00Z', null, 3, events.slice(0, 2), '2026-03-09T10:30:00Z');
    expect(open).toMatchObject({ elapsedMinutes: 60, pausedMinutes: 90, status: 'running' });
    expect(open.dueAt).toBe(at('2026-03-09T13:30:00Z'));
    // 75 % of 240 = 180 min; 120 more from 10:30 -> at risk from 12:30.
    expect(open.atRiskAt).toBe(at('2026-03-09T12:30:00Z'));
  });

  it('case 4: the days between a restoration and the reopen count for nothing (paused)', () => {
    // P2, 8 h on 24x7. Opened Mon 09:00, resolved 11:00, closed Tue 11:00, reopened Wed 11:00,
    // resolved again Wed 12:00 (the last restoration, where the clock stops).
    const events = [
      status('2026-03-09T11:00:00Z', 'Active', 'Resolved'),
      status('2026-03-10T11:00:00Z', 'Resolved', 'Closed'),
      status('2026-03-11T11:00:00Z', 'Closed', 'Active'),
      status('2026-03-11T12:00:00Z', 'Active', 'Resolved'),
    ];
    const result = evaluate('2026-03-09T09:00:00Z', '2026-03-11T12:00:00Z', 2, events);
    // Elapsed: 09:00-11:00 Mon = 2 h, plus 11:00-12:00 Wed = 1 h -> 3 h = 180 min (not 51 h).
    // Paused: Mon 11:00 -> Wed 11:00 in Resolved/Closed = 48 h = 2880 min.
    expect(result).toMatchObject({ elapsedMinutes: 180, pausedMinutes: 2880, status: 'met', breachedAt: null });
    // Due: 480 - 180 = 300 min after Wed 12:00 = Wed 17:00.
    expect(result.dueAt).toBe(at('2026-03-11T17:00:00Z'));
  });

  it('a priority change applies the new target from that instant and keeps the time used', () => {
    // Opened P2 (8 h) at 00:00; raised to P1 (4 h) at 03:00 with 3 h used; restored 05:00.
    // Elapsed 5 h = 300 min > 240: breached when the 4th hour ran out, 04:00.
    const raised = evaluate('2026-03-09T00:00:00Z', '2026-03-09T05:00:00Z', 1, [
      priority('2026-03-09T03:00:00Z', '2', '1'),
    ]);
    expect(raised).toMatchObject({ priority: 1, targetMinutes: 240, elapsedMinutes: 300, status: 'breached' });
    expect(raised.breachedAt).toBe(at('2026-03-09T04:00:00Z'));
    expect(raised.dueAt).toBe(at('2026-03-09T04:00:00Z'));

    // Raised at 05:00 with 5 h already used: 300 > 240 at the instant the new target applies.
    const late = evaluate('2026-03-09T00:00:00Z', '2026-03-09T06:00:00Z', 1, [priority('2026-03-09T05:00:00Z', '2', '1')]);
    expect(late.breachedAt).toBe(at('2026-03-09T05:00:00Z'));

    // Lowered from P1 to P2 at 05:00 (breached at 04:00 under P1), restored 06:00: 360 <= 480 met.
    const lowered = evaluate('2026-03-09T00:00:00Z', '2026-03-09T06:00:00Z', 2, [
      priority('2026-03-09T05:00:00Z', '1', '2'),
    ]);
    expect(lowered).toMatchObject({ targetMinutes: 480, elapsedMinutes: 360, status: 'met', breachedAt: null });
  });

  it('a priority change keeps the paused time and moves to the new calendar', () => {
    // Opened P3 (office hours, 4 h) Mon 2026-03-09 09:00; pending 10:00-12:00 (2 h paused);
    // raised to P1 (24x7, 4 h) at 13:00 with 1 h + 1 h = 2 h used; restored 15:00.
    const result = evaluate('2026-03-09T09:00:00Z', '2026-03-09T15:00:00Z', 1, [
      status('2026-03-09T10:00:00Z', 'Active', 'Pending'),
      status('2026-03-09T12:00:00Z', 'Pending', 'Active'),
      priority('2026-03-09T13:00:00Z', '3', '1'),
    ]);
    // Elapsed 09-10 (1 h) + 12-13 (1 h) + 13-15 (2 h, 24x7) = 4 h = 240 <= 240: met, exactly.
    expect(result).toMatchObject({ elapsedMinutes: 240, pausedMinutes: 120, status: 'met', calendarId: CAL_24X7 });
    expect(result.dueAt).toBe(at('2026-03-09T15:00:00Z'));
  });

  it('an open incident past its target is breached; one in a pausing status is paused', () => {
    // P1 4 h from 09:00, seen at 14:00: 300 min used > 240, breached at 13:00.
    const late = evaluate('2026-03-09T09:00:00Z', null, 1, [], '2026-03-09T14:00:00Z');
    expect(late).toMatchObject({ elapsedMinutes: 300, status: 'breached' });
    expect(late.breachedAt).toBe(at('2026-03-09T13:00:00Z'));
    // P1 from 09:00, pending since 10:00, seen at 11:00: 60 used, 60 paused; if it resumed now
    // the 180 left would run out at 14:00.
    const waiting = evaluate('2026-03-09T09:00:00Z', null, 1, [status('2026-03-09T10:00:00Z', 'Active', 'Awaiting User Info')], '2026-03-09T11:00:00Z');
    expect(waiting).toMatchObject({ elapsedMinutes: 60, pausedMinutes: 60, status: 'paused', breachedAt: null });
    expect(waiting.dueAt).toBe(at('2026-03-09T14:00:00Z'));
  });

  it('stopping exactly at the target is met (elapsed <= target)', () => {
    // P1 from 09:00, restored 13:00: 240 = 240.
    expect(evaluate('2026-03-09T09:00:00Z', '2026-03-09T13:00:00Z', 1, []).status).toBe('met');
    // One minute later: 241 > 240, breached at 13:00.
    const over = evaluate('2026-03-09T09:00:00Z', '2026-03-09T13:01:00Z', 1, []);
    expect(over.status).toBe('breached');
    expect(over.breachedAt).toBe(at('2026-03-09T13:00:00Z'));
  });
});
