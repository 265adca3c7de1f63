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
    expect(parseHolidays(ics, 'UTC', new Date('2026-01-01T00:00:00Z'))).toEqual({
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
    const { holidays, skipped } = parseHolidays(odd, 'UTC');
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
    expect(parseHolidays(leap, 'UTC', new Date('2026-06-01T00:00:00Z')).holidays.map((h) => h.day)).toEqual(['2024-02-29', '2028-02-29']);
    // COUNT counts occurrences, so only real 29 Februaries: COUNT=3 from 2016 is 2016, 2020 and
    // 2024 (not 2016 and the rolled-over 1 March of 2017 and 2018); COUNT=9 runs past 2031, so
    // the window ends it after 2028.
    const counted = (n: number) =>
      calendar(`BEGIN:VEVENT\nUID:leap${n}\nDTSTART;VALUE=DATE:20160229\nRRULE:FREQ=YEARLY;COUNT=${n}\nSUMMARY:Leap day\nEND:VEVENT\n`);
    const days = (text: string) => parseHolidays(text, 'UTC', new Date('2026-06-01T00:00:00Z')).holidays.map((h) => h.day);
    expect(days(counted(3))).toEqual(['2016-02-29', '2020-02-29', '2024-02-29']);
    expect(days(counted(9))).toEqual(['2016-02-29', '2020-02-29', '2024-02-29', '2028-02-29']);
    // Neither is cut at the 1 000 occurrences a rule may give, so neither is reported.
    for (const n of [3, 9]) expect(parseHolidays(counted(n), 'UTC', new Date('2026-06-01T00:00:00Z')).skipped).toEqual([]);
    const daily = calendar('BEGIN:VEVENT\nUID:daily\nDTSTART;VALUE=DATE:20260501\nRRULE:FREQ=DAILY;COUNT=100000\nSUMMARY:Every day\nEND:VEVENT\n');
    const { holidays, skipped } = parseHolidays(daily, 'UTC', new Date('2026-06-01T00:00:00Z'));
    // 1 000 days from 2026-05-01: the last is 2026-05-01 + 999 days = 2029-01-24.
    expect([holidays.length, holidays.at(-1)?.day]).toEqual([1000, '2029-01-24']);
    expect(skipped).toEqual([{ name: 'Every day', start: '2026-05-01', reason: 'recurs more than 1000 times; the first 1000 were taken' }]);
  });

  it('leaves out the days a rule names in a month that lacks them, and does not count them', () => {
    const calendar = (body: string) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//rolled//EN\n${body}END:VCALENDAR\n`;
    const event = (uid: string, start: string, rule: string) =>
      `BEGIN:VEVENT\nUID:${uid}\nDTSTART;VALUE=DATE:${start}\nRRULE:${rule}\nSUMMARY:${uid}\nEND:VEVENT\n`;
    const read = (body: string) => parseHolidays(calendar(body), 'UTC', new Date('2026-06-01T00:00:00Z'));
    const days = (body: string) => read(body).holidays.map((h) => h.day);
    // The 31st of March and April, three times from 31 March 2026: April has 30 days, so each year
    // gives 31 March alone: 2026, 2027, 2028. ical.js rolled 31 April over into 1 May and counted
    // it (31 March 2026, 1 May 2026, 31 March 2027).
    expect(days(event('april', '20260331', 'FREQ=YEARLY;BYMONTH=3,4;BYMONTHDAY=31;COUNT=3'))).toEqual(['2026-03-31', '2027-03-31', '2028-03-31']);
    // The 30th of January and February up to 2031: 30 January of each year, and no 2 March (1
    // March in 2028) for a 30 February.
    expect(days(event('feb', '20260130', 'FREQ=YEARLY;BYMONTH=1,2;BYMONTHDAY=30'))).toEqual([
      '2026-01-30',
      '2027-01-30',
      '2028-01-30',
      '2029-01-30',
      '2030-01-30',
      '2031-01-30',
    ]);
    // A start on such a rolled-over day is no occurrence of the rule: it is the event's one day,
    // and said (the rule gives none: February never has a 30th).
    expect(read(event('march', '20260302', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30'))).toEqual({
      holidays: [{ day: '2026-03-02', name: 'march' }],
      skipped: [
        {
          name: 'march',
          start: '2026-03-02',
          reason:
            'DTSTART is no occurrence of RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30: a holiday all the same, as RFC 5545 makes the DTSTART the first occurrence, counted in COUNT (an EXDATE of it leaves it out)',
        },
      ],
    });
  });

  it('expands a YEARLY rule with BYMONTHDAY and no BYMONTH to that day of every month that has it', () => {
    const calendar = (body: string) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//monthdays//EN\n${body}END:VCALENDAR\n`;
    const event = (uid: string, start: string, rule: string, extra = '') =>
      `BEGIN:VEVENT\nUID:${uid}\nDTSTART${start}\nRRULE:${rule}\n${extra}SUMMARY:${uid}\nEND:VEVENT\n`;
    const read = (body: string, zone = 'UTC') => parseHolidays(calendar(body), zone, new Date('2026-06-01T00:00:00Z'));
    const days = (start: string, rule: string, extra = '') => read(event('rule', `;VALUE=DATE:${start}`, rule, extra)).holidays.map((h) => h.day);
    // RFC 5545 (3.3.10): in a YEARLY rule, BYMONTHDAY without BYMONTH is that day of every month.
    // The 31st: January, March, May, July, August, October and December have one (seven a year),
    // so nine are 2026's seven and 31 January and 31 March 2027. ical.js gave 31 January alone,
    // each year.
    expect(days('20260131', 'FREQ=YEARLY;BYMONTHDAY=31;COUNT=9')).toEqual([
      '2026-01-31',
      '2026-03-31',
      '2026-05-31',
      '2026-07-31',
      '2026-08-31',
      '2026-10-31',
      '2026-12-31',
      '2027-01-31',
      '2027-03-31',
    ]);
    // The 1st of each month up to UNTIL 1 May 2026, that day included: January to May.
    expect(days('20260101', 'FREQ=YEARLY;BYMONTHDAY=1;UNTIL=20260501')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01']);
    // The last day of each month from 31 January 2028, four times: 2028 is a leap year, so 29
    // February, then 31 March and 30 April.
    expect(days('20280131', 'FREQ=YEARLY;BYMONTHDAY=-1;COUNT=4')).toEqual(['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30']);
    // Every other year: 15 November and December 2026, then 2027 is skipped and 2028's twelve make
    // the fourteen (2 + 12), ending 15 December 2028.
    expect(days('20261115', 'FREQ=YEARLY;INTERVAL=2;BYMONTHDAY=15;COUNT=14')).toEqual([
      '2026-11-15',
      '2026-12-15',
      ...['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((month) => `2028-${month}-15`),
    ]);
    // COUNT counts before EXDATE takes out (RFC 5545 3.8.5.1): of 31 January, 31 March and 31 May,
    // the EXDATE takes out 31 March, and no fourth comes instead.
    expect(days('20260131', 'FREQ=YEARLY;BYMONTHDAY=31;COUNT=3', 'EXDATE;VALUE=DATE:20260331\n')).toEqual(['2026-01-31', '2026-05-31']);
    // A DTSTART that is no 31st is the first of COUNT=3, and said: 5 January, 31 January, 31 March.
    expect(read(event('off', ';VALUE=DATE:20260105', 'FREQ=YEARLY;BYMONTHDAY=31;COUNT=3'))).toEqual({
      holidays: ['2026-01-05', '2026-01-31', '2026-03-31'].map((day) => ({ day, name: 'off' })),
      skipped: [
        {
          name: 'off',
          start: '2026-01-05',
          reason:
            'DTSTART is no occurrence of RRULE:FREQ=YEARLY;BYMONTHDAY=31;COUNT=3: a holiday all the same, as RFC 5545 makes the DTSTART the first occurrence, counted in COUNT (an EXDATE of it leaves it out)',
        },
      ],
    });
    // With BYDAY, the month's last day when it is a Friday. 1 January 2026 is a Thursday, so the
    // last days of 2026 fall on (day of year - 1) mod 7 after it: 31 Jan (30: Sat), 28 Feb (58:
    // Sat), 31 Mar (89: Tue), 30 Apr (119: Thu), 31 May (150: Sun), 30 Jun (180: Tue), 31 Jul (211:
    // Fri). 1 January 2027 is a Friday: 31 Jan (Sun), 28 Feb (Sun), 31 Mar (Wed), 30 Apr (119: Fri).
    // ical.js gave none: it matched the -1 against days of the month as written.
    expect(days('20260731', 'FREQ=YEARLY;BYDAY=FR;BYMONTHDAY=-1;COUNT=2')).toEqual(['2026-07-31', '2027-04-30']);
    // Friday 13 February: 13 February is 43 days after 1 January, 1 day on in the week. 1 January
    // 2015 is a Thursday, so 13 February 2015 is a Friday. Then 1 January moves a day a year, two
    // after a leap year: 2016 Fri (Feb 13 a Sat), 2017 Sun (Mon), 2018 Mon (Tue), 2019 Tue (Wed),
    // 2020 Wed (Thu), 2021 Fri (Sat), 2022 Sat (Sun), 2023 Sun (Mon), 2024 Mon (Tue), 2025 Wed
    // (Thu), 2026 Thu (Fri): eleven years without one, leap and not, then 2026.
    expect(days('20150213', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=13;BYDAY=FR;COUNT=2')).toEqual(['2015-02-13', '2026-02-13']);
    // BYSETPOS picks from the year's set, the twelve 1sts: -1 is 1 December (ical.js: 1 January).
    expect(days('20261201', 'FREQ=YEARLY;BYMONTHDAY=1;BYSETPOS=-1;COUNT=2')).toEqual(['2026-12-01', '2027-12-01']);
    // A timed one keeps its clock time in its zone: 23:00 in Berlin on the last day of the month
    // is 22:00Z in winter (+01:00), 07:00 the next day in Tokyo (+09:00); on 31 March, after the
    // clocks went forward on Sunday 29 March, 21:00Z, 06:00 on 1 April in Tokyo.
    const timed = event('timed', ';TZID=Europe/Berlin:20260131T230000', 'FREQ=YEARLY;BYMONTHDAY=-1;COUNT=3');
    expect(read(timed, 'Asia/Tokyo').holidays.map((h) => h.day)).toEqual(['2026-02-01', '2026-03-01', '2026-04-01']);
  });

  it('skips an event whose RRULE has a COUNT that is no positive integer, naming the part', () => {
    const calendar = (body: string) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//count//EN\n${body}END:VCALENDAR\n`;
    const event = (uid: string, rule: string) =>
      `BEGIN:VEVENT\nUID:${uid}\nDTSTART;VALUE=DATE:20260501\nRRULE:${rule}\nSUMMARY:${uid}\nEND:VEVENT\n`;
    const file = calendar(
      event('zero', 'FREQ=DAILY;COUNT=0') +
        event('negative', 'FREQ=DAILY;COUNT=-5') +
        event('fraction', 'FREQ=DAILY;COUNT=3.5') +
        event('lower', 'FREQ=DAILY;count=0') +
        event('three', 'FREQ=DAILY;COUNT=3') +
        event('padded', 'FREQ=YEARLY;COUNT=02'),
    );
    const { holidays, skipped } = parseHolidays(file, 'UTC', new Date('2026-06-01T00:00:00Z'));
    // ical.js read COUNT=0 as no COUNT (1 000 days from 2026-05-01), COUNT=-5 as the start alone
    // and COUNT=3.5 as 3; each is skipped whole, none of its days taken. Part names are
    // case-insensitive, so count=0 is skipped too. three: 1, 2 and 3 May 2026. padded: COUNT=02
    // is digits, 2: 1 May 2026 and 2027. So 2026-05-01 (three, first in the file of the two),
    // 2026-05-02, 2026-05-03, 2027-05-01.
    expect(holidays.map((h) => `${h.day} ${h.name}`)).toEqual([
      '2026-05-01 three',
      '2026-05-02 three',
      '2026-05-03 three',
      '2027-05-01 padded',
    ]);
    expect(skipped).toEqual([
      { name: 'zero', start: '2026-05-01', reason: 'RRULE part COUNT=0: COUNT must be a positive integer' },
      { name: 'negative', start: '2026-05-01', reason: 'RRULE part COUNT=-5: COUNT must be a positive integer' },
      { name: 'fraction', start: '2026-05-01', reason: 'RRULE part COUNT=3.5: COUNT must be a positive integer' },
      { name: 'lower', start: '2026-05-01', reason: 'RRULE part count=0: COUNT must be a positive integer' },
    ]);
  });

  it('skips an event whose RRULE has an INTERVAL that is no positive integer, naming the part', () => {
    const calendar = (body: string) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//interval//EN\n${body}END:VCALENDAR\n`;
    const event = (uid: string, rule: string) =>
      `BEGIN:VEVENT\nUID:${uid}\nDTSTART;VALUE=DATE:20260501\nRRULE:${rule}\nSUMMARY:${uid}\nEND:VEVENT\n`;
    const file = calendar(
      event('zero', 'FREQ=WEEKLY;INTERVAL=0;COUNT=3') +
        event('negative', 'FREQ=WEEKLY;INTERVAL=-1;COUNT=3') +
        event('fraction', 'FREQ=WEEKLY;INTERVAL=1.5;COUNT=3') +
        event('fortnight', 'FREQ=WEEKLY;INTERVAL=2;COUNT=3'),
    );
    const { holidays, skipped } = parseHolidays(file, 'UTC', new Date('2026-06-01T00:00:00Z'));
    // ical.js read INTERVAL=0 and INTERVAL=-1 as 1 (weekly: 1, 8 and 15 May 2026) and 1.5 as 1;
    // each is skipped whole. fortnight: every other week from Friday 1 May 2026, three times:
    // 1 May, 1 + 14 = 15 May, 15 + 14 = 29 May.
    expect(holidays.map((h) => `${h.day} ${h.name}`)).toEqual(['2026-05-01 fortnight', '2026-05-15 fortnight', '2026-05-29 fortnight']);
    expect(skipped).toEqual([
      { name: 'zero', start: '2026-05-01', reason: 'RRULE part INTERVAL=0: INTERVAL must be a positive integer' },
      { name: 'negative', start: '2026-05-01', reason: 'RRULE part INTERVAL=-1: INTERVAL must be a positive integer' },
      { name: 'fraction', start: '2026-05-01', reason: 'RRULE part INTERVAL=1.5: INTERVAL must be a positive integer' },
    ]);
  });

  it('skips an event whose RRULE has a BY part, WKST or UNTIL outside RFC 5545, naming the part and the value', () => {
    const calendar = (body: string) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//ranges//EN\n${body}END:VCALENDAR\n`;
    const event = (uid: string, start: string, rule: string) =>
      `BEGIN:VEVENT\nUID:${uid}\nDTSTART;VALUE=DATE:${start}\nRRULE:${rule}\nSUMMARY:${uid}\nEND:VEVENT\n`;
    const file = calendar(
      event('setpos0', '20260105', 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0;COUNT=3') +
        event('monthday0', '20260105', 'FREQ=MONTHLY;BYMONTHDAY=0;COUNT=3') +
        event('monthday32', '20260105', 'FREQ=MONTHLY;BYMONTHDAY=1,15,32;COUNT=3') +
        event('month13', '20260105', 'FREQ=YEARLY;BYMONTH=13') +
        event('dayXX', '20260105', 'FREQ=WEEKLY;BYDAY=MO,XX;COUNT=3') +
        event('sixth', '20260105', 'FREQ=MONTHLY;BYDAY=-0MO;COUNT=3') +
        event('yearday0', '20260105', 'FREQ=YEARLY;BYYEARDAY=0') +
        event('week54', '20260105', 'FREQ=YEARLY;BYWEEKNO=54') +
        event('hour24', '20260105', 'FREQ=DAILY;BYHOUR=24;COUNT=3') +
        event('wkst', '20260105', 'FREQ=WEEKLY;WKST=XX;COUNT=3') +
        event('until', '20260105', 'FREQ=DAILY;UNTIL=20261301') +
        event('twice', '20260105', 'FREQ=YEARLY;BYMONTH=1;BYMONTH=13') +
        event('last31', '20260101', 'FREQ=MONTHLY;BYMONTHDAY=-31;COUNT=3') +
        event('fifth', '20260130', 'FREQ=MONTHLY;BYDAY=+5FR;COUNT=2') +
        event('setpos', '20260130', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=2'),
    );
    const { holidays, skipped } = parseHolidays(file, 'UTC', new Date('2026-06-01T00:00:00Z'));
    // The sound ones, at the edges of their ranges. last31: day -31 is the 1st of a 31-day month,
    // and February (28) and April (30) have none: 1 January, 1 March, 1 May 2026. fifth: Friday
    // 30 January 2026 is January's fifth Friday; February (6-27), March (6-27) and April (3-24)
    // have four, May has 1, 8, 15, 22, 29: 29 May. setpos: the last weekday of the month; 31
    // January 2026 is a Saturday, so Friday the 30th (named fifth, first in the file), and 28
    // February is a Saturday, so Friday the 27th.
    expect(holidays.map((h) => `${h.day} ${h.name}`)).toEqual([
      '2026-01-01 last31',
      '2026-01-30 fifth',
      '2026-02-27 setpos',
      '2026-03-01 last31',
      '2026-05-01 last31',
      '2026-05-29 fifth',
    ]);
    // Each of the others is skipped whole, none of its days taken, naming the part, what it may be
    // (RFC 5545 3.3.10) and the value that is not. ical.js read BYSETPOS=0 and BYMONTHDAY=0 as
    // giving nothing (the DTSTART alone), BYYEARDAY=0 as 1 January, and UNTIL=20261301 as 1 January
    // 2027 (a year of daily holidays); it refused the others with no word of which part. -0 is 0.
    // A part given twice is read by ical.js as the last.
    const range = (part: string, key: string, allowed: string, value: string) => `RRULE part ${part}: each ${key} must be ${allowed}, not ${value}`;
    const weekday = 'a weekday (SU, MO, TU, WE, TH, FR or SA)';
    expect(skipped).toEqual(
      [
        ['setpos0', range('BYSETPOS=0', 'BYSETPOS', 'a position from 1 to 366 or -366 to -1', '0')],
        ['monthday0', range('BYMONTHDAY=0', 'BYMONTHDAY', 'a day from 1 to 31 or -31 to -1', '0')],
        ['monthday32', range('BYMONTHDAY=1,15,32', 'BYMONTHDAY', 'a day from 1 to 31 or -31 to -1', '32')],
        ['month13', range('BYMONTH=13', 'BYMONTH', 'a month from 1 to 12', '13')],
        ['dayXX', range('BYDAY=MO,XX', 'BYDAY', `${weekday}, after a number from 1 to 53 or -53 to -1 if any`, 'XX')],
        ['sixth', range('BYDAY=-0MO', 'BYDAY', `${weekday}, after a number from 1 to 53 or -53 to -1 if any`, '-0MO')],
        ['yearday0', range('BYYEARDAY=0', 'BYYEARDAY', 'a day from 1 to 366 or -366 to -1', '0')],
        ['week54', range('BYWEEKNO=54', 'BYWEEKNO', 'a week from 1 to 53 or -53 to -1', '54')],
        ['hour24', range('BYHOUR=24', 'BYHOUR', 'an hour from 0 to 23', '24')],
        ['wkst', `RRULE part WKST=XX: WKST must be ${weekday}, not XX`],
        ['until', 'RRULE part UNTIL=20261301: no such day'],
        ['twice', 'RRULE part BYMONTH=13: BYMONTH is given twice'],
      ].map(([name, reason]) => ({ name, start: '2026-01-05', reason })),
    );
  });

  it('places a timed event on the date it starts on in the calendar zone', () => {
    const timed = `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//timed//EN
BEGIN:VTIMEZONE\nTZID:W. Europe Standard Time
BEGIN:STANDARD\nDTSTART:16011028T030000\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD
BEGIN:DAYLIGHT\nDTSTART:16010325T020000\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nEND:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT\nUID:xmas\nDTSTART:20161224T230000Z\nRRULE:FREQ=YEARLY;COUNT=2\nSUMMARY:xmas\nEND:VEVENT
BEGIN:VEVENT\nUID:summer\nDTSTART:20160630T223000Z\nSUMMARY:summer\nEND:VEVENT
BEGIN:VEVENT\nUID:nye\nDTSTART;TZID=America/New_York:20161231T200000\nSUMMARY:nye\nEND:VEVENT
BEGIN:VEVENT\nUID:windows\nDTSTART;TZID=W. Europe Standard Time:20161126T003000\nSUMMARY:windows\nEND:VEVENT
BEGIN:VEVENT\nUID:floating\nDTSTART:20161120T233000\nSUMMARY:floating\nEND:VEVENT
END:VCALENDAR\n`;
    const days = (zone: string) => parseHolidays(timed, zone, new Date('2016-06-01T00:00:00Z')).holidays.map((h) => `${h.day} ${h.name}`);
    // Berlin is +01:00 in winter, +02:00 in summer; New York -05:00 in winter, -04:00 in summer.
    // xmas: 2016-12-24T23:00Z and 2017-12-24T23:00Z are 00:00 on the 25th in Berlin, 18:00 on the 24th in New York.
    // summer: 2016-06-30T22:30Z is 1 July 00:30 in Berlin, 30 June 18:30 in New York.
    // nye: 20:00 New York on 31 Dec = 2017-01-01T01:00Z = 1 Jan 02:00 in Berlin.
    // windows: the file's zone is +01:00 after the last Sunday of October (30 Oct 2016), so
    // 26 Nov 00:30 is 2016-11-25T23:30Z: 26 Nov 00:30 in Berlin, 25 Nov 18:30 in New York.
    // floating: no zone, so 20 Nov 23:30 wherever the calendar is.
    expect(days('Europe/Berlin')).toEqual([
      '2016-07-01 summer',
      '2016-11-20 floating',
      '2016-11-26 windows',
      '2016-12-25 xmas',
      '2017-01-01 nye',
      '2017-12-25 xmas',
    ]);
    expect(days('America/New_York')).toEqual([
      '2016-06-30 summer',
      '2016-11-20 floating',
      '2016-11-25 windows',
      '2016-12-24 xmas',
      '2016-12-31 nye',
      '2017-12-24 xmas',
    ]);
  });

  it('gives a timed event the days from its start up to the day it ends, and skips an unknown zone', () => {
    const timed = `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//spans//EN
BEGIN:VEVENT\nUID:party\nDTSTART:20161223T200000Z\nDTEND:20161224T020000Z\nSUMMARY:party\nEND:VEVENT
BEGIN:VEVENT\nUID:closure\nDTSTART;TZID=Europe/Berlin:20161227T120000\nDTEND;TZID=Europe/Berlin:20161230T080000\nSUMMARY:closure\nEND:VEVENT
BEGIN:VEVENT\nUID:boxing\nDTSTART:20161225T230000Z\nDURATION:P1D\nSUMMARY:boxing\nEND:VEVENT
BEGIN:VEVENT\nUID:mars\nDTSTART;TZID=Mars/Olympus:20160101T000000\nSUMMARY:mars\nEND:VEVENT
END:VCALENDAR\n`;
    const { holidays, skipped } = parseHolidays(timed, 'Europe/Berlin');
    // party: 23 Dec 21:00 to 24 Dec 03:00 in Berlin, starts on the 23rd and ends on the 24th: the 23rd alone.
    // closure: 27 Dec 12:00 to 30 Dec 08:00: 27, 28 and 29 Dec; not the 30th, open from 08:00.
    // boxing: 2016-12-25T23:00Z for a day is 26 Dec 00:00 to 27 Dec 00:00 in Berlin: the 26th alone.
    expect(holidays.map((h) => `${h.day} ${h.name}`)).toEqual([
      '2016-12-23 party',
      '2016-12-26 boxing',
      '2016-12-27 closure',
      '2016-12-28 closure',
      '2016-12-29 closure',
    ]);
    expect(skipped).toEqual([{ name: 'mars', start: '2016-01-01T00:00:00', reason: 'unknown time zone Mars/Olympus' }]);
  });

  it('gives each occurrence of a timed event the clock times of the first across a change of the clocks', () => {
    const file = `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//clocks//EN
BEGIN:VTIMEZONE\nTZID:W. Europe Standard Time
BEGIN:STANDARD\nDTSTART:16011028T030000\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD
BEGIN:DAYLIGHT\nDTSTART:16010325T020000\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nEND:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Berlin:20261017T000000\nDTEND;TZID=Europe/Berlin:20261019T000000\nRRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:weekend\nEND:VEVENT
BEGIN:VEVENT\nUID:b\nDTSTART;TZID=Europe/Berlin:20260321T220000\nDTEND;TZID=Europe/Berlin:20260322T233000\nRRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:late\nEND:VEVENT
BEGIN:VEVENT\nUID:c\nDTSTART;TZID=Europe/Berlin:20270326T220000\nDTEND;TZID=Europe/Berlin:20270327T020000\nRRULE:FREQ=DAILY;COUNT=3\nSUMMARY:night\nEND:VEVENT
BEGIN:VEVENT\nUID:d\nDTSTART;TZID=Europe/Berlin:20271023T000000\nDURATION:P2D\nRRULE:FREQ=WEEKLY;COUNT=2\nSUMMARY:two days\nEND:VEVENT
BEGIN:VEVENT\nUID:e\nDTSTART;TZID=Europe/Berlin:20281028T000000\nDURATION:PT48H\nRRULE:FREQ=WEEKLY;COUNT=2\nSUMMARY:48 hours\nEND:VEVENT
BEGIN:VEVENT\nUID:f\nDTSTART;TZID=W. Europe Standard Time:20291020T000000\nDTEND;TZID=W. Europe Standard Time:20291022T000000\nRRULE:FREQ=WEEKLY;COUNT=2\nSUMMARY:windows\nEND:VEVENT
END:VCALENDAR\n`;
    const { holidays, skipped } = parseHolidays(file, 'Europe/Berlin', new Date('2026-06-01T00:00:00Z'));
    // Berlin's clocks go forward from 02:00 CET (+01:00) to 03:00 CEST (+02:00) on 29 March 2026
    // and 28 March 2027, and back from 03:00 CEST to 02:00 CET on 25 October 2026, 31 October 2027,
    // 29 October 2028 and 28 October 2029 (the last Sundays of those months).
    // weekend: Saturday 00:00 to Monday 00:00, 17, 24 and 31 October 2026: Saturday and Sunday
    // each time. On 24 October, 48 elapsed hours would end at 23:00 on Sunday the 25th (00:00 CEST
    // is 22:00Z on the 23rd, +48 h is 22:00Z on the 25th, 23:00 CET), leaving out the 25th.
    // late: Saturday 22:00 to Sunday 23:30, 21 and 28 March and 4 April 2026: the Saturday alone,
    // Sunday being a day it only reaches into. On 28 March, 25.5 elapsed hours would end at 00:30
    // on Monday the 30th (22:00 CET is 21:00Z, +25.5 h is 22:30Z on the 29th, 00:30 CEST) and take
    // the 29th too.
    // night: 22:00 to 02:00, on 26, 27 and 28 March 2027: its start's day each time, the night of
    // the 27th ending at 02:00 on the 28th, a time the clocks skip (read as 03:00 CEST), which is
    // still the 28th: 26, 27 and 28 March either way.
    // two days: DURATION P2D is nominal (RFC 5545): Saturday 00:00 to Monday 00:00 on 23 and
    // 30 October 2027: the 23rd, 24th, 30th and 31st. 48 hours: PT48H is exact: from Saturday
    // 28 October 2028 00:00 CEST (22:00Z on the 27th) it ends at 22:00Z on the 29th, 23:00 CET on
    // Sunday, so the 28th alone; from 4 November, CET throughout, Monday 00:00: the 4th and 5th.
    // windows: the file's own zone, the same clocks as Berlin: Saturday 00:00 to Monday 00:00 on
    // 20 and 27 October 2029, the 20th, 21st, 27th and 28th.
    expect(holidays.map((h) => `${h.day} ${h.name}`)).toEqual([
      '2026-03-21 late',
      '2026-03-28 late',
      '2026-04-04 late',
      '2026-10-17 weekend',
      '2026-10-18 weekend',
      '2026-10-24 weekend',
      '2026-10-25 weekend',
      '2026-10-31 weekend',
      '2026-11-01 weekend',
      '2027-03-26 night',
      '2027-03-27 night',
      '2027-03-28 night',
      '2027-10-23 two days',
      '2027-10-24 two days',
      '2027-10-30 two days',
      '2027-10-31 two days',
      '2028-10-28 48 hours',
      '2028-11-04 48 hours',
      '2028-11-05 48 hours',
      '2029-10-20 windows',
      '2029-10-21 windows',
      '2029-10-27 windows',
      '2029-10-28 windows',
    ]);
    expect(skipped).toEqual([]);
  });

  it('skips an event that ends before it starts, saying which end, and gives one that ends as it starts its day', () => {
    const file = `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//backwards//EN
BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20260501\nDTEND;VALUE=DATE:20260430\nSUMMARY:all-day back\nEND:VEVENT
BEGIN:VEVENT\nUID:b\nDTSTART;VALUE=DATE:20260601\nDURATION:-P1D\nSUMMARY:negative duration\nEND:VEVENT
BEGIN:VEVENT\nUID:c\nDTSTART:20260701T100000Z\nDTEND:20260701T090000Z\nSUMMARY:timed back\nEND:VEVENT
BEGIN:VEVENT\nUID:d\nDTSTART;VALUE=DATE:20261224\nDTEND;VALUE=DATE:20261223\nRRULE:FREQ=YEARLY\nSUMMARY:yearly back\nEND:VEVENT
BEGIN:VEVENT\nUID:e\nDTSTART:20260801T230000Z\nDTEND:20260801T230000Z\nSUMMARY:timed instant\nEND:VEVENT
BEGIN:VEVENT\nUID:f\nDTSTART;VALUE=DATE:20260901\nDTEND;VALUE=DATE:20260901\nSUMMARY:all-day zero\nEND:VEVENT
BEGIN:VEVENT\nUID:g\nDTSTART;TZID=Europe/Berlin:20261001T120000\nDTEND;TZID=America/New_York:20261001T070000\nSUMMARY:zones\nEND:VEVENT
BEGIN:VEVENT\nUID:h\nDTSTART:20261105T100000Z\nDTEND:20261105T120000Z\nRDATE;VALUE=PERIOD:20261110T100000Z/20261109T100000Z\nSUMMARY:period back\nEND:VEVENT
END:VCALENDAR\n`;
    const { holidays, skipped } = parseHolidays(file, 'Europe/Berlin', new Date('2026-06-01T00:00:00Z'));
    // all-day back: DTEND 30 April before DTSTART 1 May (was read as 1 May alone). negative
    // duration: 1 June less a day is 31 May. timed back: 10:00Z to 09:00Z the same day. yearly
    // back: every occurrence would end the day before it starts; skipped once, none of 24 Dec
    // 2026-2031 taken. Each skipped whole, saying the end that is wrong.
    // timed instant: DTEND = DTSTART, 2026-08-01T23:00Z is 2 Aug 01:00 in Berlin (+02:00): it
    // covers that day, 2 August. all-day zero: DTEND = DTSTART covers its date, 1 September.
    // zones: 12:00 in Berlin (+02:00) is 10:00Z, 07:00 in New York (-04:00) is 11:00Z: it ends an
    // hour after it starts though 07:00 is written before 12:00, so 1 October is taken.
    // period back: its DTSTART, 5 Nov 11:00-13:00 in Berlin (+01:00), gives 5 November; its RDATE
    // period, 10 Nov to 9 Nov, ends before it starts and is skipped alone.
    expect(holidays.map((h) => `${h.day} ${h.name}`)).toEqual([
      '2026-08-02 timed instant',
      '2026-09-01 all-day zero',
      '2026-10-01 zones',
      '2026-11-05 period back',
    ]);
    expect(skipped).toEqual([
      { name: 'all-day back', start: '2026-05-01', reason: 'ends before it starts (DTEND 2026-04-30)' },
      { name: 'negative duration', start: '2026-06-01', reason: 'ends before it starts (DURATION -P1D)' },
      { name: 'timed back', start: '2026-07-01T10:00:00Z', reason: 'ends before it starts (DTEND 2026-07-01T09:00:00Z)' },
      { name: 'yearly back', start: '2026-12-24', reason: 'ends before it starts (DTEND 2026-12-23)' },
      { name: 'period back', start: '2026-11-10T10:00:00Z', reason: 'ends before it starts' },
    ]);
  });

  it('skips an event lasting more than a year, saying how long, and keeps one of a leap year', () => {
    const file = `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//long//EN
BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20260501\nDTEND;VALUE=DATE:21260501\nSUMMARY:century\nEND:VEVENT
BEGIN:VEVENT\nUID:b\nDTSTART;VALUE=DATE:20280101\nDTEND;VALUE=DATE:20290101\nSUMMARY:leap year\nEND:VEVENT
BEGIN:VEVENT\nUID:c\nDTSTART;VALUE=DATE:20300101\nDTEND;VALUE=DATE:20310103\nSUMMARY:year and two\nEND:VEVENT
BEGIN:VEVENT\nUID:d\nDTSTART:20260601T000000Z\nDURATION:P400D\nSUMMARY:long stay\nEND:VEVENT
BEGIN:VEVENT\nUID:e\nDTSTART:20261105T100000Z\nDTEND:20261105T120000Z\nRDATE;VALUE=PERIOD:20261110T100000Z/20281110T100000Z\nSUMMARY:period\nEND:VEVENT
END:VCALENDAR\n`;
    const { holidays, skipped } = parseHolidays(file, 'UTC', new Date('2026-06-01T00:00:00Z'));
    // century: 1 May 2026 to 1 May 2126 is 100 * 365 days plus the 29 Februaries between, 2028 to
    // 2124 every fourth year (25) less 2100 (no leap year): 36 500 + 24 = 36 524 (was cut to 366).
    // leap year: 1 Jan 2028 to 1 Jan 2029, 366 days, the most allowed: kept, 2028-01-01 to
    // 2028-12-31. year and two: 1 Jan 2030 to 3 Jan 2031 is 365 + 2 = 367: skipped. long stay:
    // 400 days. period: its DTSTART gives 5 November 2026; its period, 10 Nov 2026 to 10 Nov 2028,
    // is 365 + 366 = 731 days (29 Feb 2028 within): skipped alone.
    expect([holidays.length, holidays[0], holidays[1], holidays.at(-1)]).toEqual([
      367,
      { day: '2026-11-05', name: 'period' },
      { day: '2028-01-01', name: 'leap year' },
      { day: '2028-12-31', name: 'leap year' },
    ]);
    expect(skipped).toEqual([
      { name: 'century', start: '2026-05-01', reason: 'lasts 36524 days, more than a year (DTEND 2126-05-01)' },
      { name: 'year and two', start: '2030-01-01', reason: 'lasts 367 days, more than a year (DTEND 2031-01-03)' },
      { name: 'long stay', start: '2026-06-01T00:00:00Z', reason: 'lasts 400 days, more than a year (DURATION P400D)' },
      { name: 'period', start: '2026-11-10T10:00:00Z', reason: 'lasts 731 days, more than a year' },
    ]);
  });

  it('skips an RDATE on no real day or outside 1900-2999, saying why, and keeps the others whatever their year', () => {
    const rdates = `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//rdates//EN
BEGIN:VEVENT\nUID:bridge\nDTSTART;VALUE=DATE:20160101\nRDATE;VALUE=DATE:20160231,20160304\nRDATE;VALUE=DATE:30000101
RDATE;VALUE=DATE:18991231\nRDATE;VALUE=DATE:20400101\nSUMMARY:bridge\nEND:VEVENT
END:VCALENDAR\n`;
    const { holidays, skipped } = parseHolidays(rdates, 'UTC', new Date('2016-06-01T00:00:00Z'));
    // 31 February is no day (ical.js made it 2 March); 3000 and 1899 are outside 1900-2999. 2040 is
    // past the five years rules are expanded to (2016 + 5 = 2021), but it is written out like a
    // DTSTART, so it counts; so does the DTSTART, 1 January 2016.
    expect(holidays.map((h) => h.day)).toEqual(['2016-01-01', '2016-03-04', '2040-01-01']);
    expect(skipped).toEqual([
      { name: 'bridge', start: '2016-02-31', reason: 'no such day' },
      { name: 'bridge', start: '3000-01-01', reason: 'not a day from 1900 to 2999' },
      { name: 'bridge', start: '1899-12-31', reason: 'not a day from 1900 to 2999' },
    ]);
  });

  it('keeps the DTSTART of an event with RDATEs, and takes the EXDATEs out of all its days', () => {
    const sets = `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//sets//EN
BEGIN:VEVENT\nUID:boxing\nDTSTART;VALUE=DATE:20161226\nDTEND;VALUE=DATE:20161227\nRDATE;VALUE=DATE:20171226\nSUMMARY:boxing\nEND:VEVENT
BEGIN:VEVENT\nUID:may\nDTSTART;VALUE=DATE:20160501\nRRULE:FREQ=YEARLY;COUNT=3\nRDATE;VALUE=DATE:20160502
EXDATE;VALUE=DATE:20170501,20160502\nSUMMARY:may\nEND:VEVENT
BEGIN:VEVENT\nUID:moved\nDTSTART;VALUE=DATE:20160801\nRDATE;VALUE=DATE:20160802\nEXDATE;VALUE=DATE:20160801\nSUMMARY:moved\nEND:VEVENT
END:VCALENDAR\n`;
    // boxing: DTSTART 26 Dec 2016 and the RDATE 26 Dec 2017 (RFC 5545: the set is DTSTART plus
    // the RRULE and RDATE starts). may: 1 May 2016-2018 and 2 May 2016, less 1 May 2017 and
    // 2 May 2016. moved: 1 and 2 August less 1 August, the DTSTART, which an EXDATE can take out.
    expect(parseHolidays(sets, 'UTC', new Date('2016-06-01T00:00:00Z')).holidays.map((h) => `${h.day} ${h.name}`)).toEqual([
      '2016-05-01 may',
      '2016-08-02 moved',
      '2016-12-26 boxing',
      '2017-12-26 boxing',
      '2018-05-01 may',
    ]);
  });

  it('says which EXDATEs take nothing out: on no real day, or a time of a timed event in an unknown zone', () => {
    const exdates = `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//exdates//EN
BEGIN:VEVENT\nUID:nye\nDTSTART;TZID=Europe/Berlin:20261231T180000\nDTEND;TZID=Europe/Berlin:20261231T230000\nRRULE:FREQ=YEARLY;COUNT=4
EXDATE;TZID=Mars/Olympus:20271231T180000\nEXDATE;TZID=America/New_York:20281231T120000\nSUMMARY:nye\nEND:VEVENT
BEGIN:VEVENT\nUID:march\nDTSTART;VALUE=DATE:20260303\nRRULE:FREQ=YEARLY;COUNT=3\nEXDATE;VALUE=DATE:20270231,20280303\nSUMMARY:march\nEND:VEVENT
BEGIN:VEVENT\nUID:boxing\nDTSTART;VALUE=DATE:20261226\nRRULE:FREQ=YEARLY;COUNT=2\nEXDATE;TZID=Mars/Olympus:20271226T090000\nSUMMARY:boxing\nEND:VEVENT
END:VCALENDAR\n`;
    const { holidays, skipped } = parseHolidays(exdates, 'Europe/Berlin', new Date('2026-06-01T00:00:00Z'));
    // nye: 31 Dec 18:00-23:00 in Berlin, 2026 to 2029. Mars/Olympus is no zone, so its EXDATE is no
    // instant and 2027 stays; 12:00 in New York (-05:00) on 31 Dec 2028 is 17:00Z, 18:00 in Berlin,
    // the occurrence: 2028 goes. march: 3 March 2026 to 2028; 31 February 2027 is no day (ical.js
    // made it 3 March 2027 and took that out), so 2027 stays, and 3 March 2028 goes. boxing is
    // all-day: its EXDATE takes out the date it writes, 26 Dec 2027, zone or not, unsaid.
    expect(holidays.map((h) => `${h.day} ${h.name}`)).toEqual([
      '2026-03-03 march',
      '2026-12-26 boxing',
      '2026-12-31 nye',
      '2027-03-03 march',
      '2027-12-31 nye',
      '2029-12-31 nye',
    ]);
    expect(skipped).toEqual([
      { name: 'nye', start: '2027-12-31T18:00:00', reason: 'EXDATE: unknown time zone Mars/Olympus, so it takes nothing out' },
      { name: 'march', start: '2027-02-31', reason: 'EXDATE: no such day, so it takes nothing out' },
    ]);
  });

  it('places timed RDATEs and RDATE periods in the calendar zone', () => {
    const timed = `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//timed-rdates//EN
BEGIN:VEVENT\nUID:xmas\nDTSTART:20161224T230000Z\nDTEND:20161225T230000Z\nRDATE:20171224T230000Z
RDATE;TZID=America/New_York:20181224T180000\nRDATE;VALUE=PERIOD:20191224T230000Z/20191226T230000Z
RDATE;TZID=Mars/Olympus:20201224T230000\nSUMMARY:xmas\nEND:VEVENT
END:VCALENDAR\n`;
    const { holidays, skipped } = parseHolidays(timed, 'Europe/Berlin');
    // Berlin is +01:00 in December. DTSTART 2016-12-24T23:00Z for 24 hours: 25 Dec 00:00 to 26 Dec
    // 00:00, the 25th. The RDATE 2017-12-24T23:00Z lasts as long: 25 Dec 2017. 18:00 in New York
    // (-05:00) on 24 Dec 2018 is 23:00Z: 25 Dec 2018. The period 2019-12-24T23:00Z to
    // 2019-12-26T23:00Z is 25 Dec 00:00 to 27 Dec 00:00: the 25th and 26th.
    expect(holidays.map((h) => h.day)).toEqual(['2016-12-25', '2017-12-25', '2018-12-25', '2019-12-25', '2019-12-26']);
    expect(skipped).toEqual([{ name: 'xmas', start: '2020-12-24T23:00:00', reason: 'unknown time zone Mars/Olympus' }]);
  });

  it('skips a timed event the calendar zone moves out of 1900-2999, saying why', () => {
    const edges = `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//edges//EN
BEGIN:VEVENT\nUID:early\nDTSTART:19000101T020000Z\nSUMMARY:early\nEND:VEVENT
BEGIN:VEVENT\nUID:late\nDTSTART:29991231T230000Z\nSUMMARY:late\nEND:VEVENT
END:VCALENDAR\n`;
    // New York (-05:00): 1900-01-01T02:00Z is 31 Dec 1899 21:00, out; 2999-12-31T23:00Z is 18:00 that day.
    expect(parseHolidays(edges, 'America/New_York')).toEqual({
      holidays: [{ day: '2999-12-31', name: 'late' }],
      skipped: [{ name: 'early', start: '1900-01-01T02:00:00Z', reason: 'not a day from 1900 to 2999' }],
    });
    // Berlin (+01:00): 1 Jan 1900 03:00 is in; 2999-12-31T23:00Z is 1 Jan 3000 00:00, out.
    expect(parseHolidays(edges, 'Europe/Berlin')).toEqual({
      holidays: [{ day: '1900-01-01', name: 'early' }],
      skipped: [{ name: 'late', start: '2999-12-31T23:00:00Z', reason: 'not a day from 1900 to 2999' }],
    });
    // A stay that begins in range keeps its days up to 2999-12-31; 3000-01-01 is cut off.
    const eve = 'BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//eve//EN\nBEGIN:VEVENT\nUID:eve\nDTSTART;VALUE=DATE:29991231\nDTEND;VALUE=DATE:30000102\nSUMMARY:eve\nEND:VEVENT\nEND:VCALENDAR\n';
    expect(parseHolidays(eve, 'UTC')).toEqual({ holidays: [{ day: '2999-12-31', name: 'eve' }], skipped: [] });
  });

  it('skips an event whose RRULE parts do not fit together as RFC 5545 says, naming the parts', () => {
    const calendar = (body: string) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//fit//EN\n${body}END:VCALENDAR\n`;
    // Each from Monday 5 January 2026 (1 January 2026 is a Thursday).
    const event = (uid: string, rule: string) =>
      `BEGIN:VEVENT\nUID:${uid}\nDTSTART;VALUE=DATE:20260105\nRRULE:${rule}\nSUMMARY:${uid}\nEND:VEVENT\n`;
    const days = (rule: string) => parseHolidays(calendar(event('sound', rule)), 'UTC', new Date('2026-06-01T00:00:00Z')).holidays.map((h) => h.day);
    // The same parts where they fit. The first Monday of January: 5 January 2026, and 1 January
    // 2027 is a Friday, so 4 January 2027. The first Monday of a month: 5 January, and 1 February
    // 2026 is a Sunday, so 2 February. Day 5 of the year: 5 January.
    expect(days('FREQ=YEARLY;BYMONTH=1;BYDAY=1MO;COUNT=2')).toEqual(['2026-01-05', '2027-01-04']);
    expect(days('FREQ=MONTHLY;BYDAY=1MO;COUNT=2')).toEqual(['2026-01-05', '2026-02-02']);
    expect(days('FREQ=YEARLY;BYYEARDAY=5;COUNT=2')).toEqual(['2026-01-05', '2027-01-05']);
    const file = calendar(
      event('weekly1mo', 'FREQ=WEEKLY;BYDAY=1MO;COUNT=3') +
        event('daily', 'freq=daily;byday=mo,-1fr;count=3') +
        event('monthweek', 'FREQ=MONTHLY;BYWEEKNO=2') +
        event('dailyweek', 'FREQ=DAILY;BYWEEKNO=2') +
        event('yearweek1mo', 'FREQ=YEARLY;BYWEEKNO=2;BYDAY=1MO') +
        event('weekmonthday', 'FREQ=WEEKLY;BYMONTHDAY=5') +
        event('monthyearday', 'FREQ=MONTHLY;BYYEARDAY=5') +
        event('dailyyearday', 'FREQ=DAILY;BYYEARDAY=5') +
        event('setpos', 'FREQ=MONTHLY;BYSETPOS=1') +
        event('countuntil', 'FREQ=DAILY;COUNT=5;UNTIL=20260107') +
        event('nofreq', 'BYDAY=MO;COUNT=3') +
        event('yearweek', 'FREQ=YEARLY;BYWEEKNO=2;BYDAY=MO;COUNT=2'),
    );
    // None gives a day: ical.js read weekly1mo as every Monday, dailyweek as every day, setpos as
    // the 5th of every month and countuntil as 5 to 7 January; it refused the others as it
    // expanded them, naming no part. yearweek fits, but ical.js expands no BYWEEKNO rightly: it
    // read this one (the Monday of ISO week 2: 5 January 2026, week 1 being the one with 2026's
    // first Thursday, and 11 January 2027) as every Monday from 12 January 2026 on.
    expect(parseHolidays(file, 'UTC', new Date('2026-06-01T00:00:00Z'))).toEqual({
      holidays: [],
      skipped: [
        ['weekly1mo', 'RRULE parts FREQ=WEEKLY and BYDAY=1MO: a BYDAY with a number (1MO) needs FREQ=MONTHLY or FREQ=YEARLY'],
        ['daily', 'RRULE parts freq=daily and byday=mo,-1fr: a BYDAY with a number (-1fr) needs FREQ=MONTHLY or FREQ=YEARLY'],
        ['monthweek', 'RRULE parts FREQ=MONTHLY and BYWEEKNO=2: BYWEEKNO needs FREQ=YEARLY'],
        ['dailyweek', 'RRULE parts FREQ=DAILY and BYWEEKNO=2: BYWEEKNO needs FREQ=YEARLY'],
        ['yearweek1mo', 'RRULE parts BYWEEKNO=2 and BYDAY=1MO: a BYDAY with a number (1MO) cannot be used with BYWEEKNO'],
        ['weekmonthday', 'RRULE parts FREQ=WEEKLY and BYMONTHDAY=5: BYMONTHDAY cannot be used with FREQ=WEEKLY'],
        ['monthyearday', 'RRULE parts FREQ=MONTHLY and BYYEARDAY=5: BYYEARDAY cannot be used with FREQ=DAILY, WEEKLY or MONTHLY'],
        ['dailyyearday', 'RRULE parts FREQ=DAILY and BYYEARDAY=5: BYYEARDAY cannot be used with FREQ=DAILY, WEEKLY or MONTHLY'],
        ['setpos', 'RRULE part BYSETPOS=1: BYSETPOS needs another BY part (BYDAY, BYMONTHDAY...) to pick from'],
        ['countuntil', 'RRULE parts COUNT=5 and UNTIL=20260107: a rule ends by COUNT or by UNTIL, not both'],
        ['nofreq', 'RRULE has no FREQ part, which every rule must have'],
        ['yearweek', 'RRULE part BYWEEKNO=2: rules by week number (BYWEEKNO) are not read'],
      ].map(([name, reason]) => ({ name, start: '2026-01-05', reason })),
    });
  });

  it('expands the yearly and monthly rules of RFC 5545 that ical.js got wrong, and names a numbered weekday no month has', () => {
    const calendar = (body: string) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//rfc//EN\n${body}END:VCALENDAR\n`;
    const event = (uid: string, start: string, rule: string) =>
      `BEGIN:VEVENT\nUID:${uid}\nDTSTART;VALUE=DATE:${start}\nRRULE:${rule}\nSUMMARY:${uid}\nEND:VEVENT\n`;
    const read = (body: string) => parseHolidays(calendar(body), 'UTC', new Date('2026-06-01T00:00:00Z'));
    const days = (start: string, rule: string) => read(event('rule', start, rule)).holidays.map((h) => h.day);
    // The dates below are RFC 5545's own (3.8.5.3), for its examples with a COUNT added.
    // "Every 20th Monday of the year": ical.js read 20MO as 0MO, every Monday.
    expect(days('19970519', 'FREQ=YEARLY;BYDAY=20MO;COUNT=3')).toEqual(['1997-05-19', '1998-05-18', '1999-05-17']);
    // "Every Thursday in March".
    expect(days('19970313', 'FREQ=YEARLY;BYMONTH=3;BYDAY=TH;COUNT=11')).toEqual([
      '1997-03-13',
      '1997-03-20',
      '1997-03-27',
      '1998-03-05',
      '1998-03-12',
      '1998-03-19',
      '1998-03-26',
      '1999-03-04',
      '1999-03-11',
      '1999-03-18',
      '1999-03-25',
    ]);
    // "U.S. Presidential Election day": every 4 years, the first Tuesday after a Monday in November.
    expect(days('19961105', 'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8;COUNT=3')).toEqual([
      '1996-11-05',
      '2000-11-07',
      '2004-11-02',
    ]);
    // "Every third year on the 1st, 100th, and 200th day for 10 occurrences" (2000 is a leap year).
    expect(days('19970101', 'FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200')).toEqual([
      '1997-01-01',
      '1997-04-10',
      '1997-07-19',
      '2000-01-01',
      '2000-04-09',
      '2000-07-18',
      '2003-01-01',
      '2003-04-10',
      '2003-07-19',
      '2006-01-01',
    ]);
    // "The second-to-last weekday of the month" and "the third instance into the month of one of
    // Tuesday, Wednesday, or Thursday".
    expect(days('19970929', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2;COUNT=7')).toEqual([
      '1997-09-29',
      '1997-10-30',
      '1997-11-27',
      '1997-12-30',
      '1998-01-29',
      '1998-02-26',
      '1998-03-30',
    ]);
    expect(days('19970904', 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3')).toEqual(['1997-09-04', '1997-10-07', '1997-11-06']);
    // The last weekday of the year, BYSETPOS over a year's weekdays (ical.js gave every weekday):
    // 1 January 2026 is a Thursday, and 31 December is 364 days (52 weeks) on, a Thursday too;
    // 1 January 2027 is a Friday, and so is 31 December 2027.
    expect(days('20261231', 'FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=2')).toEqual(['2026-12-31', '2027-12-31']);
    // BYYEARDAY with BYMONTH, which ical.js refused ("Invalid BYYEARDAY rule"): the days of the
    // year that are in December. In 2026 (365 days) -1 is day 365, 31 December; -7 is day 359, 25
    // December (334 days before December + 25); -40 is day 326, 22 November (304 + 22), not in
    // December. So 25 and 31 December 2026, then 25 December 2027.
    expect(days('20261225', 'FREQ=YEARLY;BYMONTH=12;BYYEARDAY=-1,-7,-40;COUNT=3')).toEqual(['2026-12-25', '2026-12-31', '2027-12-25']);
    // BYSETPOS with BYMONTHDAY in a MONTHLY rule: the later of the 1st and the 15th, the 15th
    // (ical.js left BYSETPOS out, and gave 1 February second).
    expect(days('20260115', 'FREQ=MONTHLY;BYMONTHDAY=1,15;BYSETPOS=-1;COUNT=2')).toEqual(['2026-01-15', '2026-02-15']);
    // A numbered weekday counts in the month in a MONTHLY rule and a YEARLY one with BYMONTH, and
    // no month has more than five of a weekday: such a rule gives no day, and is said plainly
    // (ical.js read 10MO as every Monday and refused 6MO with "Malformed values in BYDAY part").
    const refused = calendar(
      event('tenth', '20260105', 'FREQ=MONTHLY;BYDAY=10MO') +
        event('sixth', '20260105', 'FREQ=MONTHLY;BYDAY=MO,6MO') +
        event('lastsixth', '20260104', 'FREQ=YEARLY;BYMONTH=1;BYDAY=-6SU'),
    );
    expect(parseHolidays(refused, 'UTC', new Date('2026-06-01T00:00:00Z'))).toEqual({
      holidays: [],
      skipped: [
        ['tenth', '2026-01-05', 'RRULE parts FREQ=MONTHLY and BYDAY=10MO: a month has at most five of each weekday, so 10MO is never a day of it'],
        ['sixth', '2026-01-05', 'RRULE parts FREQ=MONTHLY and BYDAY=MO,6MO: a month has at most five of each weekday, so 6MO is never a day of it'],
        ['lastsixth', '2026-01-04', 'RRULE parts BYMONTH=1 and BYDAY=-6SU: a month has at most five of each weekday, so -6SU is never a day of it'],
      ].map(([name, start, reason]) => ({ name, start, reason })),
    });
  });

  it('keeps a DTSTART that is no occurrence of its RRULE as the first, counted in COUNT, and says so', () => {
    const calendar = (body: string) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//sync//EN\n${body}END:VCALENDAR\n`;
    const event = (uid: string, start: string, rules: string) =>
      `BEGIN:VEVENT\nUID:${uid}\nDTSTART;VALUE=DATE:${start}\n${rules}\nSUMMARY:${uid}\nEND:VEVENT\n`;
    const read = (body: string) => parseHolidays(calendar(body), 'UTC', new Date('2026-06-01T00:00:00Z'));
    const days = (body: string) => read(body).holidays.map((h) => h.day);
    const off = (rule: string) =>
      `DTSTART is no occurrence of ${rule}: a holiday all the same, as RFC 5545 makes the DTSTART the first occurrence, counted in COUNT (an EXDATE of it leaves it out)`;
    // The 31st of the month from 5 January 2026, three times: RFC 5545 (3.3.10) counts the DTSTART
    // as the first occurrence, so 5 January, then 31 January and (February has no 31st) 31 March.
    // Before, 31 May came as well: ical.js counted three of its own after the start.
    const monthly = event('monthly', '20260105', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3');
    expect(read(monthly)).toEqual({
      holidays: ['2026-01-05', '2026-01-31', '2026-03-31'].map((day) => ({ day, name: 'monthly' })),
      skipped: [{ name: 'monthly', start: '2026-01-05', reason: off('RRULE:FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3') }],
    });
    // Synchronized, the start is the first of the three: 31 January, 31 March, 31 May; nothing said.
    expect(read(event('synced', '20260131', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3'))).toEqual({
      holidays: ['2026-01-31', '2026-03-31', '2026-05-31'].map((day) => ({ day, name: 'synced' })),
      skipped: [],
    });
    // RFC 5545's own way to leave such a start out, an EXDATE of it (its Friday the 13th example):
    // the start still counts as the first of COUNT=3, so the first two Fridays the 13th after 2
    // September 1997, 13 February and 13 March 1998 (1998 starts on a Thursday: 1 January, 5
    // February and 5 March are Thursdays). Nothing to say.
    const friday = event('friday', '19970902', 'EXDATE;VALUE=DATE:19970902\nRRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=3');
    expect(read(friday)).toEqual({ holidays: ['1998-02-13', '1998-03-13'].map((day) => ({ day, name: 'friday' })), skipped: [] });
    // Days 366 and -366 are a leap year's 31 December and 1 January, and no other year has them.
    // From 1 January 2026 (no day -366: 2026 has 365): the start, then 1 January and 31 December
    // 2028; the window ends with 2031, before 2032. ical.js gave nothing after the start: it tries
    // four days of its list (2026's two, 2027's two) and gives up when none is a real day.
    const leap = event('leap', '20260101', 'RRULE:FREQ=YEARLY;BYYEARDAY=-366,366');
    expect(days(leap)).toEqual(['2026-01-01', '2028-01-01', '2028-12-31']);
    expect(read(leap).skipped).toEqual([{ name: 'leap', start: '2026-01-01', reason: off('RRULE:FREQ=YEARLY;BYYEARDAY=-366,366') }]);
    // Every other year from 2025: 2025, 2027, 2029, 2031, none a leap year, so the start alone.
    // Every other year from 2026: 2028's two days. Counted, from 2024 (a leap year, whose 1 January
    // the start is): 2024's two and 2028's first.
    expect(days(event('odd', '20250101', 'RRULE:FREQ=YEARLY;INTERVAL=2;BYYEARDAY=-366,366'))).toEqual(['2025-01-01']);
    expect(days(event('even', '20260101', 'RRULE:FREQ=YEARLY;INTERVAL=2;BYYEARDAY=-366,366'))).toEqual(['2026-01-01', '2028-01-01', '2028-12-31']);
    expect(read(event('counted', '20240101', 'RRULE:FREQ=YEARLY;BYYEARDAY=-366,366;COUNT=3'))).toEqual({
      holidays: ['2024-01-01', '2024-12-31', '2028-01-01'].map((day) => ({ day, name: 'counted' })),
      skipped: [],
    });
    // Two rules: a start that is an occurrence of one is said of neither, and each counts its own.
    // New Year's Day twice (2026, 2027) and Christmas twice (2026, 2027). A start of neither
    // (2 January 2026) counts as the first of each: 2 January, New Year 2027, Christmas 2026.
    const two = 'RRULE:FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1;COUNT=2\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25;COUNT=2';
    expect(read(event('two', '20260101', two))).toEqual({
      holidays: ['2026-01-01', '2026-12-25', '2027-01-01', '2027-12-25'].map((day) => ({ day, name: 'two' })),
      skipped: [],
    });
    expect(read(event('neither', '20260102', two))).toEqual({
      holidays: ['2026-01-02', '2026-12-25', '2027-01-01'].map((day) => ({ day, name: 'neither' })),
      skipped: [{ name: 'neither', start: '2026-01-02', reason: off('any of its RRULEs') }],
    });
  });

  it('reads an RRULE written in lower case, quoting the rule as written when it is skipped', () => {
    const calendar = (body: string) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//case//EN\n${body}END:VCALENDAR\n`;
    const event = (uid: string, start: string, rule: string) => `BEGIN:VEVENT\nUID:${uid}\nDTSTART${start}\n${rule}\nSUMMARY:${uid}\nEND:VEVENT\n`;
    const file = calendar(
      event('weekly', ';VALUE=DATE:20260105', 'rrule:freq=weekly;byday=mo;count=3') +
        event('lastfri', ';VALUE=DATE:20260130', 'RRULE:Freq=Monthly;ByDay=-1fr;Count=2') +
        event('until', ':20260305T090000Z', 'RRULE:FREQ=DAILY;UNTIL=20260307t090000z') +
        event('wkst', ';VALUE=DATE:19970805', 'RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=tu,su;wkst=su') +
        event('foo', ';VALUE=DATE:20260105', 'rrule:freq=foo') +
        event('xx', ';VALUE=DATE:20260105', 'rrule:freq=weekly;byday=mo,xx') +
        event('month13', ';VALUE=DATE:20260105', 'RRULE:FREQ=DAILY;UNTIL=20261301t000000z'),
    );
    const { holidays, skipped } = parseHolidays(file, 'UTC', new Date('2026-06-01T00:00:00Z'));
    // RFC 5545 (2, 3.3.10): names and enumerated values are case-insensitive. weekly: Monday
    // 5 January 2026 (1 January is a Thursday) and the two Mondays after, 12 and 19. lastfri:
    // Friday 30 January is January's last; 1 February is a Sunday, so February's Fridays are 6,
    // 13, 20 and 27: 27 February. until: daily at 09:00Z from 5 March up to 7 March 09:00Z, that
    // one included: 5, 6, 7 March. wkst: RFC 5545's own example (3.8.5.3), every other week from
    // Tuesday 5 August 1997 on Tuesdays and Sundays, with weeks starting on Sunday: 5, 17, 19 and
    // 31 August (with WKST=MO it would be 5, 10, 19 and 24).
    expect(holidays.map((h) => `${h.day} ${h.name}`)).toEqual([
      '1997-08-05 wkst',
      '1997-08-17 wkst',
      '1997-08-19 wkst',
      '1997-08-31 wkst',
      '2026-01-05 weekly',
      '2026-01-12 weekly',
      '2026-01-19 weekly',
      '2026-01-30 lastfri',
      '2026-02-27 lastfri',
      '2026-03-05 until',
      '2026-03-06 until',
      '2026-03-07 until',
    ]);
    // A value that is no frequency in any case is still unreadable, and a part out of range or an
    // UNTIL on no day (month 13) still skips its event; each is quoted as the file writes it.
    expect(skipped).toEqual([
      { name: 'foo', start: '2026-01-05', reason: 'cannot read rrule:freq=foo' },
      {
        name: 'xx',
        start: '2026-01-05',
        reason: 'RRULE part byday=mo,xx: each BYDAY must be a weekday (SU, MO, TU, WE, TH, FR or SA), after a number from 1 to 53 or -53 to -1 if any, not xx',
      },
      { name: 'month13', start: '2026-01-05', reason: 'RRULE part UNTIL=20261301t000000z: no such day' },
    ]);
  });

  describe('overrides (RECURRENCE-ID)', () => {
    const calendar = (body: string) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//overrides//EN\n${body}\nEND:VCALENDAR\n`;
    // The days and names a file gives in a calendar zone, read on 1 June 2026: rules are expanded to 2031.
    const named = (text: string, zone: string) =>
      parseHolidays(text, zone, new Date('2026-06-01T00:00:00Z')).holidays.map((h) => `${h.day} ${h.name}`);

    it('moves an occurrence to the day its override gives, and drops one cancelled, whichever comes first in the file', () => {
      const series = calendar(`BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20271224\nDTSTART;VALUE=DATE:20271223\nDTEND;VALUE=DATE:20271224\nSUMMARY:eve moved\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID:20281224T120000Z\nDTSTART;VALUE=DATE:20281224\nSTATUS:CANCELLED\nSUMMARY:eve\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nDTSTART;VALUE=DATE:20261224\nDTEND;VALUE=DATE:20261225\nRRULE:FREQ=YEARLY\nSUMMARY:eve\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20291224\nDTSTART;VALUE=DATE:20291224\nSUMMARY:eve renamed\nEND:VEVENT`);
      // The series runs 24 Dec 2026 to 2031 (five years past 2026). The first override, before its
      // master in the file, moves 2027's occurrence to the 23rd: 2027-12-23 is a holiday and
      // 2027-12-24 is not. The second cancels 2028's, named by a time, so by its date, the series
      // being all-day: 2028-12-24 goes and nothing comes instead.
      // The third, after its master, keeps 2029's on its day under its own name.
      expect(named(series, 'UTC')).toEqual([
        '2026-12-24 eve',
        '2027-12-23 eve moved',
        '2029-12-24 eve renamed',
        '2030-12-24 eve',
        '2031-12-24 eve',
      ]);
    });

    it('takes no day from a cancelled series', () => {
      // The whole yearly series is cancelled: none of its days from 2026 to 2031 is a holiday.
      // The other event stands.
      const off = calendar(`BEGIN:VEVENT\nUID:gone\nDTSTART;VALUE=DATE:20261224\nRRULE:FREQ=YEARLY\nSTATUS:CANCELLED\nSUMMARY:gone\nEND:VEVENT
BEGIN:VEVENT\nUID:kept\nDTSTART;VALUE=DATE:20261231\nSUMMARY:kept\nEND:VEVENT`);
      expect(named(off, 'UTC')).toEqual(['2026-12-31 kept']);
      // Said in the answer, so that the missing days have a reason.
      expect(parseHolidays(off, 'UTC', new Date('2026-06-01T00:00:00Z')).skipped).toEqual([
        { name: 'gone', start: '2026-12-24', reason: 'cancelled (STATUS:CANCELLED)' },
      ]);
    });

    it('cancels the overrides of a cancelled series with it, but those with a STATUS of their own', () => {
      const off = calendar(`BEGIN:VEVENT\nUID:gone\nRECURRENCE-ID;VALUE=DATE:20271224\nDTSTART;VALUE=DATE:20271223\nSUMMARY:moved\nEND:VEVENT
BEGIN:VEVENT\nUID:gone\nDTSTART;VALUE=DATE:20261224\nRRULE:FREQ=YEARLY\nSTATUS:CANCELLED\nSUMMARY:gone\nEND:VEVENT
BEGIN:VEVENT\nUID:gone\nRECURRENCE-ID;VALUE=DATE:20281224\nDTSTART;VALUE=DATE:20281222\nSTATUS:CONFIRMED\nSUMMARY:confirmed\nEND:VEVENT
BEGIN:VEVENT\nUID:gone\nRECURRENCE-ID;VALUE=DATE:20291224\nDTSTART;VALUE=DATE:20291224\nSTATUS:TENTATIVE\nSUMMARY:tentative\nEND:VEVENT
BEGIN:VEVENT\nUID:gone\nRECURRENCE-ID;VALUE=DATE:20301225\nDTSTART;VALUE=DATE:20301225\nSTATUS:CONFIRMED\nSUMMARY:stray\nEND:VEVENT
BEGIN:VEVENT\nUID:gone\nRECURRENCE-ID;VALUE=DATE:20311224\nDTSTART;VALUE=DATE:20311224\nSTATUS:CANCELLED\nSUMMARY:cancel\nEND:VEVENT`);
      // gone: 24 Dec 2026 to 2031, cancelled whole. moved, before it in the file, says no STATUS:
      // an occurrence of the series, cancelled with it (it gave 2027-12-23 before). confirmed and
      // tentative say their own: 2028's occurrence is on the 22nd, 2029's on its day. stray says
      // its own too, but 25 December is no occurrence of the series (still expanded to be
      // matched): skipped. cancel is cancelled by its own STATUS.
      expect(named(off, 'UTC')).toEqual(['2028-12-22 confirmed', '2029-12-24 tentative']);
      expect(parseHolidays(off, 'UTC', new Date('2026-06-01T00:00:00Z')).skipped).toEqual([
        { name: 'moved', start: '2027-12-23', reason: 'its series (UID gone) is cancelled (STATUS:CANCELLED) and it has no STATUS of its own' },
        { name: 'gone', start: '2026-12-24', reason: 'cancelled (STATUS:CANCELLED)' },
        { name: 'stray', start: '2030-12-25', reason: 'RECURRENCE-ID 2030-12-25: no occurrence of its series' },
        { name: 'cancel', start: '2031-12-24', reason: 'cancelled (STATUS:CANCELLED)' },
      ]);
    });

    it('skips a second event with the UID of one before it as a duplicate, and reads its overrides against the first', () => {
      const twice = calendar(`BEGIN:VEVENT\nUID:eve\nDTSTART;VALUE=DATE:20261224\nRRULE:FREQ=YEARLY;COUNT=2\nSUMMARY:eve\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nDTSTART;VALUE=DATE:20261231\nRRULE:FREQ=YEARLY;COUNT=2\nSUMMARY:nye\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20271231\nDTSTART;VALUE=DATE:20271230\nSUMMARY:nye moved\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20271224\nDTSTART;VALUE=DATE:20271223\nSUMMARY:eve moved\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nDTSTART;VALUE=DATE:20280101\nSTATUS:CANCELLED\nSUMMARY:cancelled twin\nEND:VEVENT
BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260701\nSUMMARY:a\nEND:VEVENT
BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260702\nSUMMARY:b\nEND:VEVENT`);
      // eve: 24 Dec 2026 and 2027; its override moves 2027's to the 23rd. nye has eve's UID, after
      // it: a duplicate, none of its days (31 Dec 2026 and 2027, read as a second series before)
      // taken. nye moved names 31 Dec 2027, an occurrence of nye, not of eve: skipped, its 30th not
      // taken. The cancelled twin is a duplicate too, and cancels nothing of eve. a and b have no
      // UID, so neither is the other's duplicate: 1 and 2 July 2026.
      expect(named(twice, 'UTC')).toEqual(['2026-07-01 a', '2026-07-02 b', '2026-12-24 eve', '2027-12-23 eve moved']);
      const duplicate = 'duplicate UID eve: an event before it in the file (starting 2026-12-24) has it, and a UID names one event';
      expect(parseHolidays(twice, 'UTC', new Date('2026-06-01T00:00:00Z')).skipped).toEqual([
        { name: 'nye', start: '2026-12-31', reason: duplicate },
        { name: 'nye moved', start: '2027-12-30', reason: 'RECURRENCE-ID 2027-12-31: no occurrence of its series' },
        { name: 'cancelled twin', start: '2028-01-01', reason: duplicate },
      ]);
    });

    it('keeps the event of a UID with the highest SEQUENCE, wherever it is in the file, and reads the overrides against it', () => {
      const revised = calendar(`BEGIN:VEVENT\nUID:eve\nDTSTART;VALUE=DATE:20261224\nRRULE:FREQ=YEARLY;COUNT=2\nSUMMARY:eve\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20271223\nDTSTART;VALUE=DATE:20271222\nSUMMARY:eve moved\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nSEQUENCE:1\nDTSTART;VALUE=DATE:20261223\nRRULE:FREQ=YEARLY;COUNT=2\nSUMMARY:eve revised\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nSEQUENCE:1\nDTSTART;VALUE=DATE:20261231\nSUMMARY:eve twin\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20271224\nDTSTART;VALUE=DATE:20271220\nSUMMARY:old move\nEND:VEVENT
BEGIN:VEVENT\nUID:nye\nSEQUENCE:3\nDTSTART;VALUE=DATE:20261231\nRRULE:FREQ=YEARLY\nSTATUS:CANCELLED\nSUMMARY:nye off\nEND:VEVENT
BEGIN:VEVENT\nUID:nye\nSEQUENCE:2\nDTSTART;VALUE=DATE:20261231\nRRULE:FREQ=YEARLY\nSUMMARY:nye\nEND:VEVENT`);
      // eve: the first has no SEQUENCE (0), the revision after it SEQUENCE 1, so the revision is
      // kept (RFC 5545: a higher SEQUENCE is a later revision): 23 December 2026 and 2027, not the
      // 24th (before, the first in the file was kept). eve moved names 23 December 2027, an
      // occurrence of the revision: it moves to the 22nd. eve twin has SEQUENCE 1 too, and comes
      // after the revision: of equal ones the first is kept, so twin's 31 December is not taken.
      // old move names 24 December 2027, the first's occurrence, none of the revision's: skipped,
      // its 20th not taken. nye: the cancellation, SEQUENCE 3, is the later revision, before the
      // SEQUENCE 2 event in the file: the series is cancelled and gives no day.
      expect(named(revised, 'UTC')).toEqual(['2026-12-23 eve revised', '2027-12-22 eve moved']);
      const later = (uid: string, where: string, start: string, kept: number, lost: number) =>
        `duplicate UID ${uid}: an event ${where} it in the file (starting ${start}) has it with a higher SEQUENCE (${kept}, not ${lost}), a later revision of the event`;
      expect(parseHolidays(revised, 'UTC', new Date('2026-06-01T00:00:00Z')).skipped).toEqual([
        { name: 'eve', start: '2026-12-24', reason: later('eve', 'after', '2026-12-23', 1, 0) },
        { name: 'eve twin', start: '2026-12-31', reason: 'duplicate UID eve: an event before it in the file (starting 2026-12-23) has it, and a UID names one event' },
        { name: 'old move', start: '2027-12-20', reason: 'RECURRENCE-ID 2027-12-24: no occurrence of its series' },
        { name: 'nye off', start: '2026-12-31', reason: 'cancelled (STATUS:CANCELLED)' },
        { name: 'nye', start: '2026-12-31', reason: later('nye', 'before', '2026-12-31', 3, 2) },
      ]);
    });

    it('says an event without a DTSTART was skipped, and refuses an event outside a calendar', () => {
      const undated = calendar('BEGIN:VEVENT\nUID:undated\nSUMMARY:Some day\nEND:VEVENT');
      expect(parseHolidays(undated, 'UTC', new Date('2026-06-01T00:00:00Z'))).toEqual({
        holidays: [],
        skipped: [{ name: 'Some day', start: '', reason: 'no DTSTART' }],
      });
      const bare = 'BEGIN:VEVENT\nUID:bare\nDTSTART;VALUE=DATE:20261224\nSUMMARY:eve\nEND:VEVENT\n';
      expect(() => parseHolidays(bare, 'UTC')).toThrow('it starts with BEGIN:VEVENT, not BEGIN:VCALENDAR');
    });

    it('says a cancelled override without a DTSTART takes out the occurrence it names, not that it lacks a start', () => {
      const undated = calendar(`BEGIN:VEVENT\nUID:eve\nDTSTART;VALUE=DATE:20261224\nRRULE:FREQ=YEARLY\nSUMMARY:eve\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20271224\nSTATUS:CANCELLED\nSUMMARY:off\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20281224\nSUMMARY:moved\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20291225\nSTATUS:CANCELLED\nSUMMARY:wrong\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20401224\nSTATUS:CANCELLED\nSUMMARY:far\nEND:VEVENT
BEGIN:VEVENT\nUID:stray\nRECURRENCE-ID;VALUE=DATE:20271224\nSTATUS:CANCELLED\nSUMMARY:stray\nEND:VEVENT`);
      // eve: 24 December 2026 to 2031. off cancels 2027's, with no DTSTART (it needs none): that
      // day goes. moved is no cancel and has no DTSTART: it replaces nothing, 2028 stays. wrong
      // names 25 December, no occurrence: skipped for that, 2029 stays. far names 2040, past the
      // years expanded, and stray a series not in the file: neither takes out a day imported.
      expect(named(undated, 'UTC')).toEqual(['2026-12-24 eve', '2028-12-24 eve', '2029-12-24 eve', '2030-12-24 eve', '2031-12-24 eve']);
      expect(parseHolidays(undated, 'UTC', new Date('2026-06-01T00:00:00Z')).skipped).toEqual([
        { name: 'off', start: '', reason: 'cancelled (STATUS:CANCELLED): takes out the occurrence of its series at RECURRENCE-ID 2027-12-24 (it needs no DTSTART)' },
        { name: 'moved', start: '', reason: 'no DTSTART' },
        { name: 'wrong', start: '', reason: 'RECURRENCE-ID 2029-12-25: no occurrence of its series' },
        { name: 'far', start: '', reason: 'cancelled (STATUS:CANCELLED), with no DTSTART' },
        { name: 'stray', start: '', reason: 'cancelled (STATUS:CANCELLED), with no DTSTART' },
      ]);
    });

    it('skips an override that names no occurrence of its series, saying why, and keeps a day another event covers', () => {
      const stray = calendar(`BEGIN:VEVENT\nUID:eve\nDTSTART;VALUE=DATE:20261224\nRRULE:FREQ=YEARLY\nSUMMARY:eve\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20271225\nDTSTART;VALUE=DATE:20271227\nSUMMARY:wrong date\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20401224\nDTSTART;VALUE=DATE:20401223\nSUMMARY:far\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20291225\nDTSTART;VALUE=DATE:20291225\nSTATUS:CANCELLED\nSUMMARY:cancelled stray\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20301224\nDTSTART;VALUE=DATE:20301222\nSUMMARY:eve moved\nEND:VEVENT
BEGIN:VEVENT\nUID:office\nDTSTART;VALUE=DATE:20301224\nSUMMARY:office\nEND:VEVENT
BEGIN:VEVENT\nUID:other\nRECURRENCE-ID;VALUE=DATE:20311224\nDTSTART;VALUE=DATE:20311220\nSUMMARY:other\nEND:VEVENT
BEGIN:VEVENT\nUID:lonely\nRECURRENCE-ID;VALUE=DATE:20270601\nDTSTART;VALUE=DATE:20270602\nSUMMARY:lonely\nEND:VEVENT
BEGIN:VEVENT\nUID:march\nDTSTART;VALUE=DATE:20260303\nRRULE:FREQ=YEARLY;COUNT=3\nSUMMARY:march\nEND:VEVENT
BEGIN:VEVENT\nUID:march\nRECURRENCE-ID;VALUE=DATE:20270231\nDTSTART;VALUE=DATE:20270305\nSUMMARY:march bad id\nEND:VEVENT`);
      // eve: 24 Dec 2026 to 2031. Its overrides for 25 Dec 2027 and 25 Dec 2029 name no occurrence
      // (the series is on the 24th): skipped, the first with its own day, 2027-12-27, the second,
      // cancelled, too; 2027-12-24 and 2029-12-24 stay. The one for 2040 is past the five years
      // expanded (2026 + 5 = 2031), where whether it names one cannot be told: it gives its own
      // day, 2040-12-23. 2030's occurrence moves to the 22nd, but the office event keeps 2030-12-24
      // a holiday. The override with UID other is no part of eve: 2031-12-24 stays, and it gives
      // 2031-12-20, as lonely, with no master, gives 2027-06-02. march: 3 March 2026-2028; its
      // override for 31 February 2027, no day (ical.js reads it as 3 March, 2027 having 28 days in
      // February), is skipped, so 2027-03-03 stays and its own 2027-03-05 is not taken.
      expect(named(stray, 'UTC')).toEqual([
        '2026-03-03 march',
        '2026-12-24 eve',
        '2027-03-03 march',
        '2027-06-02 lonely',
        '2027-12-24 eve',
        '2028-03-03 march',
        '2028-12-24 eve',
        '2029-12-24 eve',
        '2030-12-22 eve moved',
        '2030-12-24 office',
        '2031-12-20 other',
        '2031-12-24 eve',
        '2040-12-23 far',
      ]);
      // Each skipped with its own DTSTART and why.
      expect(parseHolidays(stray, 'UTC', new Date('2026-06-01T00:00:00Z')).skipped).toEqual([
        { name: 'wrong date', start: '2027-12-27', reason: 'RECURRENCE-ID 2027-12-25: no occurrence of its series' },
        { name: 'cancelled stray', start: '2029-12-25', reason: 'RECURRENCE-ID 2029-12-25: no occurrence of its series' },
        { name: 'march bad id', start: '2027-03-05', reason: 'RECURRENCE-ID 2027-02-31: no such day' },
      ]);
      // A daily rule keeps its first 1 000 days, 2026-05-01 to 2029-01-24 (2026-05-01 + 999 days);
      // past them whether an override names a day cannot be told either: the one for 1 June 2030
      // gives its own day, 2 June 2030. The one for 2 May 2026 moves that day to 30 April.
      const daily = calendar(`BEGIN:VEVENT\nUID:daily\nDTSTART;VALUE=DATE:20260501\nRRULE:FREQ=DAILY\nSUMMARY:daily\nEND:VEVENT
BEGIN:VEVENT\nUID:daily\nRECURRENCE-ID;VALUE=DATE:20300601\nDTSTART;VALUE=DATE:20300602\nSUMMARY:late\nEND:VEVENT
BEGIN:VEVENT\nUID:daily\nRECURRENCE-ID;VALUE=DATE:20260502\nDTSTART;VALUE=DATE:20260430\nSUMMARY:early\nEND:VEVENT`);
      const days = named(daily, 'UTC');
      expect([days.length, days.slice(0, 3), days.slice(-2)]).toEqual([
        1001,
        ['2026-04-30 early', '2026-05-01 daily', '2026-05-03 daily'],
        ['2029-01-24 daily', '2030-06-02 late'],
      ]);
    });

    it('counts one override per occurrence: the highest SEQUENCE, of equal ones the later in the file', () => {
      const revised = calendar(`BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20271224\nSEQUENCE:2\nDTSTART;VALUE=DATE:20271222\nSUMMARY:seq 2\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nDTSTART;VALUE=DATE:20261224\nRRULE:FREQ=YEARLY\nSUMMARY:eve\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20271224\nSEQUENCE:1\nDTSTART;VALUE=DATE:20271223\nSUMMARY:seq 1\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20281224\nDTSTART;VALUE=DATE:20281222\nSUMMARY:first\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID:20281224T000000Z\nSEQUENCE:0\nDTSTART;VALUE=DATE:20281223\nSUMMARY:second\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20291224\nSEQUENCE:3\nDTSTART;VALUE=DATE:20291224\nSTATUS:CANCELLED\nSUMMARY:cancel\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20291224\nSEQUENCE:1\nDTSTART;VALUE=DATE:20291227\nSUMMARY:moved\nEND:VEVENT
BEGIN:VEVENT\nUID:solo\nRECURRENCE-ID;VALUE=DATE:20270701\nSEQUENCE:1\nDTSTART;VALUE=DATE:20270701\nSUMMARY:solo one\nEND:VEVENT
BEGIN:VEVENT\nUID:solo\nRECURRENCE-ID;VALUE=DATE:20270701\nDTSTART;VALUE=DATE:20270702\nSUMMARY:solo two\nEND:VEVENT`);
      // eve: 24 Dec 2026 to 2031. 2027: SEQUENCE 2 beats 1, though first in the file and before its
      // master: the 22nd, not the 23rd. 2028: no SEQUENCE is 0, and a time names the date of an
      // all-day occurrence, so the two tie and the later wins: the 23rd, not the 22nd. 2029: the
      // cancellation, SEQUENCE 3, beats the move to the 27th, SEQUENCE 1: no day at all. solo has
      // no master; its two overrides write the same RECURRENCE-ID, and SEQUENCE 1 beats none: only
      // 1 July 2027.
      expect(named(revised, 'UTC')).toEqual([
        '2026-12-24 eve',
        '2027-07-01 solo one',
        '2027-12-22 seq 2',
        '2028-12-23 second',
        '2030-12-24 eve',
        '2031-12-24 eve',
      ]);
      const higher = (kept: number, lost: number) =>
        `superseded by an override of the same occurrence with a higher SEQUENCE (${kept}, not ${lost})`;
      expect(parseHolidays(revised, 'UTC', new Date('2026-06-01T00:00:00Z')).skipped).toEqual([
        { name: 'seq 1', start: '2027-12-23', reason: higher(2, 1) },
        { name: 'first', start: '2028-12-22', reason: 'superseded by a later override of the same occurrence with the same SEQUENCE (0)' },
        { name: 'cancel', start: '2029-12-24', reason: 'cancelled (STATUS:CANCELLED)' },
        { name: 'moved', start: '2029-12-27', reason: higher(3, 1) },
        { name: 'solo two', start: '2027-07-02', reason: higher(1, 0) },
      ]);
    });

    it('skips an override whose own days are wrong and keeps the occurrence it names; a cancelled one still takes it out', () => {
      const broken = calendar(`BEGIN:VEVENT\nUID:eve\nDTSTART;VALUE=DATE:20261224\nRRULE:FREQ=YEARLY\nSUMMARY:eve\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20271224\nDTSTART;VALUE=DATE:20271223\nDTEND;VALUE=DATE:20271222\nSUMMARY:back\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20281224\nDTSTART;VALUE=DATE:20281220\nDTEND;VALUE=DATE:20291222\nSUMMARY:long\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20291224\nSEQUENCE:2\nDTSTART;VALUE=DATE:20291226\nDURATION:-P1D\nSUMMARY:revised\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20291224\nSEQUENCE:1\nDTSTART;VALUE=DATE:20291227\nSUMMARY:moved\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20301224\nDTSTART;TZID=Mars/Olympus:20301224T100000\nSUMMARY:mars\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE:20311224\nDTSTART;VALUE=DATE:20311224\nDTEND;VALUE=DATE:20311223\nSTATUS:CANCELLED\nSUMMARY:cancel\nEND:VEVENT`);
      // eve: 24 Dec 2026 to 2031. 2027's override ends the day before it starts and 2028's lasts
      // from 20 Dec 2028 to 22 Dec 2029, 365 days to 20 Dec 2029 (no 29 February between) + 2 =
      // 367: both skipped, and 2027-12-24 and 2028-12-24 stay (they were lost before), their own
      // 23 and 20 December not taken. 2029: the SEQUENCE 2 revision ends before it starts (26 Dec
      // less a day), so it counts for nothing and the SEQUENCE 1 one moves the day to the 27th.
      // 2030's is in no zone: skipped, 2030-12-24 stays. 2031's is cancelled: its own end does
      // not matter, 2031-12-24 goes.
      expect(named(broken, 'UTC')).toEqual(['2026-12-24 eve', '2027-12-24 eve', '2028-12-24 eve', '2029-12-27 moved', '2030-12-24 eve']);
      expect(parseHolidays(broken, 'UTC', new Date('2026-06-01T00:00:00Z')).skipped).toEqual([
        { name: 'back', start: '2027-12-23', reason: 'ends before it starts (DTEND 2027-12-22)' },
        { name: 'long', start: '2028-12-20', reason: 'lasts 367 days, more than a year (DTEND 2029-12-22)' },
        { name: 'revised', start: '2029-12-26', reason: 'ends before it starts (DURATION -P1D)' },
        { name: 'mars', start: '2030-12-24T10:00:00', reason: 'unknown time zone Mars/Olympus' },
        { name: 'cancel', start: '2031-12-24', reason: 'cancelled (STATUS:CANCELLED)' },
      ]);
    });

    it('skips an override with a RANGE, which is not read, and keeps the series as its rule gives it', () => {
      const ranged = calendar(`BEGIN:VEVENT\nUID:eve\nDTSTART;VALUE=DATE:20261224\nRRULE:FREQ=YEARLY\nSUMMARY:eve\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;RANGE=THISANDFUTURE;VALUE=DATE:20281224\nDTSTART;VALUE=DATE:20281223\nSUMMARY:shifted\nEND:VEVENT
BEGIN:VEVENT\nUID:eve\nRECURRENCE-ID;VALUE=DATE;RANGE=thisandfuture:20301224\nDTSTART;VALUE=DATE:20301224\nSTATUS:CANCELLED\nSUMMARY:ended\nEND:VEVENT`);
      // eve: 24 Dec 2026 to 2031. From 2028 on the first override would move every occurrence a
      // day early, from 2030 on the second would end the series (the parameter's value in any
      // case). Neither is read, and neither is taken as moving or cancelling its one occurrence
      // alone: all six days stay, and both are said.
      expect(named(ranged, 'UTC')).toEqual([
        '2026-12-24 eve',
        '2027-12-24 eve',
        '2028-12-24 eve',
        '2029-12-24 eve',
        '2030-12-24 eve',
        '2031-12-24 eve',
      ]);
      expect(parseHolidays(ranged, 'UTC', new Date('2026-06-01T00:00:00Z')).skipped).toEqual([
        { name: 'shifted', start: '2028-12-23', reason: 'RECURRENCE-ID 2028-12-24;RANGE=THISANDFUTURE is not read: the series keeps its own days' },
        { name: 'ended', start: '2030-12-24', reason: 'RECURRENCE-ID 2030-12-24;RANGE=THISANDFUTURE is not read: the series keeps its own days' },
      ]);
    });

    it('matches a timed RECURRENCE-ID by instant and an all-day one by date', () => {
      const timed = calendar(`BEGIN:VEVENT\nUID:nye\nDTSTART;TZID=Europe/Berlin:20261231T180000\nDTEND;TZID=Europe/Berlin:20261231T230000\nRRULE:FREQ=YEARLY\nSUMMARY:nye\nEND:VEVENT
BEGIN:VEVENT\nUID:nye\nRECURRENCE-ID:20271231T170000Z\nDTSTART;TZID=Europe/Berlin:20271230T180000\nDTEND;TZID=Europe/Berlin:20271230T230000\nSUMMARY:nye moved\nEND:VEVENT
BEGIN:VEVENT\nUID:nye\nRECURRENCE-ID;TZID=Europe/Berlin:20281231T170000\nDTSTART;TZID=Europe/Berlin:20281229T180000\nSUMMARY:an hour off\nEND:VEVENT
BEGIN:VEVENT\nUID:nye\nRECURRENCE-ID;VALUE=DATE:20291231\nDTSTART;TZID=Europe/Berlin:20291231T180000\nSTATUS:CANCELLED\nSUMMARY:nye\nEND:VEVENT
BEGIN:VEVENT\nUID:nye\nRECURRENCE-ID;TZID=America/New_York:20301231T120000\nDTSTART;TZID=Europe/Berlin:20301231T180000\nSTATUS:CANCELLED\nSUMMARY:nye\nEND:VEVENT
BEGIN:VEVENT\nUID:nye\nRECURRENCE-ID;TZID=Mars/Olympus:20311231T180000\nDTSTART;TZID=Europe/Berlin:20311230T180000\nSUMMARY:mars\nEND:VEVENT`);
      // nye: 31 Dec 18:00 in Berlin (+01:00, 17:00Z), 2026 to 2031. 2027-12-31T17:00Z is that
      // year's occurrence: it moves to the 30th. 17:00 in Berlin in 2028 is an hour before the
      // occurrence, so it names none: skipped, 2028-12-31 stays and its 29th is not taken. The date
      // 2029-12-31 takes out the occurrence on that date. 12:00 in New York (-05:00) on
      // 31 Dec 2030 is 17:00Z, the occurrence: both cancelled, 2029 and 2030 have no holiday.
      // Mars/Olympus is no zone, so 2031's override names no instant: skipped, 2031-12-31 stays.
      expect(named(timed, 'Europe/Berlin')).toEqual(['2026-12-31 nye', '2027-12-30 nye moved', '2028-12-31 nye', '2031-12-31 nye']);
      expect(parseHolidays(timed, 'Europe/Berlin', new Date('2026-06-01T00:00:00Z')).skipped).toEqual([
        { name: 'an hour off', start: '2028-12-29T18:00:00', reason: 'RECURRENCE-ID 2028-12-31T17:00:00: no occurrence of its series' },
        { name: 'nye', start: '2029-12-31T18:00:00', reason: 'cancelled (STATUS:CANCELLED)' },
        { name: 'nye', start: '2030-12-31T18:00:00', reason: 'cancelled (STATUS:CANCELLED)' },
        { name: 'mars', start: '2031-12-30T18:00:00', reason: 'RECURRENCE-ID 2031-12-31T18:00:00: unknown time zone Mars/Olympus' },
      ]);
      // A series at 00:30 on 1 January in Berlin, 2027 to 2031: its 2032 occurrence, the first past
      // the years expanded, is 23:30Z on 31 December 2031. A RECURRENCE-ID written so is on the day
      // before that occurrence's date, and still whether it names one cannot be told: it gives its
      // own day, 2 January 2032, and is not said to name no occurrence.
      const newYear = calendar(`BEGIN:VEVENT\nUID:ny\nDTSTART;TZID=Europe/Berlin:20270101T003000\nRRULE:FREQ=YEARLY\nSUMMARY:ny\nEND:VEVENT
BEGIN:VEVENT\nUID:ny\nRECURRENCE-ID:20311231T233000Z\nDTSTART;TZID=Europe/Berlin:20320102T003000\nSUMMARY:ny moved\nEND:VEVENT`);
      expect(named(newYear, 'Europe/Berlin')).toEqual([
        '2027-01-01 ny',
        '2028-01-01 ny',
        '2029-01-01 ny',
        '2030-01-01 ny',
        '2031-01-01 ny',
        '2032-01-02 ny moved',
      ]);
    });
  });

  it('skips an event ical.js cannot read, naming the line, and reads the rest of the file', () => {
    const file = `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//unreadable//EN
BEGIN:VEVENT\nUID:year\nDTSTART;VALUE=DATE:2017\nSUMMARY:Year\n  only\nEND:VEVENT
BEGIN:VEVENT\nUID:may\nDTSTART;VALUE=DATE:20260501\nRRULE:FREQ=FOO\nSUMMARY:May Day\nEND:VEVENT
BEGIN:VEVENT\nUID:new-year\nDTSTART;VALUE=DATE:20260101\nrrule:freq=yearly;bymonth=1;byyearday=1\nSUMMARY:New Year\nEND:VEVENT
BEGIN:VEVENT\nUID:xmas\nDTSTART;VALUE=DATE:20261225\nDTEND;VALUE=DATE:20261227\nRRULE:FREQ=YEARLY;COUNT=2\nSUMMARY:Christ\n mas
BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT15M\ngarbage\nEND:VALARM\nEND:VEVENT
BEGIN:VEVENT\nUID:xmas\nRECURRENCE-ID;VALUE=DATE:2027\nDTSTART;VALUE=DATE:20271228\nSUMMARY:Christmas moved\nEND:VEVENT
END:VCALENDAR\n`.replace(/\n/g, '\r\n');
    const { holidays, skipped } = parseHolidays(file, 'UTC', new Date('2026-06-01T00:00:00Z'));
    // xmas: 25 Dec 2026 to 27 Dec exclusive, yearly twice, so the 25th and 26th of 2026 and 2027.
    // Its SUMMARY is folded ('Christ' + 'mas'). Its VALARM has a line that is no property at all,
    // but an alarm is not read, so it does not matter. New Year's rule is read too (day 1 of the
    // year, in January: 1 January), up to 2031, five years past 2026; ical.js refused it whole
    // ("Invalid BYYEARDAY rule"), though RFC 5545 allows BYYEARDAY with BYMONTH.
    expect(holidays.map((h) => `${h.day} ${h.name}`)).toEqual([
      '2026-01-01 New Year',
      '2026-12-25 Christmas',
      '2026-12-26 Christmas',
      '2027-01-01 New Year',
      '2027-12-25 Christmas',
      '2027-12-26 Christmas',
      ...[2028, 2029, 2030, 2031].map((year) => `${year}-01-01 New Year`),
    ]);
    // Each of the others is skipped, with its folded SUMMARY ('Year' + ' only': the fold takes the
    // first space), its DTSTART (as written when that is what cannot be read) and the line:
    // 2017 is no date; FOO no frequency (ical.js refused the whole file on it); and the override
    // of xmas has no date in its RECURRENCE-ID, so it replaces nothing and 2027-12-25 stays.
    expect(skipped).toEqual([
      { name: 'Year only', start: '2017', reason: 'cannot read DTSTART;VALUE=DATE:2017' },
      { name: 'May Day', start: '2026-05-01', reason: 'cannot read RRULE:FREQ=FOO' },
      { name: 'Christmas moved', start: '2027-12-28', reason: 'cannot read RECURRENCE-ID;VALUE=DATE:2027' },
    ]);
    // A line that is no property outside any event is no iCalendar: the file is refused as before.
    const broken = file.replace('VERSION:2.0', 'VERSION:2.0\r\ngarbage');
    expect(() => parseHolidays(broken, 'UTC')).toThrow('invalid line');
  });

  it('throws on text that is not iCalendar', () => {
    expect(() => parseHolidays('hello, world', 'UTC')).toThrow();
  });
});
