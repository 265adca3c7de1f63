import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';

export interface ImportedHoliday {
  day: string;
  name: string | null;
}

/** An event left out, with the start it gave and why. */
export interface SkippedHoliday {
  name: string | null;
  start: string;
  reason: string;
}

/** The days a calendar may hold, as every date the API takes (1900-01-01 to 2999-12-31). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2999;

const DAY_MS = 86_400_000;
/** Recurring holidays are expanded this many years past the current one. */
const YEARS_AHEAD = 5;
const MAX_OCCURRENCES = 1_000;

/**
 * Holidays (dates in the calendar's `zone`) from an iCalendar file: every day an event covers;
 * yearly and other recurring events expanded up to YEARS_AHEAD years from now. An event that
 * starts on no real day (ical.js reads 20160231 as given, and the date would roll over into
 * 2 March), outside the years 1900-2999, or in a time zone neither the file defines nor the IANA
 * database knows is skipped, with why. Throws on a file that is not iCalendar.
 */
export function parseHolidays(
  text: string,
  zone: string,
  now = new Date(),
): { holidays: ImportedHoliday[]; skipped: SkippedHoliday[] } {
  const root = new ICAL.Component(ICAL.parse(text));
  const until = now.getUTCFullYear() + YEARS_AHEAD;
  const found = new Map<string, string | null>();
  const skipped: SkippedHoliday[] = [];

  for (const vevent of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    if (!event.startDate) continue;
    const name = event.summary ?? null;
    const written = writtenStart(vevent);
    const problem = startProblem(written) ?? zoneProblem(root, vevent);
    if (problem) {
      skipped.push({ name, start: written, reason: problem });
      continue;
    }
    const place = placer(event, vevent, zone);

    const starts: ICAL.Time[] = [];
    if (event.isRecurring()) {
      const iterator = event.iterator();
      const plainYearly = isPlainYearly(vevent);
      let next = iterator.next();
      for (; next && next.year <= until && starts.length < MAX_OCCURRENCES; next = iterator.next()) {
        // A yearly 29 February: ical.js rolls the years without one over into 1 March, where
        // RFC 5545 has no occurrence.
        if (plainYearly && (next.month !== event.startDate.month || next.day !== event.startDate.day)) continue;
        starts.push(next);
      }
      if (next && next.year <= until) {
        skipped.push({ name, start: written, reason: `recurs more than ${MAX_OCCURRENCES} times; the first ${MAX_OCCURRENCES} were taken` });
      }
    } else {
      starts.push(event.startDate);
    }

    for (const start of starts) {
      const { first, days } = place(start);
      for (let i = 0; i < days; i++) {
        const day = new Date(first + i * DAY_MS).toISOString().slice(0, 10);
        if (day.slice(0, 4) > String(LAST_YEAR)) break;
        if (!found.has(day)) found.set(day, name);
      }
    }
  }
  const holidays = [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, name]) => ({ day, name }));
  return { holidays, skipped };
}

/** Whether the event recurs yearly on its start's date alone (no BYMONTH, BYDAY or the like). */
function isPlainYearly(vevent: ICAL.Component): boolean {
  const rule = vevent.getFirstPropertyValue('rrule') as ICAL.Recur | null;
  if (!rule || rule.freq !== 'YEARLY') return false;
  return Object.keys(rule.parts ?? {}).length === 0 && vevent.getAllProperties('rdate').length === 0;
}

/**
 * An event's DTSTART as the file writes it (ical.js gives it as YYYY-MM-DD..., before its Time
 * rolls an impossible day over into the next month).
 */
function writtenStart(vevent: ICAL.Component): string {
  const property = vevent.getFirstProperty('dtstart');
  return String((property?.jCal as unknown[] | undefined)?.[3] ?? '');
}

/** Why a written start is no day a calendar can hold, or null. */
function startProblem(written: string): string | null {
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(written);
  if (!date) return 'no such day';
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate())) {
    return 'no such day';
  }
  if (year < FIRST_YEAR || year > LAST_YEAR) return `not a day from ${FIRST_YEAR} to ${LAST_YEAR}`;
  return null;
}

/** A TZID of the event's start or end that neither a VTIMEZONE of the file nor the IANA database defines. */
function zoneProblem(root: ICAL.Component, vevent: ICAL.Component): string | null {
  for (const property of ['dtstart', 'dtend']) {
    const named = tzid(vevent, property);
    if (named !== null && !root.getTimeZoneByID(named) && !IANAZone.isValidZone(named)) return `unknown time zone ${named}`;
  }
  return null;
}

/**
 * Where an occurrence starting at `start` falls in the calendar's zone: its first day (epoch ms
 * of its UTC midnight) and how many days it covers. An all-day event covers its dates, DTEND
 * exclusive. A timed one covers the zone's dates from the one it starts on up to the one it ends
 * on, that one excluded, and at least the first: 23:00Z on 24 December is Christmas Day in
 * Berlin, and an evening running past midnight does not take the next day's work away.
 */
function placer(event: ICAL.Event, vevent: ICAL.Component, zone: string): (start: ICAL.Time) => { first: number; days: number } {
  const start = event.startDate;
  if (start.isDate) {
    const days = event.endDate ? span(utcDay(start), utcDay(event.endDate)) : 1;
    return (occurrence) => ({ first: utcDay(occurrence), days });
  }
  const startZone = tzid(vevent, 'dtstart');
  // Without DTEND, ical.js gives the end DURATION implies, in the start's zone.
  const endZone = vevent.hasProperty('dtend') ? tzid(vevent, 'dtend') : startZone;
  const length = event.endDate ? instant(event.endDate, endZone, zone) - instant(start, startZone, zone) : 0;
  return (occurrence) => {
    const from = instant(occurrence, startZone, zone);
    const first = zoneDay(from, zone);
    return { first, days: span(first, zoneDay(from + length, zone)) };
  };
}

/** Days from a first day to an exclusive end day (epoch ms of UTC midnights): at least one, at most a year. */
function span(first: number, end: number): number {
  return Math.max(1, Math.min(Math.round((end - first) / DAY_MS), 366));
}

/** A date as the epoch ms of its UTC midnight. */
function utcDay(time: ICAL.Time): number {
  return Date.UTC(time.year, time.month - 1, time.day);
}

/** The TZID a property names, if any. */
function tzid(vevent: ICAL.Component, property: string): string | null {
  const value = vevent.getFirstProperty(property)?.getParameter('tzid');
  return typeof value === 'string' ? value : null;
}

/**
 * The instant (epoch ms) an event time stands for: one in UTC or in a zone the file defines as
 * ical.js reads it; one with another TZID in that IANA zone; a floating time in the calendar's.
 */
function instant(time: ICAL.Time, tzid: string | null, zone: string): number {
  if (time.zone === ICAL.Timezone.utcTimezone || time.zone?.component) return time.toUnixTime() * 1000;
  const { year, month, day, hour, minute, second } = time;
  return DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: tzid ?? zone }).toMillis();
}

/** The calendar-zone date of an instant, as epoch ms of its UTC midnight. */
function zoneDay(ms: number, zone: string): number {
  const local = DateTime.fromMillis(ms, { zone });
  return Date.UTC(local.year, local.month - 1, local.day);
}
