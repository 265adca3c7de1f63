/** Calendar-date arithmetic on YYYY-MM-DD strings, and the period presets of the filter bar. */

import type { Interval } from '../api/api.types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The first day and the latest window end the API takes (server/src/common/validation.ts). */
export const FIRST_DAY = '1900-01-01';
export const LAST_WINDOW_END = '3000-01-01';

/** True for a well-formed YYYY-MM-DD that names a real day. */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  // Month 13 or day 45 make no Date at all (toISOString would throw); 30 February rolls over.
  const date = parseDate(value);
  return !Number.isNaN(date.getTime()) && toDateString(date) === value;
}

function parseDate(value: string): Date {
  return new Date(`${value}T00:00:00Z`);
}

function toDateString(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The date `days` days after `value` (negative goes back). */
export function addDays(value: string, days: number): string {
  const date = parseDate(value);
  date.setUTCDate(date.getUTCDate() + days);
  return toDateString(date);
}

/** The first day of the month `months` months after the month of `value`. */
export function addMonths(value: string, months: number): string {
  const date = parseDate(value);
  return toDateString(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1)));
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((parseDate(to).getTime() - parseDate(from).getTime()) / 86_400_000);
}

/** The start of the bucket after the one starting at `bucket`. */
export function nextBucket(bucket: string, interval: Interval): string {
  if (interval === 'day') return addDays(bucket, 1);
  if (interval === 'week') return addDays(bucket, 7);
  return addMonths(bucket, 1);
}

/** The interval the API picks when none is given (api.md): day to 62 days, week to 366. */
export function defaultInterval(from: string, to: string): Interval {
  const days = daysBetween(from, to);
  if (days <= 62) return 'day';
  if (days <= 366) return 'week';
  return 'month';
}

export type PresetId = 'last7' | 'last30' | 'last90' | 'lastMonth' | 'all';

export const PRESETS: { id: PresetId; label: string }[] = [
  { id: 'last7', label: 'Last 7 days' },
  { id: 'last30', label: 'Last 30 days' },
  { id: 'last90', label: 'Last 90 days' },
  { id: 'lastMonth', label: 'Last full month' },
  { id: 'all', label: 'All data' },
];

/**
 * The window [from, to) of a preset, counted back from the latest day with data (`latest`, a
 * local date) rather than from today, because imported exports are often years old. `earliest`
 * bounds "all data".
 */
export function presetWindow(
  id: PresetId,
  latest: string,
  earliest: string | null,
): { from: string; to: string } {
  const to = addDays(latest, 1);
  switch (id) {
    case 'last7':
      return { from: addDays(to, -7), to };
    case 'last30':
      return { from: addDays(to, -30), to };
    case 'last90':
      return { from: addDays(to, -90), to };
    case 'lastMonth': {
      // The latest month counts as full only when the data reaches its last day.
      const monthOfTo = addMonths(to, 0);
      const end = monthOfTo === to ? to : monthOfTo;
      return { from: addMonths(end, -1), to: end };
    }
    case 'all':
      return { from: earliest ?? addDays(to, -30), to };
  }
}

/** The preset whose window equals [from, to), if any. */
export function matchingPreset(
  from: string,
  to: string,
  latest: string | null,
  earliest: string | null,
): PresetId | null {
  if (!latest) return null;
  for (const { id } of PRESETS) {
    const window = presetWindow(id, latest, earliest);
    if (window.from === from && window.to === to) return id;
  }
  return null;
}
