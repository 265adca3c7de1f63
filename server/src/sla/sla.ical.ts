import ICAL from 'ical.js';

export interface ImportedHoliday {
  day: string;
  name: string | null;
}

const DAY_MS = 86_400_000;
/** Recurring holidays are expanded this many years past the current one. */
const YEARS_AHEAD = 5;
const MAX_OCCURRENCES = 1_000;

/**
 * Holidays (local dates) from an iCalendar file: every day an event covers, all-day or not;
 * yearly and other recurring events expanded up to YEARS_AHEAD years from now. Throws on a file
 * that is not iCalendar.
 */
export function parseHolidays(text: string, now = new Date()): ImportedHoliday[] {
  const root = new ICAL.Component(ICAL.parse(text));
  const until = now.getUTCFullYear() + YEARS_AHEAD;
  const found = new Map<string, string | null>();

  for (const vevent of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    if (!event.startDate) continue;
    const name = event.summary ?? null;
    const spanDays = daysCovered(event.startDate, event.endDate);

    const starts: ICAL.Time[] = [];
    if (event.isRecurring()) {
      const iterator = event.iterator();
      for (let next = iterator.next(); next && next.year <= until && starts.length < MAX_OCCURRENCES; next = iterator.next()) {
        starts.push(next);
      }
    } else {
      starts.push(event.startDate);
    }

    for (const start of starts) {
      const first = Date.UTC(start.year, start.month - 1, start.day);
      for (let i = 0; i < spanDays; i++) {
        const day = new Date(first + i * DAY_MS).toISOString().slice(0, 10);
        if (!found.has(day)) found.set(day, name);
      }
    }
  }
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, name]) => ({ day, name }));
}

/** Days an event covers: DTEND is exclusive for all-day events; a timed event covers its start day. */
function daysCovered(start: ICAL.Time, end: ICAL.Time | null): number {
  if (!end || !start.isDate) return 1;
  const days = Math.round(
    (Date.UTC(end.year, end.month - 1, end.day) - Date.UTC(start.year, start.month - 1, start.day)) / DAY_MS,
  );
  return Math.max(1, Math.min(days, 366));
}
