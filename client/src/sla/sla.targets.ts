import type { SlaCalendar, Weekday } from '../api/api.types';
import { formatMinutes } from '../format/format';

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * A business day of a weekly calendar in minutes: the working hours of one working day
 * (METRICS.md), or null when the calendar is not weekly or its working days differ in length.
 */
export function businessDayMinutes(calendar: SlaCalendar | undefined): number | null {
  if (!calendar || calendar.kind !== 'weekly') return null;
  const lengths = WEEKDAYS.map((day) =>
    (calendar.weekly[day] ?? []).reduce((sum, [start, end]) => sum + Math.max(0, minutesOf(end) - minutesOf(start)), 0),
  ).filter((length) => length > 0);
  if (lengths.length === 0 || lengths.some((length) => length !== lengths[0])) return null;
  return lengths[0];
}

const days = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/**
 * A target as the working time it counts: "4 h" on a 24x7 calendar; "24 h working (3 business
 * days)" on a weekly one whose working days are all one length, without the days when they vary
 * or when the target is shorter than a business day.
 */
export function formatTarget(minutes: number | null | undefined, calendar: SlaCalendar | undefined): string {
  const time = formatMinutes(minutes);
  if (typeof minutes !== 'number' || !calendar || calendar.kind !== 'weekly') return time;
  const day = businessDayMinutes(calendar);
  if (day === null || minutes < day) return `${time} working`;
  const count = minutes / day;
  return `${time} working (${days.format(count)} business ${count === 1 ? 'day' : 'days'})`;
}
