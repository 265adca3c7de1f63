import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';

export interface ImportedHoliday {
  day: string;
  name: string | null;
}

/** An event left out, or a part of one not read (an EXDATE, occurrences past 1 000), with the start it gave and why. */
export interface SkippedHoliday {
  name: string | null;
  start: string;
  reason: string;
}

/** A time as the file writes it, with the TZID it is written in. */
interface Written {
  time: ICAL.Time;
  tzid: string | null;
}

/** A start in an event's recurrence set, with the TZID it is written in and a PERIOD's own end. */
interface Occurrence {
  start: ICAL.Time;
  tzid: string | null;
  end?: ICAL.Time;
}

/** The days a calendar may hold, as every date the API takes (1900-01-01 to 2999-12-31). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2999;
const FIRST_DAY = Date.UTC(FIRST_YEAR, 0, 1);
const LAST_DAY = Date.UTC(LAST_YEAR, 11, 31);
const OUT_OF_RANGE = `not a day from ${FIRST_YEAR} to ${LAST_YEAR}`;

const DAY_MS = 86_400_000;
/** Recurring holidays are expanded this many years past the current one. */
const YEARS_AHEAD = 5;
const MAX_OCCURRENCES = 1_000;
/** The most days one occurrence may cover: a leap year. */
const MAX_DAYS = 366;

/**
 * An event as read before its days are placed: the starts it gives (none when skipped), the
 * EXDATEs that take some out, and what is said about it. `known`: every start of its set before
 * that day (epoch ms of a UTC midnight) is among `starts`; a rule expanded up to the five years,
 * or to MAX_OCCURRENCES, may give more after it.
 */
interface Reading {
  event: ICAL.Event;
  name: string | null;
  said: SkippedHoliday[];
  starts: Occurrence[];
  excluded: Written[];
  known: number;
}

/**
 * What the overrides of a file do: the starts of their series they replace, those that replace
 * some (`replacing`), and why each one skipped is.
 */
interface Overriding {
  replaced: Set<Occurrence>;
  replacing: Set<ICAL.Component>;
  refused: Map<ICAL.Component, string>;
}

/**
 * Holidays (dates in the calendar's `zone`) from an iCalendar file: every day an event covers;
 * yearly and other recurring events expanded up to YEARS_AHEAD years from now. An event that
 * starts on no real day (ical.js reads 20160231 as given, and the date would roll over into
 * 2 March), outside the years 1900-2999, or in a time zone neither the file defines nor the IANA
 * database knows is skipped, with why, and so is one ical.js cannot read, and an override that
 * names no occurrence of its series, has a RANGE or gives way to a later revision (overrides),
 * and an event with the UID of another with a higher SEQUENCE, or the same and before it (a
 * duplicate). A cancelled series gives no day, nor do its overrides but those with a STATUS of
 * their own. Throws on a file that is not iCalendar.
 */
export function parseHolidays(
  text: string,
  zone: string,
  now = new Date(),
): { holidays: ImportedHoliday[]; skipped: SkippedHoliday[] } {
  const { root, events } = readCalendar(text);
  const until = now.getUTCFullYear() + YEARS_AHEAD;
  const found = new Map<string, string | null>();
  const skipped: SkippedHoliday[] = [];
  const vevents = events.filter((entry): entry is ICAL.Component => entry instanceof ICAL.Component);
  const isOverride = (vevent: ICAL.Component) => vevent.hasProperty('recurrence-id');
  // The masters first: an override is read against the series it names, wherever in the file.
  // A UID names one series (RFC 5545): of several events with one UID, no overrides, the one with
  // the highest SEQUENCE is kept, a later revision of the others; of equal ones the first, as
  // which is meant cannot be told. The others are skipped as duplicates.
  const masters = vevents.filter((vevent) => !isOverride(vevent));
  const kept = new Map<string, ICAL.Component>();
  for (const vevent of masters) {
    const uid = uidOf(vevent);
    const best = uid === null ? undefined : kept.get(uid);
    if (uid !== null && (!best || sequence(vevent) > sequence(best))) kept.set(uid, vevent);
  }
  const readings = new Map(
    masters.map((vevent) => {
      const uid = uidOf(vevent);
      const master = uid === null ? vevent : (kept.get(uid) as ICAL.Component);
      return [vevent, read(root, vevent, until, zone, master === vevent ? undefined : duplicated(uid as string, master, vevent, masters))];
    }),
  );
  // The series of each UID, and those cancelled (STATUS:CANCELLED on the master), expanded all
  // the same: an override of a cancelled series must still name one of its occurrences.
  const series = new Map<string, Reading>();
  const cancelledSeries = new Set<string>();
  for (const [uid, vevent] of kept) {
    const reading = cancelled(vevent) ? read(root, vevent, until, zone, undefined, true) : (readings.get(vevent) as Reading);
    if (cancelled(vevent)) cancelledSeries.add(uid);
    if (reading.starts.length > 0) series.set(uid, reading);
  }
  // An override skipped for what it says of itself (no real DTSTART, an unknown zone, an end
  // before its start or more than a year on) replaces nothing, as one that cannot be read: which
  // is wrong, its own day or the occurrence it names, cannot be told, and the series keeps that
  // occurrence. A cancelled one gives no day, and does replace its occurrence.
  const own = new Map(vevents.filter(isOverride).map((vevent) => [vevent, read(root, vevent, until, zone)]));
  const sound = vevents.filter((vevent) => isOverride(vevent) && (cancelled(vevent) || (own.get(vevent) as Reading).starts.length > 0));
  const { replaced, replacing, refused } = overrides(root, sound, series, cancelledSeries, zone);
  for (const [vevent, reading] of own) {
    // A cancelled override needs no DTSTART: one without is said to cancel, not to lack a start.
    const refusal = refused.get(vevent) ?? (cancelled(vevent) && !vevent.hasProperty('dtstart') ? undatedCancel(vevent, replacing.has(vevent)) : null);
    readings.set(vevent, refusal ? read(root, vevent, until, zone, refusal) : reading);
  }

  for (const entry of events) {
    if (!(entry instanceof ICAL.Component)) {
      skipped.push(entry);
      continue;
    }
    const { event, name, said, starts, excluded } = readings.get(entry) as Reading;
    skipped.push(...said);
    if (starts.length === 0) continue;
    const place = placer(event, entry, zone);
    const taken = matcher(excluded, zone);

    for (const occurrence of starts) {
      if (replaced.has(occurrence) || taken(occurrence)) continue;
      const placed = place(occurrence);
      const { first, days } = placed;
      // The calendar's zone can move a time on 1 January 1900 or 31 December 2999 out of the range.
      if (first < FIRST_DAY || first > LAST_DAY) {
        skipped.push({ name, start: occurrence.start.toString(), reason: OUT_OF_RANGE });
        continue;
      }
      // An RDATE period has its own end; the event's own was looked at as it was read.
      const problem = lengthProblem(placed);
      if (problem) {
        skipped.push({ name, start: occurrence.start.toString(), reason: problem });
        continue;
      }
      for (let i = 0; i < days && first + i * DAY_MS <= LAST_DAY; i++) {
        const day = new Date(first + i * DAY_MS).toISOString().slice(0, 10);
        if (!found.has(day)) found.set(day, name);
      }
    }
  }
  const holidays = [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, name]) => ({ day, name }));
  return { holidays, skipped };
}

