import { describe, expect, it } from 'vitest';
import { normaliseDay, WorkCalendar } from '../../../server/src/sla/sla.calendar';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const MINUTE = 60_000;

const everyDay = (from: string, to: string) => ({
  mon: [[from, to]] as [string, string][],
  tue: [[from, to]] as [string, string][],
  wed: [[from, to]] as [string, string][],
  thu: [[from, to]] as [string, string][],
  fri: [[from, to]] as [string, string][],
  sat: [[from, to]] as [string, string][],
  sun: [[from, to]] as [string, string][],
});

const officeHours = {
  mon: [['09:00', '17:00']] as [string, string][],
  tue: [['09:00', '17:00']] as [string, string][],
  wed: [['09:00', '17:00']] as [string, string][],
  thu: [['09:00', '17:00']] as [string, string][],
  fri: [['09:00', '17:00']] as [string, string][],
};

describe('WorkCalendar', () => {
  it('case 1: Sao Paulo 08:00-20:00, 4 h from Saturday 19:00 across the 2018-11-04 spring-forward', () => {
    const calendar = new WorkCalendar({
      timezone: 'America/Sao_Paulo',
      kind: 'weekly',
      weekly: everyDay('08:00', '20:00'),
      holidays: [],
    });
    // Sat 3 Nov 19:00 -03:00 = 22:00 UTC. Working 19:00-20:00 Saturday = 1 h; clocks jump
    // 00:00 -> 01:00 that night (offset -02:00 from then on); Sunday 08:00-11:00 = the other 3 h.
    // Due Sunday 11:00 -02:00 = 13:00 UTC.
    const opened = at('2018-11-03T22:00:00Z');
    expect(calendar.addWorking(opened, 4 * HOUR)).toBe(at('2018-11-04T13:00:00Z'));
    // Wall time is 15 h (22:00 -> 13:00 UTC) but working time exactly 4 h.
    expect(calendar.workingMs(opened, at('2018-11-04T13:00:00Z'))).toBe(4 * HOUR);
  });

  it('the 23-hour spring-forward day and the 25-hour fall-back day of a whole-day calendar', () => {
    const calendar = new WorkCalendar({
      timezone: 'America/Sao_Paulo',
      kind: 'weekly',
      weekly: everyDay('00:00', '24:00'),
      holidays: [],
    });
    // 2018-11-04 runs from 01:00 -02:00 (00:00 does not exist) = 03:00 UTC to 5 Nov 00:00 -02:00
    // = 02:00 UTC: 23 hours.
    const sunday = calendar.localDay(at('2018-11-04T12:00:00Z'));
    expect(calendar.workingMs(at('2018-11-03T00:00:00Z'), at('2018-11-06T00:00:00Z'))).toBe(72 * HOUR);
    expect(calendar.intervalsOn(sunday)).toEqual([[at('2018-11-04T03:00:00Z'), at('2018-11-05T02:00:00Z')]]);
    // 2019-02-16 runs from 00:00 -02:00 = 02:00 UTC to 17 Feb 00:00 -03:00 = 03:00 UTC: 25 hours.
    const saturday = calendar.localDay(at('2019-02-16T12:00:00Z'));
    const [[start, end]] = calendar.intervalsOn(saturday);
    expect(end - start).toBe(25 * HOUR);
  });

  it('a 25-hour fall-back day adds no working hour that was not on the clock', () => {
    const calendar = new WorkCalendar({
      timezone: 'America/Sao_Paulo',
      kind: 'weekly',
      weekly: everyDay('08:00', '20:00'),
      holidays: [],
    });
    // Clocks fall back 00:00 -> 23:00 on the night of Sat 16 Feb 2019. Sat 19:00 -02:00 = 21:00
    // UTC; 1 h to 20:00 Saturday, then Sunday 08:00 -03:00 (11:00 UTC) + 3 h = 11:00 -03:00 =
    // 14:00 UTC. The repeated hour 23:00-24:00 lies outside 08:00-20:00 and adds nothing.
    expect(calendar.addWorking(at('2019-02-16T21:00:00Z'), 4 * HOUR)).toBe(at('2019-02-17T14:00:00Z'));
    // Berlin, 08:00-20:00 on Sun 28 Oct 2018 (03:00 -> 02:00): 08:00 +01:00 = 07:00 UTC to
    // 20:00 +01:00 = 19:00 UTC = 12 h, not 13.
    const berlin = new WorkCalendar({ timezone: 'Europe/Berlin', kind: 'weekly', weekly: everyDay('08:00', '20:00'), holidays: [] });
    expect(berlin.workingMs(at('2018-10-27T22:00:00Z'), at('2018-10-28T23:00:00Z'))).toBe(12 * HOUR);
  });

  it('case 2: a 24x7 calendar entered as 00:00-23:59 is due at 00:30 for 60 minutes from 23:30', () => {
    const calendar = new WorkCalendar({ timezone: 'UTC', kind: 'weekly', weekly: everyDay('00:00', '23:59'), holidays: [] });
    // 23:30-24:00 = 30 min (23:59 as an end means 24:00), then 00:00-00:30 = 30 min -> 00:30.
    expect(calendar.addWorking(at('2026-03-10T23:30:00Z'), 60 * MINUTE)).toBe(at('2026-03-11T00:30:00Z'));
    // A whole week of such days is 7 x 24 h = 168 h, not 7 x 23 h 59.
    expect(calendar.workingMs(at('2026-03-09T00:00:00Z'), at('2026-03-16T00:00:00Z'))).toBe(168 * HOUR);
  });

  it('a holiday is a day with no working time', () => {
    const calendar = new WorkCalendar({ timezone: 'Europe/Berlin', kind: 'weekly', weekly: officeHours, holidays: ['2026-12-25'] });
    // Thu 24 Dec 2026 16:00 +01:00 = 15:00 UTC; 4 h: 1 h Thursday (16:00-17:00), Friday 25 is a
    // holiday, the weekend has no hours, Monday 28 09:00-12:00 = 3 h -> 12:00 +01:00 = 11:00 UTC.
    expect(calendar.addWorking(at('2026-12-24T15:00:00Z'), 4 * HOUR)).toBe(at('2026-12-28T11:00:00Z'));
    // Mon 21 .. Sun 27 Dec: 4 working days x 8 h = 32 h.
    expect(calendar.workingMs(at('2026-12-20T23:00:00Z'), at('2026-12-27T23:00:00Z'))).toBe(32 * HOUR);
  });

  it('several intervals per day, merged where they overlap', () => {
    const split: [string, string][] = [['13:00', '17:00'], ['08:00', '12:00'], ['16:00', '18:00']];
    // Sorted and merged: 08:00-12:00 and 13:00-18:00.
    expect(normaliseDay(split)).toEqual([[480, 720], [780, 1080]]);
    const calendar = new WorkCalendar({ timezone: 'UTC', kind: 'weekly', weekly: { wed: split }, holidays: [] });
    // From Wed 2026-03-11 11:00: 1 h to 12:00, lunch 12:00-13:00 not counted, 2 h more -> 15:00.
    expect(calendar.addWorking(at('2026-03-11T11:00:00Z'), 3 * HOUR)).toBe(at('2026-03-11T15:00:00Z'));
    // The whole Wednesday: 4 h + 5 h = 9 h.
    expect(calendar.workingMs(at('2026-03-11T00:00:00Z'), at('2026-03-12T00:00:00Z'))).toBe(9 * HOUR);
  });

  it('a 24x7 calendar counts wall time; a calendar without working time never falls due', () => {
    const always = new WorkCalendar({ timezone: 'Europe/Berlin', kind: '24x7', weekly: {}, holidays: [] });
    // 25 Oct 2026 is Berlin's 25-hour day: 24x7 counts all 25 real hours.
    expect(always.workingMs(at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * HOUR);
    const never = new WorkCalendar({ timezone: 'UTC', kind: 'weekly', weekly: {}, holidays: [] });
    expect(never.addWorking(at('2026-01-01T00:00:00Z'), MINUTE)).toBeNull();
  });

  it('rejects intervals that end before they start or are not times of day', () => {
    expect(() => normaliseDay([['17:00', '09:00']])).toThrow(/ends before it starts/);
    // One that ends when it starts has no length, which is what it is told (not that it ends before).
    expect(() => normaliseDay([['09:00', '09:00']])).toThrow('interval 09:00-09:00 ends when it starts (an interval needs a length)');
    expect(() => normaliseDay([['9am', '17:00']])).toThrow(/HH:MM/);
  });
});
