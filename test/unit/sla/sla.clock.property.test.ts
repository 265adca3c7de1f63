import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../../server/src/sla/sla.calendar';
import { ClockEvent, evaluateClock, timelinesFromEvents } from '../../../server/src/sla/sla.clock';

// The clock against a minute-by-minute reference: on a UTC calendar, walk every minute from the
// opening to the stop, apply the changes due at that minute, and add the minute to paused or
// elapsed time when it is working time. Events fall on whole minutes, so both must agree exactly.

const MINUTE = 60_000;
const OPENED = Date.parse('2026-03-02T00:00:00Z'); // a Monday
const OFFICE = new WorkCalendar({
  timezone: 'UTC',
  kind: 'weekly',
  weekly: { mon: [['09:00', '12:00'], ['13:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
  holidays: ['2026-03-04'],
});
const ALWAYS = new WorkCalendar({ timezone: 'UTC', kind: '24x7', weekly: {}, holidays: [] });
// P1 on 24x7, P2 and P3 on office hours; targets in minutes.
const TARGETS: Record<number, { minutes: number; calendarId: number }> = {
  1: { minutes: 240, calendarId: 1 },
  2: { minutes: 600, calendarId: 2 },
  3: { minutes: 1200, calendarId: 2 },
};
const PAUSE = new Set(['pending']);
const STOP = new Set(['resolved', 'closed']);

function isWorking(calendarId: number, minute: number): boolean {
  if (calendarId === 1) return true;
  const at = new Date(OPENED + minute * MINUTE);
  const day = at.getUTCDay();
  const m = at.getUTCHours() * 60 + at.getUTCMinutes();
  if (day === 0 || day === 6 || at.toISOString().startsWith('2026-03-04')) return false;
  if (day === 1) return (m >= 540 && m < 720) || (m >= 780 && m < 1020);
  return m >= 540 && m < 1020;
}

const eventArb = fc.record({
  minute: fc.integer({ min: 1, max: 7 * 1440 }),
  kind: fc.constantFrom('status', 'priority'),
  status: fc.constantFrom('Active', 'Pending', 'Resolved', 'Closed'),
  priority: fc.integer({ min: 1, max: 3 }),
});

describe('evaluateClock against a minute-by-minute reference', () => {
  it('agrees on elapsed, paused, status and target', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(eventArb, { maxLength: 8 }),
        fc.option(fc.integer({ min: 0, max: 8 * 1440 }), { nil: null }),
        fc.integer({ min: 0, max: 8 * 1440 }),
        (initialPriority, raw, stopMinute, nowMinute) => {
          const sorted = [...raw].sort((a, b) => a.minute - b.minute);
          let status = 'New';
          let priority = initialPriority;
          const events: ClockEvent[] = sorted.map((e) => {
            if (e.kind === 'status') {
              const event = { at: OPENED + e.minute * MINUTE, kind: 'status', from: status, to: e.status };
              status = e.status;
              return event;
            }
            const event = { at: OPENED + e.minute * MINUTE, kind: 'priority', from: String(priority), to: String(e.priority) };
            priority = e.priority;
            return event;
          });

          const result = evaluateClock({
            openedAt: OPENED,
            stopAt: stopMinute === null ? null : OPENED + stopMinute * MINUTE,
            now: OPENED + nowMinute * MINUTE,
            ...timelinesFromEvents(OPENED, initialPriority, events),
            pauseStatuses: PAUSE,
            stopStatuses: STOP,
            targetFor: (p) => TARGETS[p],
            calendar: (id) => (id === 1 ? ALWAYS : OFFICE),
          });

          // Reference: changes take effect at their minute; a change at the stop itself is after it.
          const end = stopMinute ?? nowMinute;
          let refStatus = 'New';
          let refPriority = initialPriority;
          let elapsed = 0;
          let paused = 0;
          for (let m = 0; m < end; m++) {
            for (const e of sorted.filter((x) => x.minute === m)) {
              if (e.kind === 'status') refStatus = e.status;
              else refPriority = e.priority;
            }
            if (!isWorking(TARGETS[refPriority].calendarId, m)) continue;
            // METRICS.md: restored or closed time counts as paused only before a reopen (a later
            // move to an open status before the end); a clock not stopped yet waits for closure.
            const reopenLater = sorted.some(
              (x) => x.kind === 'status' && x.minute > m && x.minute < end && !STOP.has(x.status.toLowerCase()),
            );
            const restoredPauses = reopenLater || stopMinute === null;
            if (PAUSE.has(refStatus.toLowerCase()) || (restoredPauses && STOP.has(refStatus.toLowerCase()))) paused++;
            else elapsed++;
          }
          const target = TARGETS[refPriority].minutes;
          const inPause = PAUSE.has(refStatus.toLowerCase()) || STOP.has(refStatus.toLowerCase());
          const expected =
            elapsed > target ? 'breached' : stopMinute !== null ? 'met' : inPause ? 'paused' : 'running';

          expect(result.elapsedMinutes).toBe(elapsed);
          expect(result.pausedMinutes).toBe(paused);
          expect(result.targetMinutes).toBe(target);
          expect(result.status).toBe(expected);
          if (expected === 'breached') expect(result.breachedAt).not.toBeNull();
          else expect(result.breachedAt).toBeNull();
        },
      ),
      { numRuns: 400, seed: 20261204 },
    );
  });
});