/**
 * The calendar of a file and its events, each read on its own: ical.js reads a file whole, and
 * one value it cannot read (DTSTART;VALUE=DATE:2017, RRULE:FREQ=FOO) would refuse all of it, or
 * fail later on that event. Such an event is skipped instead, with the line it cannot read. What
 * is left (VCALENDAR, its VTIMEZONEs) must be iCalendar, or the file is refused.
 */
function readCalendar(text: string): { root: ICAL.Component; events: (ICAL.Component | SkippedHoliday)[] } {
  const { frame, blocks } = splitEvents(text);
  const root = new ICAL.Component(ICAL.parse(frame.join('\n')));
  // A bare VEVENT parses, as a component of its own with no event inside: said, not read as empty.
  if (root.name !== 'vcalendar') throw new Error(`it starts with BEGIN:${root.name.toUpperCase()}, not BEGIN:VCALENDAR`);
  return { root, events: blocks.map((lines) => readEvent(root, lines)) };
}

/**
 * A file's content lines, as ical.js reads them (split at LF or CRLF, a line starting with a
 * space or tab continuing the one before, empty lines left out), cut into those of each VEVENT of
 * a VCALENDAR, with what it nests, and the rest.
 */
function splitEvents(text: string): { frame: string[]; blocks: string[][] } {
  const lines: string[] = [];
  for (const raw of text.replace(/^[ \t]+/, '').split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (/^[ \t]/.test(line) && lines.length > 0) lines[lines.length - 1] += line.slice(1);
    else lines.push(line);
  }
  const frame: string[] = [];
  const blocks: string[][] = [];
  // The components begun and not yet ended; ical.js ends the last one begun, whatever END names.
  const open: string[] = [];
  let block: string[] | null = null;
  for (const line of lines.filter((line) => line !== '')) {
    const begun = /^begin:/i.test(line) ? line.slice(6).toLowerCase() : null;
    if (begun === 'vevent' && open.length === 1 && open[0] === 'vcalendar') blocks.push((block = []));
    (block ?? frame).push(line);
    if (begun !== null) open.push(begun);
    else if (/^end:/i.test(line) && open.pop() && open.length === 1) block = null;
  }
  return { frame, blocks };
}

/** The properties whose values are read here: one ical.js cannot read makes its event unreadable. */
const READ = new Set(['dtstart', 'dtend', 'duration', 'rrule', 'rdate', 'exdate', 'recurrence-id']);

/**
 * An event's lines read as an event of the calendar (where its TZIDs are looked up), or why they
 * cannot be. What it nests (VALARM) is not read, and left out: it cannot make the event unreadable.
 */
function readEvent(root: ICAL.Component, lines: string[]): ICAL.Component | SkippedHoliday {
  const own = ownLines(lines);
  const upper = own.map(upperRule);
  // The first line that spoils it: an RRULE with a part out of its range, or one ical.js cannot read.
  const problem = own
    .map((line, i) => (propertyName(line) === 'rrule' ? ruleProblem(line) : null) ?? (readable(upper[i]) ? null : `cannot read ${cut(line)}`))
    .find(Boolean);
  if (!problem) {
    const vevent = new ICAL.Component(ICAL.parse([lines[0], ...upper, 'END:VEVENT'].join('\n')));
    // Its RRULEs as the file writes them, in order, for what is said of them.
    const written = own.filter((line) => propertyName(line) === 'rrule');
    vevent.getAllProperties('rrule').forEach((property, i) => writtenRules.set(property, written[i]));
    return root.addSubcomponent(vevent);
  }
  const line = (name: string) => own.find((candidate) => propertyName(candidate) === name);
  const summary = line('summary');
  return {
    name: summary === undefined || !readable(summary) ? null : String(ICAL.parse.property(summary)[3]),
    start: startOf(line('dtstart')),
    reason: problem,
  };
}

/**
 * An RRULE line with its value in upper case, as ical.js reads it; another line as it is. RFC 5545
 * (2, 3.3.10) has rule part names and enumerated values (FREQ=WEEKLY, BYDAY=MO, WKST=SU) and,
 * by its grammar, the T and Z of an UNTIL case-insensitive, and an RRULE's value holds nothing
 * else; ical.js upper-cases the names alone and refused `freq=weekly;byday=mo`.
 */
function upperRule(line: string): string {
  if (propertyName(line) !== 'rrule') return line;
  const value = propertyValue(line);
  return line.slice(0, line.length - value.length) + value.toUpperCase();
}

/** The RRULE lines of the events read, as the file writes them: what is said of a rule quotes it so. */
const writtenRules = new WeakMap<ICAL.Property, string>();

