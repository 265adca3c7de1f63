import ICAL from 'ical.js';

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
 * Holidays (local dates) from an iCalendar file: every day an event covers, all-day or not;
 * yearly and other recurring events expanded up to YEARS_AHEAD years from now. An event that
 * starts on no real day (ical.js reads 20160231 as given, and the date would roll over into
 * 2 March) or outside the years 1900-2999 is skipped, with why. Throws on a file that is not
 * iCalendar.
 */
export function parseHolidays(text: string, now = new Date()): { holidays: ImportedHoliday[]; skipped: SkippedHoliday[] } {
  const root = new ICAL.Component(ICAL.parse(text));
  const until = now.getUTCFullYear() + YEARS_AHEAD;
  const found = new Map<string, string | null>();
  const skipped: SkippedHoliday[] = [];

  for (const vevent of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    if (!event.startDate) continue;
    const name = event.summary ?? null;
    const written = writtenStart(vevent);
    const problem = startProblem(written);
    if (problem) {
      skipped.push({ name, start: written, reason: problem });
      continue;
    }
    const spanDays = daysCovered(event.startDate, event.endDate);

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
      const first = Date.UTC(start.year, start.month - 1, start.day);
      for (let i = 0; i < spanDays; i++) {
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

/** Days an event covers: DTEND is exclusive for all-day events; a timed event covers its start day. */
function daysCovered(start: ICAL.Time, end: ICAL.Time | null): number {
  if (!end || !start.isDate) return 1;
  const days = Math.round(
    (Date.UTC(end.year, end.month - 1, end.day) - Date.UTC(start.year, start.month - 1, start.day)) / DAY_MS,
  );
  return Math.max(1, Math.min(days, 366));
}
