import { DateTime, IANAZone } from 'luxon';

const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
// Day first, as every day/month source we read writes it (ServiceNow d/m/yyyy, BPI dd/mm/yyyy, d-m-yyyy).
const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** True for an IANA zone name luxon knows (Europe/Berlin, UTC, ...). */
export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * Reads source times. A time with an offset (Z, +02:00) keeps it; a time without one is a wall
 * clock time in `zone`. A wall time that does not exist (the hour skipped when clocks go forward)
 * is moved forward by the gap, and an ambiguous one (the repeated hour) takes the later,
 * standard-time offset, as luxon does and as PostgreSQL does for `timestamp at time zone`.
 */
export class TimeReader {
  private readonly utc: boolean;

  constructor(readonly zone: string) {
    if (!isValidZone(zone)) throw new Error(`unknown time zone "${zone}"`);
    this.utc = zone === 'UTC' || zone === 'Etc/UTC';
  }

  /**
   * The instant, or undefined when the text is no time we can read: not a date, an offset past
   * ±14:00, or an instant outside the years 1900 to 2999 (the range the API can ask about; a
   * typo such as year 9999 or 0025 would otherwise stretch every series and clock).
   */
  read(text: string): Date | undefined {
    const fast = readUtcIso(text);
    if (fast !== undefined) return fast;
    const at = this.readAny(text);
    return at !== undefined && isReadableInstant(at.getTime()) ? at : undefined;
  }

