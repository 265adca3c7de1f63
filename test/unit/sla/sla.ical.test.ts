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
    expect(parseHolidays(ics, new Date('2026-01-01T00:00:00Z'))).toEqual({
      holidays: [
        { day: '2025-05-01', name: 'Labour Day' },
        { day: '2026-05-01', name: 'Labour Day' },
        { day: '2026-12-25', name: 'Christmas' },
        { day: '2026-12-26', name: 'Christmas' },
        { day: '2027-05-01', name: 'Labour Day' },
      ],
      skipped: [],
    });
  });

  it('skips an event on no real day or outside 1900-2999, saying why, and keeps the others', () => {
    const event = (uid: string, start: string) =>
      `BEGIN:VEVENT\nUID:${uid}\nDTSTART;VALUE=DATE:${start}\nSUMMARY:${uid}\nEND:VEVENT\n`;
    const odd = `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//odd//EN\n${event('feb31', '20160231')}${event(
      'far',
      '99991231',
    )}${event('early', '18991231')}${event('month13', '20161301')}${event('fine', '20160229')}END:VCALENDAR\n`;
    const { holidays, skipped } = parseHolidays(odd);
    // 31 February would have rolled over into 2 March; 2016 is a leap year, so 29 February is real.
    expect(holidays).toEqual([{ day: '2016-02-29', name: 'fine' }]);
    expect(skipped.map((s) => [s.name, s.reason])).toEqual([
      ['feb31', 'no such day'],
      ['far', 'not a day from 1900 to 2999'],
      ['early', 'not a day from 1900 to 2999'],
      ['month13', 'no such day'],
    ]);
  });

  it('throws on text that is not iCalendar', () => {
    expect(() => parseHolidays('hello, world')).toThrow();
  });
});
