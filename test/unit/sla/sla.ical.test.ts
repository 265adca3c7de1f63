import { describe, expect, it } from 'vitest';
import { parseHolidays } from '../../../server/src/sla/sla.ical';

const ics = `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//holidays//EN
BEGIN:VEVENT
UID:xmas
DTSTART;VALUE=DATE:20261225
DTEND;VALUE=DATE:20261227
SUMMARY:Christmas
END:VEVENT
BEGIN:VEVENT
UID:may
DTSTART;VALUE=DATE:20250501
RRULE:FREQ=YEARLY;COUNT=3
SUMMARY:Labour Day
END:VEVENT
END:VCALENDAR
`;

describe('parseHolidays', () => {
  it('reads all-day events (DTEND exclusive) and expands yearly ones', () => {
    // Christmas 25..27 Dec exclusive = 25 and 26 Dec; Labour Day yearly, 3 occurrences 2025..2027.
    expect(parseHolidays(ics, new Date('2026-01-01T00:00:00Z'))).toEqual([
      { day: '2025-05-01', name: 'Labour Day' },
      { day: '2026-05-01', name: 'Labour Day' },
      { day: '2026-12-25', name: 'Christmas' },
      { day: '2026-12-26', name: 'Christmas' },
      { day: '2027-05-01', name: 'Labour Day' },
    ]);
  });

  it('throws on text that is not iCalendar', () => {
    expect(() => parseHolidays('hello, world')).toThrow();
  });
});
