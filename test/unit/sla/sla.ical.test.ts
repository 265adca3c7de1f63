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

  it('keeps a yearly 29 February to leap years, and says when a rule recurs past 1 000 days', () => {
    const calendar = (body: string) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//rules//EN\n${body}END:VCALENDAR\n`;
    const leap = calendar('BEGIN:VEVENT\nUID:leap\nDTSTART;VALUE=DATE:20240229\nRRULE:FREQ=YEARLY\nSUMMARY:Leap day\nEND:VEVENT\n');
    // From 2024 to 2031 (five years past 2026): 2024 and 2028 have a 29 February; 2025-2027 and
    // 2029-2031 have none, and RFC 5545 gives them no occurrence (ical.js rolled them to 1 March).
    expect(parseHolidays(leap, new Date('2026-06-01T00:00:00Z')).holidays.map((h) => h.day)).toEqual(['2024-02-29', '2028-02-29']);
    const daily = calendar('BEGIN:VEVENT\nUID:daily\nDTSTART;VALUE=DATE:20260501\nRRULE:FREQ=DAILY;COUNT=100000\nSUMMARY:Every day\nEND:VEVENT\n');
    const { holidays, skipped } = parseHolidays(daily, new Date('2026-06-01T00:00:00Z'));
    // 1 000 days from 2026-05-01: the last is 2026-05-01 + 999 days = 2029-01-24.
    expect([holidays.length, holidays.at(-1)?.day]).toEqual([1000, '2029-01-24']);
    expect(skipped).toEqual([{ name: 'Every day', start: '2026-05-01', reason: 'recurs more than 1000 times; the first 1000 were taken' }]);
  });

  it('throws on text that is not iCalendar', () => {
    expect(() => parseHolidays('hello, world')).toThrow();
  });
});