/** A line as a message quotes it: its first 79 characters and an ellipsis when it is longer than 80. */
function cut(line: string): string {
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

const WEEKDAY = '(SU|MO|TU|WE|TH|FR|SA)';
const WEEKDAYS = 'a weekday (SU, MO, TU, WE, TH, FR or SA)';

/**
 * The values RFC 5545 (3.3.10) allows each BY part and WKST: a pattern (a sign where a count from
 * the end is allowed) and, for numbers, the range their size must be in, with how a message says it.
 */
const RULE_PARTS = new Map<string, { pattern: RegExp; from?: number; to?: number; allowed: string }>(Object.entries({
  BYSECOND: { pattern: /^\d+$/, from: 0, to: 60, allowed: 'a second from 0 to 60' },
  BYMINUTE: { pattern: /^\d+$/, from: 0, to: 59, allowed: 'a minute from 0 to 59' },
  BYHOUR: { pattern: /^\d+$/, from: 0, to: 23, allowed: 'an hour from 0 to 23' },
  BYDAY: {
    pattern: new RegExp(`^([+-]?\\d+)?${WEEKDAY}$`, 'i'),
    from: 1,
    to: 53,
    allowed: `${WEEKDAYS}, after a number from 1 to 53 or -53 to -1 if any`,
  },
  BYMONTHDAY: { pattern: /^[+-]?\d+$/, from: 1, to: 31, allowed: 'a day from 1 to 31 or -31 to -1' },
  BYYEARDAY: { pattern: /^[+-]?\d+$/, from: 1, to: 366, allowed: 'a day from 1 to 366 or -366 to -1' },
  BYWEEKNO: { pattern: /^[+-]?\d+$/, from: 1, to: 53, allowed: 'a week from 1 to 53 or -53 to -1' },
  BYMONTH: { pattern: /^\d+$/, from: 1, to: 12, allowed: 'a month from 1 to 12' },
  BYSETPOS: { pattern: /^[+-]?\d+$/, from: 1, to: 366, allowed: 'a position from 1 to 366 or -366 to -1' },
  WKST: { pattern: new RegExp(`^${WEEKDAY}$`, 'i'), allowed: WEEKDAYS },
}));

/**
 * Why an RRULE line gives no sound rule, read from the line as written: ical.js reads COUNT=0 as
 * no COUNT (1 000 daily holidays), COUNT=-5 as it is (the first start alone) and COUNT=3.5 as 3,
 * and INTERVAL=0 or INTERVAL=-1 as 1 before the value is even seen. RFC 5545 writes both as
 * digits; a rule that gives no occurrence, or never moves on, is a mistake, and what was meant
 * cannot be told. So is a BY part or WKST outside what RFC 5545 allows: ical.js refuses most
 * (BYMONTH=13, BYHOUR=24), but reads BYMONTHDAY=0, BYSETPOS=0 and BYWEEKNO=0 as giving nothing,
 * BYYEARDAY=0 as 1 January and BYMONTHDAY=1.5 as 1; an UNTIL on no real day (ical.js rolls
 * 20261301 over into 1 January 2027); a part given twice (ical.js takes the last); parts that
 * do not fit together (fitProblem); and a BYWEEKNO, which ical.js expands wrongly. Null when it
 * is sound.
 */
function ruleProblem(line: string): string | null {
  const seen = new Map<string, RulePart>();
  for (const part of propertyValue(line).split(';')) {
    const at = part.indexOf('=');
    const [name, value] = at < 0 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)];
    const key = name.toUpperCase();
    if (key !== '' && seen.has(key)) return `RRULE part ${part}: ${key} is given twice`;
    seen.set(key, { part, value });
    if ((key === 'COUNT' || key === 'INTERVAL') && !(/^[0-9]+$/.test(value) && Number(value) > 0)) {
      return `RRULE part ${part}: ${key} must be a positive integer`;
    }
    const until = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/i.exec(value);
    if (key === 'UNTIL' && until && !realDay(Number(until[1]), Number(until[2]), Number(until[3]))) {
      return `RRULE part ${part}: no such day`;
    }
    const allowed = RULE_PARTS.get(key);
    if (!allowed) continue;
    const values = key === 'WKST' ? [value] : value.split(',');
    const wrong = values.find((each) => {
      const match = allowed.pattern.exec(each);
      if (!match) return true;
      // A weekday's number is optional; a number's size is what must be in range (-1 counts from the end).
      const number = allowed.from === undefined ? undefined : key === 'BYDAY' ? match[1] : each;
      const size = number === undefined ? null : Math.abs(Number(number));
      return size !== null && !(size >= (allowed.from as number) && size <= (allowed.to as number));
    });
    if (wrong !== undefined) {
      return `RRULE part ${part}: ${key === 'WKST' ? 'WKST' : `each ${key}`} must be ${allowed.allowed}, not ${wrong === '' ? 'empty' : wrong}`;
    }
  }
  // ical.js expands no BYWEEKNO rightly: alone it gives nothing, and with BYDAY=MO it gives every
  // Monday but those of the first week named (it takes indexOf's 0 for a week not named); and
  // periodStarts, which expands YEARLY rules here, reads none.
  const byweekno = seen.get('BYWEEKNO');
  return fitProblem(seen) ?? (byweekno ? `RRULE part ${byweekno.part}: rules by week number (BYWEEKNO) are not read` : null);
}

/** A part of an RRULE and its value, as written (`byday=1mo`, `1mo`). */
interface RulePart {
  part: string;
  value: string;
}

/**
 * Why the parts of a rule, each sound alone, do not fit together as RFC 5545 (3.3.10) says they
 * must: FREQ, which every rule has; BYDAY with a number (1MO, the first Monday) only with
 * FREQ=MONTHLY or YEARLY, and no more than 5 (or -5) where it counts in the month (MONTHLY, or
 * YEARLY with BYMONTH): no month has a sixth Monday, and such a rule gives no day (ical.js read
 * 10MO as 0MO, every Monday); BYWEEKNO only with FREQ=YEARLY, and not with a BYDAY with a number;
 * BYMONTHDAY not with FREQ=WEEKLY; BYYEARDAY not with FREQ=DAILY, WEEKLY or MONTHLY; BYSETPOS
 * only with another BY part, whose set it picks from; COUNT and UNTIL not both. ical.js read
 * FREQ=WEEKLY;BYDAY=1MO as every Monday, FREQ=DAILY;BYWEEKNO=2 as every day, FREQ=MONTHLY;
 * BYSETPOS=1 as monthly on the start's day and COUNT with UNTIL as ending at the earlier; it
 * refused the others only as it expanded them, naming no part (a rule without FREQ with "Cannot
 * read properties of undefined"). What was meant cannot be told. Null when they fit.
 */
function fitProblem(parts: Map<string, RulePart>): string | null {
  const freqPart = parts.get('FREQ');
  if (freqPart === undefined) return 'RRULE has no FREQ part, which every rule must have';
  const freq = freqPart.value.toUpperCase();
  const both = (first: RulePart, second: RulePart, why: string) => `RRULE parts ${first.part} and ${second.part}: ${why}`;
  const byday = parts.get('BYDAY');
  const numbered = byday?.value.split(',').find((each) => /\d/.test(each));
  const byweekno = parts.get('BYWEEKNO');
  const bymonthday = parts.get('BYMONTHDAY');
  const byyearday = parts.get('BYYEARDAY');
  const bysetpos = parts.get('BYSETPOS');
  const count = parts.get('COUNT');
  const until = parts.get('UNTIL');
  if (byday && numbered !== undefined && freq !== 'MONTHLY' && freq !== 'YEARLY') {
    return both(freqPart, byday, `a BYDAY with a number (${numbered}) needs FREQ=MONTHLY or FREQ=YEARLY`);
  }
  // A numbered weekday counts in the month in a MONTHLY rule and a YEARLY one with BYMONTH.
  const month = freq === 'MONTHLY' ? freqPart : freq === 'YEARLY' ? parts.get('BYMONTH') : undefined;
  const beyond = byday?.value.split(',').find((each) => Math.abs(parseInt(each, 10)) > 5);
  if (byday && month && beyond !== undefined) {
    return both(month, byday, `a month has at most five of each weekday, so ${beyond} is never a day of it`);
  }
  if (byweekno && freq !== 'YEARLY') return both(freqPart, byweekno, 'BYWEEKNO needs FREQ=YEARLY');
  if (byweekno && byday && numbered !== undefined) {
    return both(byweekno, byday, `a BYDAY with a number (${numbered}) cannot be used with BYWEEKNO`);
  }
  if (bymonthday && freq === 'WEEKLY') return both(freqPart, bymonthday, 'BYMONTHDAY cannot be used with FREQ=WEEKLY');
  if (byyearday && ['DAILY', 'WEEKLY', 'MONTHLY'].includes(freq)) {
    return both(freqPart, byyearday, 'BYYEARDAY cannot be used with FREQ=DAILY, WEEKLY or MONTHLY');
  }
  if (bysetpos && ![...parts.keys()].some((key) => key.startsWith('BY') && key !== 'BYSETPOS')) {
    return `RRULE part ${bysetpos.part}: BYSETPOS needs another BY part (BYDAY, BYMONTHDAY...) to pick from`;
  }
  if (count && until) return both(count, until, 'a rule ends by COUNT or by UNTIL, not both');
  return null;
}

