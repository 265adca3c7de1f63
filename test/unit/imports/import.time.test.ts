import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../server/src/imports/import.copy';
import { timeProblem, TimeReader } from '../../../server/src/imports/import.time';

describe('TimeReader', () => {
  const utcReader = new TimeReader('UTC');

  it('reads the sources day-first formats without a zone as UTC by default', () => {
    // ServiceNow d/m/yyyy H:MM, no leading zeros on day and month.
    expect(utcReader.read('29/2/2016 01:16')?.toISOString()).toBe('2016-02-29T01:16:00.000Z');
    expect(utcReader.read('5/3/2016 12:00')?.toISOString()).toBe('2016-03-05T12:00:00.000Z');
    // BPI 2014 dd/mm/yyyy HH:MM:SS.
    expect(utcReader.read('05/02/2012 13:32:57')?.toISOString()).toBe('2012-02-05T13:32:57.000Z');
    // The activity log's yyyy-mm-dd HH:MM:SS.
    expect(utcReader.read('2013-10-04 10:59:40')?.toISOString()).toBe('2013-10-04T10:59:40.000Z');
  });

  it('keeps an offset written in the time, whatever the import zone', () => {
    const berlin = new TimeReader('Europe/Berlin');
    // 09:00 at +02:00 is 07:00 UTC.
    expect(berlin.read('2024-04-01 09:00:00+02:00')?.toISOString()).toBe('2024-04-01T07:00:00.000Z');
    expect(berlin.read('2024-04-01T09:00:00Z')?.toISOString()).toBe('2024-04-01T09:00:00.000Z');
    // -0330 is 3 h 30 min behind UTC: 09:00 local is 12:30 UTC.
    expect(berlin.read('2024-04-01T09:00:00.250-0330')?.toISOString()).toBe('2024-04-01T12:30:00.250Z');
  });

  it('reads zoneless times in Europe/Berlin across the change to summer time', () => {
    const berlin = new TimeReader('Europe/Berlin');
    // 31 March 2024: clocks jump from 02:00 CET (+01) to 03:00 CEST (+02).
    // 01:30 CET = 00:30 UTC; 03:30 CEST = 01:30 UTC: two wall-clock hours apart, one real hour.
    const before = berlin.read('31/03/2024 01:30:00')!;
    const after = berlin.read('31/03/2024 03:30:00')!;
    expect(before.toISOString()).toBe('2024-03-31T00:30:00.000Z');
    expect(after.toISOString()).toBe('2024-03-31T01:30:00.000Z');
    expect((after.getTime() - before.getTime()) / 3_600_000).toBe(1);
    // And back on 27 October 2024: 12:00 CET (+01) = 11:00 UTC.
    expect(berlin.read('2024-10-27 12:00')?.toISOString()).toBe('2024-10-27T11:00:00.000Z');
  });

  it('reads the repeated hour when clocks go back at its later, standard-time offset', () => {
    const berlin = new TimeReader('Europe/Berlin');
    // 30 October 2016: 03:00 CEST (+02) becomes 02:00 CET (+01), so 02:30 happens twice:
    // 00:30 UTC (summer) and 01:30 UTC (winter). The later offset, as PostgreSQL chooses: 01:30 UTC.
    expect(berlin.read('2016-10-30T02:30:00')?.toISOString()).toBe('2016-10-30T01:30:00.000Z');
    expect(berlin.read('30/10/2016 02:30')?.toISOString()).toBe('2016-10-30T01:30:00.000Z');
  });

  it('answers undefined for what is no time', () => {
    for (const text of ['31/2/2016 10:00', '6/3/2016 25:00', 'yesterday', '2016-13-01', '']) {
      expect(utcReader.read(text), text).toBeUndefined();
    }
  });

  it('reads yyyy-mm-ddTHH:MM:SSZ on its fast path exactly as the general one does', () => {
    // 2024-02-29 is a leap day; 1,709,164,800 s is 2024-02-29T00:00:00Z (19,782 days x 86,400 s),
    // and 13:45:07 adds 49,507 s.
    expect(utcReader.read('2024-02-29T13:45:07Z')?.getTime()).toBe((1_709_164_800 + 49_507) * 1000);
    // The zone does not matter when the time says Z.
    expect(new TimeReader('Europe/Berlin').read('2024-07-01T00:00:00Z')?.toISOString()).toBe('2024-07-01T00:00:00.000Z');
    // 2023 is no leap year; 2000 is one (divisible by 400), 1900 is not (by 100 only).
    for (const text of ['2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2024-04-31T10:00:00Z', '2024-01-01T24:00:00Z',
      '2024-01-01T10:60:00Z', '2024-01-01T10:00:60Z', '2024-00-10T10:00:00Z', '2024-1a-10T10:00:00Z']) {
      expect(utcReader.read(text), text).toBeUndefined();
    }
    expect(utcReader.read('2000-02-29T23:59:59Z')?.toISOString()).toBe('2000-02-29T23:59:59.000Z');
    // Forms beside the fast path still take the general one: lower-case z, a space, an offset.
    expect(utcReader.read('2024-02-29t13:45:07z')?.toISOString()).toBe('2024-02-29T13:45:07.000Z');
    expect(utcReader.read('2024-02-29 13:45:07Z')?.toISOString()).toBe('2024-02-29T13:45:07.000Z');
    expect(utcReader.read('2024-02-29T13:45:07+01:00')?.toISOString()).toBe('2024-02-29T12:45:07.000Z');
  });

  it('reads every day from 1900 to 2999 on its fast path to the instant, and keeps its ISO text right', () => {
    // The fast path counts days itself, so every day of the range is checked against Date's own
    // reading, at a time of day that moves by 7 919 s a day; the text the import writes back
    // (isoTime, kept on the Date) must be Date's toISOString to the character.
    const first = Date.UTC(1900, 0, 1);
    const days = (Date.UTC(3000, 0, 1) - first) / 86_400_000;
    let wrong = 0;
    for (let day = 0; day < days; day++) {
      const expected = new Date(first + day * 86_400_000 + ((day * 7919) % 86_400) * 1000).toISOString();
      const text = expected.slice(0, 19) + 'Z';
      const at = utcReader.read(text);
      if (at?.toISOString() !== expected || isoTime(at) !== expected) wrong++;
    }
    // 1 100 years of 365 days and 267 leap days: 275 years divisible by 4, less the eight
    // centuries not divisible by 400 (1900, 2100, 2200, 2300, 2500, 2600, 2700, 2900).
    expect(days).toBe(401_767);
    expect(wrong).toBe(0);
  });

  it('answers undefined for instants outside 1900-2999 and offsets past ±14:00', () => {
    const berlin = new TimeReader('Europe/Berlin');
    // Year 9999 once stopped every SLA refresh; years 0-99 came back from Date.UTC as 1900-1999.
    for (const text of ['9999-12-30T00:00:00Z', '3000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '0025-03-01T10:00:00Z',
      '01/03/0025 10:00', '31/12/1899 23:59', '1899-12-31T23:59:59Z']) {
      expect(utcReader.read(text), text).toBeUndefined();
      expect(berlin.read(text), `${text} in Berlin`).toBeUndefined();
    }
    // The edges themselves: 1900-01-01 00:00 UTC is in, 2999-12-31 23:59:59 UTC too.
    expect(utcReader.read('1900-01-01T00:00:00Z')?.toISOString()).toBe('1900-01-01T00:00:00.000Z');
    expect(utcReader.read('2999-12-31T23:59:59Z')?.toISOString()).toBe('2999-12-31T23:59:59.000Z');
    // The range is of UTC instants, whatever year the text writes: 00:00 on 1 January 3000 at
    // +01:00 is 23:00 UTC on 31 December 2999; 23:30 on 31 December 1899 at -01:00 is 00:30 UTC on
    // 1 January 1900; Tokyo (+09:00) reaches 3000 UTC at 09:00 local.
    expect(utcReader.read('3000-01-01T00:00:00+01:00')?.toISOString()).toBe('2999-12-31T23:00:00.000Z');
    expect(utcReader.read('1899-12-31T23:30:00-01:00')?.toISOString()).toBe('1900-01-01T00:30:00.000Z');
    const tokyo = new TimeReader('Asia/Tokyo');
    expect(tokyo.read('3000-01-01 08:59')?.toISOString()).toBe('2999-12-31T23:59:00.000Z');
    expect(tokyo.read('3000-01-01 09:00')).toBeUndefined();
    // Offsets: +14:00 (Kiritimati) is the widest; +25:00, +99:99 and a minute 60 are no offsets.
    expect(utcReader.read('2025-03-01T10:00:00+14:00')?.toISOString()).toBe('2025-02-28T20:00:00.000Z');
    expect(utcReader.read('2025-03-01T10:00:00-12:00')?.toISOString()).toBe('2025-03-01T22:00:00.000Z');
    for (const text of ['2025-03-01T10:00:00+99:99', '2025-03-01T10:00:00+25:00', '2025-03-01T10:00:00+14:01', '2025-03-01T10:00:00+05:60']) {
      expect(utcReader.read(text), text).toBeUndefined();
    }
  });

  it('refuses an unknown zone', () => {
    expect(() => new TimeReader('Mars/Olympus')).toThrow(/unknown time zone/);
  });
});

