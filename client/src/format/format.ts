/**
 * How the dashboard writes numbers and instants. Pure functions, shared with the browser test so
 * that it compares the API's figures with the page in exactly the page's notation.
 */

/** Shown wherever a figure is null (no incidents behind it) or not a finite number. */
export const NONE = '—';

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Hours with one decimal: 3.25 -> "3.3 h"; null -> "—". */
export function formatHours(value: number | null | undefined): string {
  return isNumber(value) ? `${oneDecimal.format(value)} h` : NONE;
}

/** Minutes as hours and minutes: 90 -> "1 h 30 min"; null -> "—". */
export function formatMinutes(value: number | null | undefined): string {
  if (!isNumber(value)) return NONE;
  const sign = value < 0 ? '−' : '';
  const total = Math.round(Math.abs(value));
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  if (hours === 0) return `${sign}${minutes} min`;
  return minutes === 0 ? `${sign}${countFormat.format(hours)} h` : `${sign}${countFormat.format(hours)} h ${minutes} min`;
}

/** A share 0..1 as a percentage with one decimal: 0.8571 -> "85.7 %"; null -> "—". */
export function formatRate(value: number | null | undefined): string {
  return isNumber(value) ? `${oneDecimal.format(value * 100)} %` : NONE;
}

/** A whole count with thousands separators: 12345 -> "12,345"; null -> "—". */
export function formatCount(value: number | null | undefined): string {
  return isNumber(value) ? countFormat.format(value) : NONE;
}

/**
 * A count for a narrow label: exact below ten thousand (6,844), else rounded to thousands with
 * one decimal below a hundred thousand (98.8k), to thousands below a million (412k), then to
 * millions with one decimal (1.2M), never showing 100.0k or 1,000k; null -> "—".
 */
export function formatShortCount(value: number | null | undefined): string {
  if (!isNumber(value)) return NONE;
  const size = Math.abs(value);
  if (size < 10_000) return countFormat.format(value);
  if (size < 99_950) return `${oneDecimal.format(value / 1000)}k`;
  if (size < 999_500) return `${countFormat.format(value / 1000)}k`;
  return `${oneDecimal.format(value / 1_000_000)}M`;
}

export type ChangeKind = 'hours' | 'rate' | 'count';

/** The change from the previous period, in the figure's own unit (rates in points). */
export function formatChange(
  current: number | null | undefined,
  previous: number | null | undefined,
  kind: ChangeKind,
): string {
  if (!isNumber(current) || !isNumber(previous)) return NONE;
  const delta = current - previous;
  const size = Math.abs(delta);
  const text =
    kind === 'hours'
      ? `${oneDecimal.format(size)} h`
      : kind === 'rate'
        ? `${oneDecimal.format(size * 100)} pt`
        : countFormat.format(size);
  // A change that rounds to nothing is shown as none, never as "−0.0".
  const sign = /[1-9]/.test(text) ? (delta > 0 ? '+' : '−') : '±';
  return `${sign}${text}`;
}

const partsCache = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsCache.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    partsCache.set(timeZone, format);
  }
  return format;
}

function partsOf(instant: Date, timeZone: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of dateTimeFormat(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return parts;
}

/** An instant as "YYYY-MM-DD HH:mm" in the given IANA zone; null or invalid -> "—". */
export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return NONE;
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return NONE;
  const p = partsOf(instant, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The local calendar date (YYYY-MM-DD) of an instant in the given zone. */
export function localDate(iso: string, timeZone: string): string {
  const p = partsOf(new Date(iso), timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The UTC offset ("+01:00") that an ISO string carries, or "Z"/"" when it has none. */
export function offsetOf(iso: string): string {
  const match = /([+-]\d{2}:\d{2}|Z)$/.exec(iso);
  return match ? match[1] : '';
}

/**
 * An instant written with the calendar's own offset (as the API sends dueAt) shown in that
 * calendar's zone: "2018-11-04 11:00 America/Sao_Paulo (-02:00)".
 */
export function formatZoned(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return NONE;
  const offset = offsetOf(iso);
  return `${formatDateTime(iso, timeZone)} ${timeZone}${offset && offset !== 'Z' ? ` (${offset})` : ''}`;
}