/** A content line's value as written: what follows the first colon outside a quoted parameter value. */
function propertyValue(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) return line.slice(i + 1);
  }
  return '';
}

/**
 * The start of an event that cannot be read, from its DTSTART line: as ical.js gives it, as for
 * the other skipped events, or as the file writes it when ical.js cannot read that either.
 */
function startOf(dtstart: string | undefined): string {
  if (dtstart === undefined) return '';
  if (!readable(dtstart)) return propertyValue(dtstart);
  return writtenValue(new ICAL.Property(ICAL.parse.property(dtstart)), 0);
}

/**
 * Whether ical.js reads a content line alone: parses it and, if it is one read here, its values
 * (it parses DTSTART;VALUE=DATE:2017 as 2017--, and fails on it only when asked for the date).
 */
function readable(line: string): boolean {
  try {
    const property = new ICAL.Property(ICAL.parse.property(line));
    if (READ.has(property.name)) property.getValues();
    return true;
  } catch {
    return false;
  }
}

/** The lines of an event that are its own properties, not those of a component it nests (VALARM). */
function ownLines(lines: string[]): string[] {
  let depth = 0;
  return lines.filter((line) => {
    if (/^begin:/i.test(line)) depth++;
    else if (/^end:/i.test(line)) depth--;
    else return depth === 1;
    return false;
  });
}

/** A content line's property name, lower case. */
function propertyName(line: string): string {
  return line.split(/[;:]/, 1)[0].toLowerCase();
}

/**
 * What an event gives before its days are placed: its starts, none when it is skipped (as an
 * override is when `refusal` says why), and what is said about it.
 */
function read(root: ICAL.Component, vevent: ICAL.Component, until: number, zone: string, refusal?: string, cancelledToo = false): Reading {
  // ical.js would relate every override in the file to each master, reading them all again; they
  // are matched here instead (overrides).
  const event = new ICAL.Event(vevent, { exceptions: [] });
  const name = event.summary ?? null;
  const skipped = (start: string, reason: string): Reading => ({
    event,
    name,
    said: [{ name, start, reason }],
    starts: [],
    excluded: [],
    known: Infinity,
  });
  const dtstart = vevent.getFirstProperty('dtstart');
  const written = writtenValue(dtstart, 0);
  if (refusal) return skipped(written, refusal);
  if (!event.startDate) return skipped('', 'no DTSTART');
  // A cancelled event (STATUS:CANCELLED) is no holiday: a whole series, or the one occurrence an
  // override cancels (its master leaves that occurrence out). Said, so that a day missing from
  // the calendar has its reason. (`cancelledToo` reads its set all the same, for its overrides.)
  if (cancelled(vevent) && !cancelledToo) return skipped(written, 'cancelled (STATUS:CANCELLED)');
  const problem =
    startProblem(written) ??
    zoneProblem(root, tzid(dtstart)) ??
    zoneProblem(root, tzid(vevent.getFirstProperty('dtend'))) ??
    endProblem(event, vevent, zone);
  if (problem) return skipped(written, problem);
  const said: SkippedHoliday[] = [];
  const skip = (start: string, reason: string) => said.push({ name, start, reason });
  const excluded = exdates(root, vevent, skip);
  // An override is one occurrence, on its own DTSTART; the master's set leaves out those it replaces.
  if (vevent.hasProperty('recurrence-id')) {
    return { event, name, said, starts: [{ start: event.startDate, tzid: tzid(dtstart) }], excluded, known: Infinity };
  }
  try {
    const { starts, known, offRule } = recurrenceSet(root, event, vevent, until, skip);
    // A DTSTART off its rule that an EXDATE takes out is as the file means it: nothing to say.
    if (offRule && !matcher(excluded, zone)(starts[0])) skip(written, offRule);
    return { event, name, said, starts, known, excluded };
  } catch (error) {
    // A rule ical.js cannot expand skips the event whole, and that alone is said.
    return skipped(written, (error as Error).message);
  }
}

/**
 * An event's recurrence set (RFC 5545): DTSTART, what the RRULEs give up to the year `until` and
 * the RDATEs, EXDATEs not yet taken out; the day before which it has every start; and, when it
 * has RRULEs and its DTSTART is an occurrence of none, what to say of that (offRule).
 */
function recurrenceSet(
  root: ICAL.Component,
  event: ICAL.Event,
  vevent: ICAL.Component,
  until: number,
  skip: (start: string, reason: string) => void,
): { starts: Occurrence[]; known: number; offRule: string | null } {
  const dtstart = vevent.getFirstProperty('dtstart');
  const starts: Occurrence[] = [{ start: event.startDate, tzid: tzid(dtstart) }];
  const rules = vevent.getAllProperties('rrule');
  // RFC 5545 (3.3.10) counts the DTSTART as the first occurrence of a COUNT. ical.js counts those
  // its rule gives, the DTSTART among them when it is an occurrence of the rule. When it is one of
  // none, each rule is given one fewer than its COUNT here: FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3
  // from 5 January is 5 January, 31 January and 31 March, not 31 May as well.
  const onRule = rules.length === 0 || rules.some((property) => startsRule(property, event.startDate));
  let known = Infinity;
  for (const property of rules) {
    const { times, rest } = expand(property, event.startDate, until, onRule ? 0 : 1);
    starts.push(...times.map((start) => ({ start, tzid: tzid(dtstart) })));
    if (rest && rest.year <= until) {
      skip(writtenValue(dtstart, 0), `recurs more than ${MAX_OCCURRENCES} times; the first ${MAX_OCCURRENCES} were taken`);
    }
    // A day early: a RECURRENCE-ID may be written in another zone than the rule's times.
    if (rest) known = Math.min(known, utcDay(rest) - DAY_MS);
  }
  starts.push(...rdates(root, vevent, skip));
  const rule = rules.length === 1 ? cut(writtenRules.get(rules[0]) ?? rules[0].toICALString()) : 'any of its RRULEs';
  const offRule = onRule
    ? null
    : `DTSTART is no occurrence of ${rule}: a holiday all the same, as RFC 5545 makes the DTSTART the first occurrence, counted in COUNT (an EXDATE of it leaves it out)`;
  return { starts, known, offRule };
}

