import { DateTime } from 'luxon';

/** Bucket size of a series: a day, an ISO week (from Monday) or a calendar month, in the zone. */
export type Interval = 'day' | 'week' | 'month';
export const INTERVALS: readonly Interval[] = ['day', 'week', 'month'];

/** A report window of local dates [from, to), both YYYY-MM-DD. */
export interface DateWindow {
  from: string;
  to: string;
}

function day(date: string): DateTime {
  return DateTime.fromISO(date, { zone: 'UTC' });
}

/**
 * The window of the same length just before `window`. A window from the first of a month to the
 * first of a month is compared with the same number of calendar months before it (March is
 * compared with February, not with the 31 days before March); any other window with the same
 * number of days just before it.
 */
export function previousWindow(window: DateWindow): DateWindow {
  const from = day(window.from);
  const to = day(window.to);
  if (from.day === 1 && to.day === 1) {
    const months = Math.round(to.diff(from, 'months').months);
    return { from: from.minus({ months }).toISODate()!, to: window.from };
  }
  const days = Math.round(to.diff(from, 'days').days);
  return { from: from.minus({ days }).toISODate()!, to: window.from };
}

/** The default series interval: day up to 62 days, week up to 366, month beyond. */
export function defaultInterval(window: DateWindow): Interval {
  const days = day(window.to).diff(day(window.from), 'days').days;
  if (days <= 62) return 'day';
  if (days <= 366) return 'week';
  return 'month';
}

/** Most buckets a series may have: ten years of days. */
export const MAX_BUCKETS = 3660;

/** How many buckets `interval` cuts the window into, partial ones included (bucketStarts' count, without listing them). */
export function bucketCount(window: DateWindow, interval: Interval): number {
  // Counted from the start of the first bucket, which may lie before `from` (bucketStarts).
  const to = day(window.to);
  if (interval === 'day') return Math.ceil(to.diff(day(window.from), 'days').days);
  if (interval === 'week') return Math.ceil(to.diff(day(window.from).startOf('week'), 'days').days / 7);
  return Math.ceil(to.diff(day(window.from).startOf('month'), 'months').months);
}

/**
 * The local start dates of the buckets that meet [from, to): each day, each ISO week (from its
 * Monday) or each calendar month. The first may start before `from`; a bucket counts only what
 * lies inside the window.
 */
export function bucketStarts(window: DateWindow, interval: Interval): string[] {
  const end = day(window.to);
  const unit = interval === 'week' ? 'week' : interval === 'month' ? 'month' : 'day';
  const starts: string[] = [];
  for (let d = day(window.from).startOf(unit); d < end; d = d.plus({ [`${unit}s`]: 1 })) starts.push(d.toISODate()!);
  return starts;
}

/** The bucket boundaries as local dates: `from`, each later bucket's start, then `to`. */
export function bucketBounds(window: DateWindow, starts: string[]): string[] {
  return [window.from, ...starts.slice(1), window.to];
}
