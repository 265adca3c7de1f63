/** A field of one source row that cannot be taken; the row is rejected with it. */
export class RowError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** Trims a raw value, drops stray byte-order marks and turns the format's placeholders into null. */
export function clean(raw: string | undefined, placeholders: ReadonlySet<string>): string | null {
  if (raw === undefined) return null;
  let value = raw;
  // Glued-together exports leave U+FEFF inside fields (BPI 2014's activity log has 23 of them).
  if (value.includes('\uFEFF')) value = value.replace(/\uFEFF/g, '');
  value = value.trim();
  // An empty set still hashes the value to look it up: the generic format has no placeholders.
  if (value === '' || (placeholders.size > 0 && placeholders.has(value))) return null;
  return value;
}

/** The largest count a row may hold: counts are stored as PostgreSQL integers. */
export const MAX_COUNT = 2_147_483_647;

/**
 * A whole number from 0 to MAX_COUNT in plain digits ("2", or "2.0" as spreadsheets and pandas
 * write whole numbers), or null when absent. "1e3" and "0x10" are refused, and so is a count past
 * the column's range, which would otherwise fail the whole batch.
 */
export function count(value: string | null, field: string): number | null {
  if (value === null) return null;
  const n = /^\d{1,20}(?:\.0*)?$/.test(value) ? Number(value) : NaN;
  if (!(n <= MAX_COUNT)) throw new RowError(field, `not a whole number from 0 to ${MAX_COUNT}: "${value}"`);
  return n;
}

/**
 * The leading level of a coded value: "2 - Medium" -> 2, "5 - Very Low" -> 5, "3" -> 3.
 * Throws when the value does not start with a number between min and max.
 */
export function level(value: string | null, field: string, min: number, max: number): number | null {
  if (value === null) return null;
  const match = /^(\d+)(?:\s*-.*)?$/.exec(value);
  const n = match ? Number(match[1]) : NaN;
  if (!(n >= min && n <= max)) throw new RowError(field, `expected ${min}..${max}, got "${value}"`);
  return n;
}

const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);

/** true/false, t/f, yes/no, y/n, 1/0 in any case; null when absent. */
export function flag(value: string | null, field: string): boolean | null {
  if (value === null) return null;
  const lower = value.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw new RowError(field, `not true or false: "${value}"`);
}

/**
 * A decimal number written with a point or a decimal comma ("3871,691111"); null when absent or
 * when it is no plain number (Kaggle's Indian digit grouping "3,87,16,91,111" cannot be read back).
 */
export function decimal(value: string | null): number | null {
  if (value === null) return null;
  if (!/^-?\d+(?:[.,]\d+)?$/.test(value)) return null;
  return Number(value.replace(',', '.'));
}