/**
 * The starts an RRULE gives from `start` up to the year `until`, at most MAX_OCCURRENCES and, of
 * a COUNT, those the DTSTART has not taken (`counted`: 1 when the DTSTART is no occurrence of the
 * event's rules, and counts as the first all the same); and the first it gives after those (null
 * when it gives no more).
 */
function expand(property: ICAL.Property, start: ICAL.Time, until: number, counted: number): { times: ICAL.Time[]; rest: ICAL.Time | null } {
  const rule = property.getFirstValue() as ICAL.Recur;
  // RFC 5545 counts the DTSTART in COUNT whether the rule gives it or not: the count is kept here.
  const count = rule.count ? rule.count - counted : null;
  return expanding(property, () => {
    const times: ICAL.Time[] = [];
    const iterator = iterate(rule, start);
    let next = iterator.next();
    for (; next && next.year <= until && times.length < MAX_OCCURRENCES && (count === null || times.length < count); next = iterator.next()) {
      // ical.js's iterator moves the time it returned on; it is kept as it is now.
      times.push(next.clone());
    }
    return { times, rest: count !== null && times.length >= count ? null : next };
  });
}

/** Whether `start` is an occurrence of an RRULE: the first it gives from `start`, whatever its year. */
function startsRule(property: ICAL.Property, start: ICAL.Time): boolean {
  const first = expanding(property, () => iterate(property.getFirstValue() as ICAL.Recur, start).next());
  // The iterator gives no start before `start`: none on `start` means it is no occurrence.
  return first !== null && first.compare(start) === 0;
}

/**
 * What `read` gives from an RRULE's expansion. ical.js checks a rule's parts against each other
 * only as it expands it: such a rule throws, naming itself.
 */
function expanding<T>(property: ICAL.Property, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Error(`cannot expand ${cut(writtenRules.get(property) ?? property.toICALString())} (${(error as Error).message})`);
  }
}

/** The starts of a rule, in order, from its DTSTART on: null when it gives no more. */
interface Starts {
  next(): ICAL.Time | null;
}

/**
 * The starts of a rule: a YEARLY or MONTHLY one expanded here (periodStarts), the others by
 * ical.js. ical.js expands YEARLY rules wrongly in several ways, without a word: a BYMONTHDAY
 * without BYMONTH in the DTSTART's month alone (FREQ=YEARLY;BYMONTHDAY=31 was one day a year, not
 * seven), a negative BYMONTHDAY by the length of another month, a BYSETPOS only with BYDAY and
 * BYMONTH, a BYDAY number of two digits by its last digit (20MO, the 20th Monday, as every
 * Monday; MONTHLY too), BYYEARDAY with BYMONTH or BYMONTHDAY not at all; and it rolls a day a
 * month lacks over into the next (31 April into 1 May), and gives up on days 366 and -366 in a
 * year without them.
 */
function iterate(rule: ICAL.Recur, start: ICAL.Time): Starts {
  return rule.freq === 'YEARLY' || rule.freq === 'MONTHLY' ? periodIterator(rule, start) : rule.iterator(start);
}

/**
 * The periods a YEARLY or MONTHLY rule visits, a year or a month each, from the DTSTART's on,
 * every INTERVAL. The calendar repeats every 400 years (146 097 days, 20 871 weeks), so a rule
 * that gives nothing in 400 years' worth of the periods it visits gives nothing ever (BYMONTH=2;
 * BYMONTHDAY=30). COUNT is kept by expand; UNTIL ends it as ical.js does.
 */
function periodIterator(rule: ICAL.Recur, start: ICAL.Time): Starts {
  const yearly = rule.freq === 'YEARLY';
  const cycle = (yearly ? 1 : 12) * 400;
  // What a period gives depends on its month, whether its year is a leap year and the weekday it
  // starts on alone: one like a period that gave nothing gives nothing, and is not looked at again.
  const barren = new Set<string>();
  let visited = 0;
  let empty = 0;
  let queue: ICAL.Time[] = [];
  return {
    next() {
      while (queue.length === 0 && empty < cycle) {
        const months = start.month - 1 + (yearly ? 0 : visited * rule.interval);
        const year = start.year + (yearly ? visited * rule.interval : Math.floor(months / 12));
        const month = yearly ? null : (months % 12) + 1;
        const kind = `${month}:${ICAL.Time.isLeapYear(year)}:${new Date(Date.UTC(year, (month ?? 1) - 1, 1)).getUTCDay()}`;
        const found = barren.has(kind) ? [] : periodStarts(rule, start, year, month);
        if (found.length === 0) barren.add(kind);
        visited++;
        empty = found.length === 0 ? empty + 1 : 0;
        queue = found.filter((time) => time.compare(start) >= 0);
      }
      const next = queue.shift() ?? null;
      if (next && rule.until && next.compare(rule.until) > 0) {
        empty = cycle;
        queue = [];
        return null;
      }
      return next;
    },
  };
}

const WEEKDAY_NAMES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/**
 * The starts of a YEARLY rule in a year (`month` null) or of a MONTHLY one in a month, as RFC 5545
 * (3.3.10) has them: each day of its months that every BY part given allows, at the times of day
 * its BYHOUR, BYMINUTE and BYSECOND give (the DTSTART's when not given), then those BYSETPOS
 * picks from that set. A YEARLY rule's months are its BYMONTHs, else all twelve when it names days
 * otherwise (BYMONTHDAY, BYYEARDAY, BYDAY), else the DTSTART's; a MONTHLY rule's month counts if
 * BYMONTH has it. With no BYMONTHDAY, BYYEARDAY or BYDAY the day is the DTSTART's day of the
 * month (none in a month without it). A negative BYMONTHDAY or BYYEARDAY counts from the end; a
 * BYDAY with a number is that one of its weekday in the month (MONTHLY, or YEARLY with BYMONTH)
 * or in the year (1MO the first Monday, -1FR the last Friday). A day a month lacks is no day.
 */