  private readAny(text: string): Date | undefined {
    let y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number;
    let offset: string | undefined;
    const iso = ISO.exec(text);
    if (iso) {
      y = +iso[1];
      mo = +iso[2];
      d = +iso[3];
      h = iso[4] ? +iso[4] : 0;
      mi = iso[5] ? +iso[5] : 0;
      s = iso[6] ? +iso[6] : 0;
      ms = iso[7] ? Math.floor(+`0.${iso[7]}` * 1000) : 0;
      offset = iso[8];
    } else {
      const dmy = DAY_FIRST.exec(text);
      if (!dmy) return undefined;
      d = +dmy[1];
      mo = +dmy[2];
      y = +dmy[3];
      h = dmy[4] ? +dmy[4] : 0;
      mi = dmy[5] ? +dmy[5] : 0;
      s = dmy[6] ? +dmy[6] : 0;
      ms = 0;
    }
    // The range is of UTC instants, checked once the offset or zone is applied: 3000-01-01 00:00
    // at +01:00 is in it. Years before 1899 or after 3000 are refused here already (Date.UTC
    // would read 0-99 as 1900-1999).
    if (y < 1899 || y > 3000 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
    const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    if (new Date(wall).getUTCDate() !== d) return undefined; // 31/2 and the like

    if (offset !== undefined) {
      const minutes = offsetMinutes(offset);
      return minutes === undefined ? undefined : new Date(wall - minutes * 60_000);
    }
    if (this.utc) return new Date(wall);
    const local = DateTime.fromObject(
      { year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: ms },
      { zone: this.zone },
    );
    return local.isValid ? local.toJSDate() : undefined;
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Instants a source time may name: [1900-01-01, 3000-01-01) UTC. */
const EARLIEST = Date.UTC(1900, 0, 1);
const END = Date.UTC(3000, 0, 1);
/** Whether an instant (ms) lies in the range a source time may name. */
export function isReadableInstant(ms: number): boolean {
  return ms >= EARLIEST && ms < END;
}
/** What the reasons of a rejected time say of the range. */
export const TIME_RANGE = 'a time from 1900 to 2999';

/** The forms a time may take, as a rejection names them. */
const TIME_FORMS = 'write it as 2016-03-02 10:00, 2016-03-02T10:00:00Z or 2/3/2016 10:00, day first';

/**
 * Why `text` is no time TimeReader can read, for a rejection: not in any form it reads (with
 * the forms it does); in one of them but naming no such day or time (31 February, 25:00, an
 * offset past ±14:00); or a time outside the years 1900 to 2999. Said as the last one for
 * everything before, a newcomer took "March 2 2016" to be rejected for its year.
 */
export function timeProblem(text: string): string {
  const iso = ISO.exec(text);
  const dmy = iso ? null : DAY_FIRST.exec(text);
  if (!iso && !dmy) return `not a time: "${text}" (${TIME_FORMS})`;
  const year = Number(iso ? iso[1] : dmy![3]);
  if (year < 1899 || year > 3000) return `not ${TIME_RANGE}: "${text}"`;
  if (iso?.[8] !== undefined && offsetMinutes(iso[8]) === undefined) return `no such offset: "${text}" (at most ±14:00)`;
  // In a readable form with a year in range: what fails is the day, the time or the offset,
  // unless the offset carries the instant past either end of the range.
  const wall = iso
    ? Date.UTC(year, Number(iso[2]) - 1, Number(iso[3]), Number(iso[4] ?? 0), Number(iso[5] ?? 0))
    : Date.UTC(year, Number(dmy![2]) - 1, Number(dmy![1]), Number(dmy![4] ?? 0), Number(dmy![5] ?? 0));
  const nearEnd = wall < Date.UTC(1900, 0, 2) || wall >= Date.UTC(2999, 11, 31);
  return nearEnd ? `not ${TIME_RANGE}: "${text}"` : `no such date or time: "${text}"`;
}

function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
}

/**
 * The ISO text (yyyy-mm-ddTHH:MM:SS.sssZ, as Date.toISOString() writes it) of a Date the fast path
 * read, kept on it: the import writes every time back as that text for its COPY and content
 * hash, and formatting it again cost as much as reading it. Only the fast path sets it; the
 * import never changes a Date in place, so it cannot go stale.
 */
export const ISO_TEXT = Symbol('iso text');
export type ReadDate = Date & { [ISO_TEXT]?: string };

/**
 * The fast path for what exports and the generator write most: yyyy-mm-ddTHH:MM:SSZ, 20
 * characters, read without a regular expression or Date.UTC. undefined for any other text (the
 * general path then reads it, and says whether it is a time), NaN digits included.
 */
function readUtcIso(text: string): Date | undefined {
  if (text.length !== 20 || text.charCodeAt(19) !== 0x5a /* Z */ || text.charCodeAt(10) !== 0x54 /* T */) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[13] !== ':' || text[16] !== ':') return undefined;
  const y = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const mo = digit(text, 5) * 10 + digit(text, 6);
  const d = digit(text, 8) * 10 + digit(text, 9);
  const h = digit(text, 11) * 10 + digit(text, 12);
  const mi = digit(text, 14) * 10 + digit(text, 15);
  const s = digit(text, 17) * 10 + digit(text, 18);
  // NaN fails every comparison below, so a non-digit goes to the general path; so do years
  // outside 1900-2999, which it refuses.
  if (!(mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && s <= 59 && y >= 1900 && y <= 2999)) return undefined;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (!(d <= DAYS_IN_MONTH[mo - 1] + (leap ? 1 : 0))) return undefined;
  const at: ReadDate = new Date(daysFromCivil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000);
  at[ISO_TEXT] = text.slice(0, 19) + '.000Z';
  return at;
}

/**
 * Days from 1970-01-01 to the date (month 1-12), by H. Hinnant's days-from-civil algorithm: the
 * year is counted from March, so a leap day falls at its end.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** An offset's minutes east of UTC; undefined past ±14:00 (the widest in use) or minutes over 59. */
function offsetMinutes(offset: string): number | undefined {
  if (offset === 'Z' || offset === 'z') return 0;
  const sign = offset[0] === '-' ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (minutes > 59 || hours * 60 + minutes > 14 * 60) return undefined;
  return sign * (hours * 60 + minutes);
}
