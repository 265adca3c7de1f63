import { DateTime, IANAZone } from 'luxon';

/** Weekday keys as the API spells them, Monday first (ISO weekday 1..7). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A calendar as stored and as the API shows it. */
export interface CalendarSpec {
  id: number;
  name: string;
  /** IANA zone in which the weekly hours and the holidays are read. */
  timezone: string;
  kind: '24x7' | 'weekly';
  /** Working intervals per weekday as local 'HH:MM' pairs; a missing or empty day is a day off. */
  weekly: Partial<Record<Weekday, [string, string][]>>;
  /** Local dates (YYYY-MM-DD) with no working time. */
  holidays: string[];
  version: number;
}

const DAY_MS = 86_400_000;
/** A calendar with no working time in ten years cannot ever use up a target. */
const MAX_WALK_DAYS = 3_660;

/** 'HH:MM' to minutes after midnight; an end of 23:59 or 24:00 is the end of the day (1440). */
export function parseClock(value: string, isEnd: boolean): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  if (!match) throw new Error(`"${value}" is not a time of day HH:MM`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes > 1440) throw new Error(`"${value}" is past 24:00`);
  // Service desks write a whole day as 00:00-23:59; read literally it would lose the last minute
  // of every day (a 24x7 target from 23:30 would fall due at 00:31), so 23:59 as an end is 24:00.
  if (isEnd && minutes === 1439) return 1440;
  return minutes;
}

/** Validates and normalises one day's intervals to sorted, merged [startMinute, endMinute) pairs. */
export function normaliseDay(intervals: [string, string][]): [number, number][] {
  const parsed = intervals.map(([from, to]) => {
    const start = parseClock(from, false);
    const end = parseClock(to, true);
    if (start >= 1440) throw new Error(`interval ${from}-${to} starts at the end of the day`);
    if (end === start) throw new Error(`interval ${from}-${to} ends when it starts (an interval needs a length)`);
    if (end < start) throw new Error(`interval ${from}-${to} ends before it starts`);
    return [start, end] as [number, number];
  });
  parsed.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of parsed) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * Working time of one calendar over real instants (epoch milliseconds). Local working hours are
 * turned into instants day by day with luxon in the calendar's zone, so a 23- or 25-hour day has
 * exactly the working time its wall clock shows; a local time skipped by a spring-forward moves
 * to the first instant after the gap. Days are cached: evaluations of a batch share them.
 */
export class WorkCalendar {
  readonly timezone: string;
  readonly is24x7: boolean;
  private readonly weekly: [number, number][][];
  private readonly holidays: Set<string>;
  private readonly days = new Map<number, [number, number][]>();
  private readonly starts = new Map<number, number>();

  constructor(spec: Pick<CalendarSpec, 'timezone' | 'kind' | 'weekly' | 'holidays'>) {
    this.timezone = spec.timezone;
    this.is24x7 = spec.kind === '24x7';
    this.weekly = WEEKDAYS.map((day) => normaliseDay(spec.weekly[day] ?? []));
    this.holidays = new Set(spec.holidays);
    if (!IANAZone.isValidZone(spec.timezone)) {
      throw new Error(`"${spec.timezone}" is not an IANA time zone`);
    }
  }

  /** Working milliseconds in [from, to). */
  workingMs(from: number, to: number): number {
    if (to <= from) return 0;
    if (this.is24x7) return to - from;
    let total = 0;
    const last = this.localDay(to);
    for (let day = this.localDay(from); day <= last; day++) {
      for (const [start, end] of this.intervalsOn(day)) {
        const lo = Math.max(start, from);
        const hi = Math.min(end, to);
        if (hi > lo) total += hi - lo;
      }
    }
    return total;
  }

  /**
   * The instant at which `amount` working milliseconds after `from` are used up, or null when the
   * calendar has no working time left to use them.
   */
  addWorking(from: number, amount: number): number | null {
    if (amount <= 0) return from;
    if (this.is24x7) return from + amount;
    let remaining = amount;
    const first = this.localDay(from);
    for (let day = first; day < first + MAX_WALK_DAYS; day++) {
      for (const [start, end] of this.intervalsOn(day)) {
        const lo = Math.max(start, from);
        if (end <= lo) continue;
        if (remaining <= end - lo) return lo + remaining;
        remaining -= end - lo;
      }
    }
    return null;
  }

  /** Working intervals of one local day (days since 1970-01-01 in the calendar's zone) as instants. */
  intervalsOn(day: number): [number, number][] {
    const cached = this.days.get(day);
    if (cached) return cached;
    const date = new Date(day * DAY_MS);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const dayOfMonth = date.getUTCDate();
    const iso = date.toISOString().slice(0, 10);
    const weekday = (date.getUTCDay() + 6) % 7; // 0 = Monday
    const intervals: [number, number][] = this.holidays.has(iso)
      ? []
      : this.weekly[weekday].map(([start, end]) => [
          this.instant(year, month, dayOfMonth, start),
          this.instant(year, month, dayOfMonth, end),
        ]);
    this.days.set(day, intervals);
    return intervals;
  }

  /** The local day (days since 1970-01-01 in the calendar's zone) that holds an instant. */
  localDay(instant: number): number {
    // Zone offsets lie within a day either way, so the local day is the UTC day or a neighbour;
    // comparing with cached local midnights avoids a time-zone lookup per call.
    const utcDay = Math.floor(instant / DAY_MS);
    for (let day = utcDay - 1; day <= utcDay + 1; day++) {
      if (instant >= this.dayStart(day) && instant < this.dayStart(day + 1)) return day;
    }
    const local = DateTime.fromMillis(instant, { zone: this.timezone });
    return Math.floor(Date.UTC(local.year, local.month - 1, local.day) / DAY_MS);
  }

  /** The first instant of a local day (its midnight, or the end of a gap that swallowed it). */
  private dayStart(day: number): number {
    let start = this.starts.get(day);
    if (start === undefined) {
      const date = new Date(day * DAY_MS);
      start = DateTime.fromObject(
        { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() },
        { zone: this.timezone },
      ).toMillis();
      this.starts.set(day, start);
    }
    return start;
  }

  private instant(year: number, month: number, day: number, minute: number): number {
    if (minute >= 1440) {
      // 24:00 is the next day's midnight, which need not be 24 hours after this one's.
      return DateTime.fromObject({ year, month, day }, { zone: this.timezone }).plus({ days: 1 }).startOf('day').toMillis();
    }
    return DateTime.fromObject(
      { year, month, day, hour: Math.floor(minute / 60), minute: minute % 60 },
      { zone: this.timezone },
    ).toMillis();
  }
}