function periodStarts(rule: ICAL.Recur, start: ICAL.Time, year: number, month: number | null): ICAL.Time[] {
  const parts = (rule.parts ?? {}) as Record<string, (number | string)[] | undefined>;
  const byMonth = parts.BYMONTH as number[] | undefined;
  const monthDays = parts.BYMONTHDAY as number[] | undefined;
  const yearDays = parts.BYYEARDAY as number[] | undefined;
  const weekdays = (parts.BYDAY as string[] | undefined)?.map((entry) => {
    const [, n, day] = /^([+-]?\d+)?([A-Z]{2})$/.exec(entry) as RegExpExecArray;
    return { n: n === undefined ? 0 : Number(n), day: WEEKDAY_NAMES.indexOf(day) };
  });
  const namesDays = monthDays || yearDays || weekdays;
  const months = month !== null ? (!byMonth || byMonth.includes(month) ? [month] : []) : (byMonth ?? (namesDays ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] : [start.month]));
  const yearLength = ICAL.Time.isLeapYear(year) ? 366 : 365;
  // A numbered weekday counts in the month, but in a YEARLY rule without BYMONTH in the year.
  const inMonth = month !== null || byMonth !== undefined;
  const nth = (index: number, length: number, n: number) => (n > 0 ? Math.floor(index / 7) + 1 === n : Math.floor((length - 1 - index) / 7) + 1 === -n);
  const onDay = (day: number, length: number, wanted: number) => (wanted > 0 ? wanted : length + wanted + 1) === day;

  const days: [number, number][] = [];
  for (const m of [...months].sort((a, b) => a - b)) {
    const monthLength = ICAL.Time.daysInMonth(m, year);
    const before = Math.round((Date.UTC(year, m - 1, 1) - Date.UTC(year, 0, 1)) / DAY_MS);
    for (let day = 1; day <= monthLength; day++) {
      const yearDay = before + day;
      const weekday = new Date(Date.UTC(year, m - 1, day)).getUTCDay();
      const allowed =
        (namesDays ? !monthDays || monthDays.some((wanted) => onDay(day, monthLength, wanted)) : day === start.day) &&
        (!yearDays || yearDays.some((wanted) => onDay(yearDay, yearLength, wanted))) &&
        (!weekdays ||
          weekdays.some(({ n, day: wanted }) =>
            wanted === weekday && (n === 0 || (inMonth ? nth(day - 1, monthLength, n) : nth(yearDay - 1, yearLength, n))),
          ));
      if (allowed) days.push([m, day]);
    }
  }

  const clock = (part: string, own: number) => (start.isDate ? [own] : [...((parts[part] as number[] | undefined) ?? [own])].sort((a, b) => a - b));
  const set = days.flatMap(([m, day]) =>
    clock('BYHOUR', start.hour).flatMap((hour) =>
      clock('BYMINUTE', start.minute).flatMap((minute) =>
        clock('BYSECOND', start.second).map(
          (second) => new ICAL.Time({ year, month: m, day, hour, minute, second, isDate: start.isDate }, start.zone),
        ),
      ),
    ),
  );
  const positions = parts.BYSETPOS as number[] | undefined;
  if (!positions) return set;
  return set.filter((_, i) => positions.includes(i + 1) || positions.includes(i - set.length));
}

/**
 * What each override (an event with a RECURRENCE-ID) does, wherever in the file its master (the
 * recurring event of its UID) is: it replaces the starts of the master's set its RECURRENCE-ID
 * names, whether an EXDATE takes them out or not (an exporter may write both). Of several
 * overrides of one occurrence only one counts (RFC 5545: the highest SEQUENCE, a revision of
 * the others; of equal ones, the later in the file); the others are skipped, with why. Those
 * given are sound or cancelled: one skipped for its own days is no override of anything. An
 * override of a cancelled series (`cancelledSeries`, by UID) is an occurrence of it, cancelled
 * with it, unless it says a STATUS of its own (CONFIRMED, TENTATIVE): RFC 5545 gives each
 * instance an override describes its own properties, and the series' STATUS is the rest's.
 */
function overrides(
  root: ICAL.Component,
  vevents: ICAL.Component[],
  series: Map<string, Reading>,
  cancelledSeries: Set<string>,
  zone: string,
): Overriding {
  const replaced = new Set<Occurrence>();
  const replacing = new Set<ICAL.Component>();
  const refused = new Map<ICAL.Component, string>();
  // The overrides of each occurrence: by the first start they name, else by what they write.
  const rivals = new Map<unknown, { vevent: ICAL.Component; starts: Occurrence[] }[]>();
  for (const vevent of vevents) {
    const uid = uidOf(vevent);
    if (uid !== null && cancelledSeries.has(uid) && !vevent.hasProperty('status')) {
      refused.set(vevent, `its series (UID ${uid}) is cancelled (STATUS:CANCELLED) and it has no STATUS of its own`);
      continue;
    }
    const starts = namedStarts(root, vevent, series, zone);
    if (typeof starts === 'string') {
      refused.set(vevent, starts);
      continue;
    }
    const key = starts.at(0) ?? writtenId(vevent);
    rivals.set(key, [...(rivals.get(key) ?? []), { vevent, starts }]);
  }
  for (const group of rivals.values()) {
    const winner = group.reduce((best, next) => (sequence(next.vevent) >= sequence(best.vevent) ? next : best));
    winner.starts.forEach((start) => replaced.add(start));
    if (winner.starts.length > 0) replacing.add(winner.vevent);
    for (const { vevent } of group) if (vevent !== winner.vevent) refused.set(vevent, superseded(winner.vevent, vevent));
  }
  return { replaced, replacing, refused };
}

/**
 * What is said of a cancelled override without a DTSTART, which it needs not: it gives no day
 * either way, and takes out the occurrence its RECURRENCE-ID names (`replacing`) if its series
 * has it among those expanded.
 */
function undatedCancel(vevent: ICAL.Component, replacing: boolean): string {
  const id = writtenValue(vevent.getFirstProperty('recurrence-id'), 0);
  return replacing
    ? `cancelled (STATUS:CANCELLED): takes out the occurrence of its series at RECURRENCE-ID ${id} (it needs no DTSTART)`
    : 'cancelled (STATUS:CANCELLED), with no DTSTART';
}

/**
 * An override's RECURRENCE-ID as written, with its UID: what two overrides that name no start
 * expanded must share to be of one occurrence. One without a UID is of no series, and shares it
 * with none.
 */
function writtenId(vevent: ICAL.Component): string | ICAL.Component {
  const uid = vevent.getFirstPropertyValue('uid');
  const property = vevent.getFirstProperty('recurrence-id');
  return typeof uid === 'string' ? JSON.stringify([uid, writtenValue(property, 0), tzid(property)]) : vevent;
}

/** An event's SEQUENCE, its revision: 0 when it has none. */
function sequence(vevent: ICAL.Component): number {
  return Number(vevent.getFirstPropertyValue('sequence')) || 0;
}

/** Why an override gives way to another of the same occurrence. */
function superseded(winner: ICAL.Component, loser: ICAL.Component): string {
  const [kept, lost] = [sequence(winner), sequence(loser)];
  return kept > lost
    ? `superseded by an override of the same occurrence with a higher SEQUENCE (${kept}, not ${lost})`
    : `superseded by a later override of the same occurrence with the same SEQUENCE (${kept})`;
}

