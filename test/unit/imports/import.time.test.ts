import { describe, expect, it } from 'vitest';
import { TimeReader } from '../../../server/src/imports/import.time';

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

  it('answers undefined for what is no time', () => {
    for (const text of ['31/2/2016 10:00', '6/3/2016 25:00', 'yesterday', '2016-13-01', '']) {
      expect(utcReader.read(text), text).toBeUndefined();
    }
  });

  it('refuses an unknown zone', () => {
    expect(() => new TimeReader('Mars/Olympus')).toThrow(/unknown time zone/);
  });
});
