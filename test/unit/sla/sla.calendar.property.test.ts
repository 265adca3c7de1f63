import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WEEKDAYS, WorkCalendar } from '../../../server/src/sla/sla.calendar';

// Zones with DST jumps of an hour (Sao Paulo, Berlin, New York), of 30 minutes (Lord Howe), odd
// offsets (Kathmandu +05:45, Chatham +12:45/+13:45) and none (UTC).
const ZONES = ['America/Sao_Paulo', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'UTC'];
const HOUR = 3_600_000;

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Up to two intervals per day on a 15-minute grid, some days off. */
const dayArb = fc
  .array(
    fc.tuple(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 96 })).map(([a, b]) => {
      const start = Math.min(a, b - 1) * 15;
      const end = Math.max(a + 1, b) * 15;
      return [hhmm(start), end === 1440 ? '24:00' : hhmm(end)] as [string, string];
    }),
    { maxLength: 2 },
  );

const calendarArb = fc.record({
  timezone: fc.constantFrom(...ZONES),
  days: fc.tuple(...WEEKDAYS.map(() => dayArb)),
  holidayOffsets: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 4 }),
});

describe('WorkCalendar properties', () => {
  it('addWorking and workingMs are inverse, and the due instant is the first one that uses the amount', () => {
    fc.assert(
      fc.property(
        calendarArb,
        fc.integer({ min: Date.parse('2018-01-01T00:00:00Z'), max: Date.parse('2026-12-01T00:00:00Z') }),
        fc.integer({ min: 1, max: 100 * 60 }),
        ({ timezone, days, holidayOffsets }, from, minutes) => {
          const weekly = Object.fromEntries(WEEKDAYS.map((d, i) => [d, days[i]]));
          const holidays = holidayOffsets.map((o) => new Date(from + o * 86_400_000).toISOString().slice(0, 10));
          const calendar = new WorkCalendar({ timezone, kind: 'weekly', weekly, holidays });
          const amount = minutes * 60_000;
          const due = calendar.addWorking(from, amount);
          if (due === null) return; // no working time at all in the walk
          // Exactly the amount between the start and the due instant ...
          expect(calendar.workingMs(from, due)).toBe(amount);
          // ... and a millisecond earlier it was not yet used up.
          expect(calendar.workingMs(from, due - 1)).toBe(amount - 1);
          // Working time is additive over any split point.
          const mid = from + Math.floor((due - from) / 2);
          expect(calendar.workingMs(from, mid) + calendar.workingMs(mid, due)).toBe(amount);
        },
      ),
      { numRuns: 300, seed: 20261204 },
    );
  });

  it('a whole-day calendar counts exactly the real hours, 23 or 25 on the days the clocks change', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.parse('2018-01-01T00:00:00Z'), max: Date.parse('2026-12-01T00:00:00Z') }),
        fc.integer({ min: 0, max: 500 * HOUR }),
        (timezone, from, length) => {
          const allDay = Object.fromEntries(WEEKDAYS.map((d) => [d, [['00:00', '23:59']] as [string, string][]]));
          const calendar = new WorkCalendar({ timezone, kind: 'weekly', weekly: allDay, holidays: [] });
          expect(calendar.workingMs(from, from + length)).toBe(length);
        },
      ),
      { numRuns: 200, seed: 20261204 },
    );
  });
});