/**
 * The starts of its series an override's RECURRENCE-ID names, or why the override is skipped: a
 * RANGE (THISANDFUTURE, or RFC 2445's THISANDPRIOR), which would carry its changes on to the
 * occurrences after (or before) it and is not read here, rather than read as one occurrence; a
 * RECURRENCE-ID on no real day (ical.js would roll 20160231 over into 2 March); or one that names
 * no start of its series. Which is the mistake then, the RECURRENCE-ID or the override's own day,
 * cannot be told, and giving its own day as well as the one the series keeps would make two
 * holidays of one. Where the series was not expanded (past the five years, or MAX_OCCURRENCES)
 * it cannot be told whether it names one; that override, and one with no series in the file,
 * replaces nothing and gives its own days, as any dated event.
 */
function namedStarts(root: ICAL.Component, vevent: ICAL.Component, series: Map<string, Reading>, zone: string): Occurrence[] | string {
  const property = vevent.getFirstProperty('recurrence-id') as ICAL.Property;
  const written = writtenValue(property, 0);
  const range = String(property.getParameter('range') ?? '').toUpperCase();
  if (range) return `RECURRENCE-ID ${written};RANGE=${range} is not read: the series keeps its own days`;
  const problem = startProblem(written);
  if (problem) return `RECURRENCE-ID ${written}: ${problem}`;
  const uid = uidOf(vevent);
  const master = uid === null ? undefined : series.get(uid);
  const id: Written = { time: property.getFirstValue() as ICAL.Time, tzid: tzid(property) };
  const starts = master ? master.starts.filter(matcher([id], zone)) : [];
  if (!master || starts.length > 0 || utcDay(id.time) >= master.known) return starts;
  // A time in a zone nobody knows is no instant, and names nothing of a timed series.
  const unknown = id.time.isDate ? null : zoneProblem(root, id.tzid);
  return `RECURRENCE-ID ${written}: ${unknown ?? 'no occurrence of its series'}`;
}

/** An event's UID, or null when it has none (or an empty one). */
function uidOf(vevent: ICAL.Component): string | null {
  const uid = vevent.getFirstPropertyValue('uid');
  return typeof uid === 'string' && uid !== '' ? uid : null;
}

/**
 * Why an event is skipped as a duplicate of `master`, the event of its UID kept: one with a
 * higher SEQUENCE, before or after it in `masters` (the file's events but overrides), or of the
 * same the first.
 */
function duplicated(uid: string, master: ICAL.Component, lost: ICAL.Component, masters: ICAL.Component[]): string {
  const start = writtenValue(master.getFirstProperty('dtstart'), 0);
  const where = `an event ${masters.indexOf(master) < masters.indexOf(lost) ? 'before' : 'after'} it in the file${start ? ` (starting ${start})` : ''}`;
  const [higher, own] = [sequence(master), sequence(lost)];
  return higher === own
    ? `duplicate UID ${uid}: ${where} has it, and a UID names one event`
    : `duplicate UID ${uid}: ${where} has it with a higher SEQUENCE (${higher}, not ${own}), a later revision of the event`;
}

/** Whether an event is cancelled (STATUS:CANCELLED). */
function cancelled(vevent: ICAL.Component): boolean {
  return String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
}

/**
 * An event's RDATEs, read from the file: ical.js's iterator rolls 20160231 over into 2 March and
 * drops dates past its window without a word. One on no day a calendar can hold, or in an unknown
 * zone, is skipped, with why; the others count whatever their year, as a DTSTART does.
 */
function rdates(root: ICAL.Component, vevent: ICAL.Component, skip: (start: string, reason: string) => void): Occurrence[] {
  const found: Occurrence[] = [];
  for (const property of vevent.getAllProperties('rdate')) {
    const named = tzid(property);
    property.getValues().forEach((value, i) => {
      const written = writtenValue(property, i);
      const problem = startProblem(written) ?? zoneProblem(root, named);
      if (problem) skip(written, problem);
      else if (value instanceof ICAL.Period) found.push({ start: value.start, end: value.getEnd(), tzid: named });
      else found.push({ start: value as ICAL.Time, tzid: named });
    });
  }
  return found;
}

/**
 * An event's EXDATEs, but those that would take out nothing or the wrong day, which are said:
 * one on no real day (ical.js would roll 20270231 over into 3 March and take that out), and a
 * time of a timed event in a zone neither the file defines nor the IANA database knows (it is no
 * instant; read in the calendar's zone instead, it would be a guess, right only when the two
 * agree). An all-day event's EXDATE takes out the date it writes, whatever its zone.
 */
function exdates(root: ICAL.Component, vevent: ICAL.Component, skip: (start: string, reason: string) => void): Written[] {
  const timed = !(vevent.getFirstPropertyValue('dtstart') as ICAL.Time).isDate;
  return vevent.getAllProperties('exdate').flatMap((property) =>
    property.getValues().flatMap((value, i) => {
      const time = value as ICAL.Time;
      const written = writtenValue(property, i);
      const problem = startProblem(written) ?? (timed && !time.isDate ? zoneProblem(root, tzid(property)) : null);
      if (problem) skip(written, `EXDATE: ${problem}, so it takes nothing out`);
      return problem ? [] : [{ time, tzid: tzid(property) }];
    }),
  );
}

/**
 * Whether an EXDATE or an override's RECURRENCE-ID takes a start out: a date every start on that
 * date, a time the same instant.
 */
function matcher(excluded: Written[], zone: string): (occurrence: Occurrence) => boolean {
  return ({ start, tzid: startZone }) =>
    excluded.some(({ time, tzid: zoneOf }) =>
      time.isDate || start.isDate
        ? utcDay(time) === utcDay(start)
        : instant(time, zoneOf, zone) === instant(start, startZone, zone),
    );
}

/**
 * The i-th value of a DTSTART or RDATE as the file writes it, a PERIOD's start (ical.js gives it
 * as YYYY-MM-DD..., before its Time rolls an impossible day over into the next month).
 */
function writtenValue(property: ICAL.Property | null, i: number): string {
  const value = (property?.jCal as unknown[] | undefined)?.[3 + i];
  return String((Array.isArray(value) ? value[0] : value) ?? '');
}

/** Why a written start is no day a calendar can hold, or null. */
function startProblem(written: string): string | null {
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(written);
  if (!date) return 'no such day';
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (!realDay(year, month, day)) return 'no such day';
  if (year < FIRST_YEAR || year > LAST_YEAR) return OUT_OF_RANGE;
  return null;
}

/** Whether a year, month and day name a day of the calendar (not 31 February, nor month 13). */
function realDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Why a TZID is no zone to read, when neither a VTIMEZONE of the file nor the IANA database defines it. */
function zoneProblem(root: ICAL.Component, named: string | null): string | null {
  if (named === null || root.getTimeZoneByID(named) || IANAZone.isValidZone(named)) return null;
  return `unknown time zone ${named}`;
}