// Each text below fails TimeReader.read (checked first); the reason says why, by the rules of
// timeProblem: no form it reads, a form naming no such day or time, an offset past ±14:00, or a
// year outside 1900-2999.
describe('timeProblem', () => {
  const forms = '(write it as 2016-03-02 10:00, 2016-03-02T10:00:00Z or 2/3/2016 10:00, day first)';
  it.each([
    ['March 2 2016', `not a time: "March 2 2016" ${forms}`],
    ['03/02/2016 10:00 PM', `not a time: "03/02/2016 10:00 PM" ${forms}`],
    ['1458000000', `not a time: "1458000000" ${forms}`],
    ['20160302T100000Z', `not a time: "20160302T100000Z" ${forms}`],
    ['soon', `not a time: "soon" ${forms}`],
    ['2016-02-30 10:00', 'no such date or time: "2016-02-30 10:00"'],
    ['31/02/2013 10:00:00', 'no such date or time: "31/02/2013 10:00:00"'],
    ['2016-03-02T25:00:00Z', 'no such date or time: "2016-03-02T25:00:00Z"'],
    ['6/3/2016 25:00', 'no such date or time: "6/3/2016 25:00"'],
    ['2025-03-01T10:00:00+14:01', 'no such offset: "2025-03-01T10:00:00+14:01" (at most ±14:00)'],
    ['9999-01-01T00:00:00Z', 'not a time from 1900 to 2999: "9999-01-01T00:00:00Z"'],
    ['3000-01-01T00:00:00Z', 'not a time from 1900 to 2999: "3000-01-01T00:00:00Z"'],
    ['1/1/0025', 'not a time from 1900 to 2999: "1/1/0025"'],
    // In range as written, past 2999 once the offset is applied (23:00 at -05:00 is 04:00 UTC on 1 January 3000).
    ['2999-12-31T23:00:00-05:00', 'not a time from 1900 to 2999: "2999-12-31T23:00:00-05:00"'],
    // 00:30 at +01:00 is 23:30 UTC on 31 December 1899.
    ['1900-01-01T00:30:00+01:00', 'not a time from 1900 to 2999: "1900-01-01T00:30:00+01:00"'],
  ])('%s', (text, reason) => {
    expect(new TimeReader('UTC').read(text)).toBeUndefined();
    expect(timeProblem(text)).toBe(reason);
  });
});