/**
 * Where an occurrence falls in the calendar's zone: its first day (epoch ms of its UTC midnight)
 * and how many days it covers. An all-day event covers its dates, DTEND exclusive. A timed one
 * covers the zone's dates from the one it starts on up to the one it ends on, that one excluded,
 * and at least the first: 23:00Z on 24 December is Christmas Day in Berlin, and an evening running
 * past midnight does not take the next day's work away. A timed start of an all-day event lasts
 * as long as the event; a date among a timed event's starts is one day. Where a timed
 * occurrence ends is ender's.
 */
function placer(event: ICAL.Event, vevent: ICAL.Component, zone: string): (occurrence: Occurrence) => Placed {
  const start = event.startDate;
  // Its dates, DTEND exclusive: 0 when DTEND is DTSTART, less when it is before.
  const allDay = start.isDate && event.endDate ? Math.round((utcDay(event.endDate) - utcDay(start)) / DAY_MS) : 1;
  const end = ender(event, vevent, zone);
  return (occurrence) => {
    if (occurrence.start.isDate) return { first: utcDay(occurrence.start), days: Math.max(1, allDay), backwards: allDay < 0 };
    const from = instant(occurrence.start, occurrence.tzid, zone);
    const to = occurrence.end ? instant(occurrence.end, occurrence.tzid, zone) : end(occurrence);
    const first = zoneDay(from, zone);
    return { first, days: span(first, zoneDay(to, zone)), backwards: to < from };
  };
}

/**
 * The instant (epoch ms) a timed occurrence of an event ends, an RDATE period aside. With a
 * DURATION, as RFC 5545 has it (3.3.6, 3.8.5.3): its weeks and days on the clock of the
 * occurrence's zone (P2D from Saturday 00:00 ends Monday 00:00 whether the clocks change that
 * weekend or not), then its hours, minutes and seconds as elapsed time (PT48H from Saturday 00:00
 * ends Sunday 23:00 the weekend they go back). With a DTEND in the zone of the DTSTART (the same
 * TZID, both floating or both UTC), each occurrence spans the same clock times as the first: a
 * closure from Saturday 00:00 to Monday 00:00 covers the Saturday and the Sunday every weekend,
 * and 22:00 to 02:00 ends at 02:00 every night. RFC 5545 (3.8.5.3) gives every occurrence of an
 * event with a DTEND the same exact duration instead: the weekend the clocks go back, that
 * closure would end at 23:00 on Sunday, and Sunday, a day it only reached into, would stay a
 * working day (the weekend they go forward, one to 23:30 on Sunday would end at 00:30 on
 * Monday and take Sunday away). Holidays are dates on the clock, as calendar programs show those
 * occurrences, so the clock is read. A DTEND in another zone than the DTSTART has no clock time
 * to keep: its exact duration is. Without either, a timed event ends as it starts.
 */
function ender(event: ICAL.Event, vevent: ICAL.Component, zone: string): (occurrence: Occurrence) => number {
  const start = event.startDate;
  const dtstart = vevent.getFirstProperty('dtstart');
  const dtend = vevent.getFirstProperty('dtend');
  const duration = dtend ? null : (vevent.getFirstPropertyValue('duration') as ICAL.Duration | null);
  // Its occurrence's start moved on the clock of its zone, as ical.js adds a duration.
  const onClock = (occurrence: Occurrence, by: ICAL.Duration) => {
    const end = occurrence.start.clone();
    end.addDuration(by);
    return instant(end, occurrence.tzid, zone);
  };
  if (duration) {
    const sign = duration.isNegative ? -1 : 1;
    const days = ICAL.Duration.fromData({ weeks: duration.weeks, days: duration.days, isNegative: duration.isNegative });
    const elapsed = sign * (duration.hours * 3600 + duration.minutes * 60 + duration.seconds) * 1000;
    return (occurrence) => onClock(occurrence, days) + elapsed;
  }
  if (!dtend || !event.endDate) return (occurrence) => instant(occurrence.start, occurrence.tzid, zone);
  const utc = (time: ICAL.Time) => time.zone === ICAL.Timezone.utcTimezone;
  if (tzid(dtend) === tzid(dtstart) && utc(event.endDate) === utc(start)) {
    // The clock times between DTSTART and DTEND, as written.
    const clock = (time: ICAL.Time) => Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
    const by = ICAL.Duration.fromSeconds((clock(event.endDate) - clock(start)) / 1000);
    return (occurrence) => onClock(occurrence, by);
  }
  const exact = instant(event.endDate, tzid(dtend), zone) - instant(start, tzid(dtstart), zone);
  return (occurrence) => instant(occurrence.start, occurrence.tzid, zone) + exact;
}

/** Days from a first day to an exclusive end day (epoch ms of UTC midnights): at least one. */
function span(first: number, end: number): number {
  return Math.max(1, Math.round((end - first) / DAY_MS));
}

/**
 * Where an occurrence falls: its first day (epoch ms of its UTC midnight), how many days it
 * covers, and whether it ends before it starts (it is then given its first day alone).
 */
interface Placed {
  first: number;
  days: number;
  backwards: boolean;
}

/**
 * Why an occurrence's length is no holiday's, or null: it ends before it starts, or it lasts more
 * than a year (MAX_DAYS), almost certainly a mistake (a year typed wrong in DTEND); cut to a year
 * it would still take a year's work away, so it is left out whole.
 */
function lengthProblem({ days, backwards }: Placed): string | null {
  if (backwards) return 'ends before it starts';
  return days > MAX_DAYS ? `lasts ${days} days, more than a year` : null;
}

/**
 * Why an event's own end gives no holiday (lengthProblem of its DTSTART), naming the DTEND or
 * DURATION that says so; null when it has neither, or they are sound. Its times' zones are known.
 */
function endProblem(event: ICAL.Event, vevent: ICAL.Component, zone: string): string | null {
  const dtend = vevent.getFirstProperty('dtend');
  const ending = dtend
    ? `DTEND ${writtenValue(dtend, 0)}`
    : vevent.hasProperty('duration')
      ? `DURATION ${String(vevent.getFirstPropertyValue('duration'))}`
      : null;
  if (ending === null) return null;
  const problem = lengthProblem(placer(event, vevent, zone)({ start: event.startDate, tzid: tzid(vevent.getFirstProperty('dtstart')) }));
  return problem && `${problem} (${ending})`;
}

/** A date as the epoch ms of its UTC midnight. */
function utcDay(time: ICAL.Time): number {
  return Date.UTC(time.year, time.month - 1, time.day);
}

/** The TZID a property names, if any. */
function tzid(property: ICAL.Property | null): string | null {
  const value = property?.getParameter('tzid');
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
