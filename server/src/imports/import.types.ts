import { IncidentRecord } from '../incidents/incident.record';
import { RowError } from './import.fields';
import { timeProblem, TimeReader } from './import.time';

/** A request the import cannot start on: missing file, unknown format, bad zone, a header without
 * the format's columns (CLI exit 2, HTTP 400). */
export class ImportRequestError extends Error {
  /**
   * @param parameter the one upload field or part at fault, when the refusal is of one (a zone,
   * an events file beside another format): the upload's 400 lists it under `parameters`, as the
   * API's other parameter refusals do. The message is what the command line prints and the run
   * records, with or without the parameter's name before it.
   */
  constructor(
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }

  /** What is wrong with the parameter, without its name, which the upload's 400 puts before it. */
  get problem(): string {
    const named = `${this.parameter}: `;
    return this.parameter !== undefined && this.message.startsWith(named) ? this.message.slice(named.length) : this.message;
  }
}

export const FORMAT_NAMES = ['servicenow', 'bpi2014', 'generic'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** One parsed line of a source file: its 1-based line number and its raw values. */
export interface SourceRow {
  line: number;
  values: string[];
  /** Set when the row cannot be taken whatever its format (undecodable bytes, cells beyond the header). */
  error?: RowError;
  /**
   * True when the text the row comes from holds no NUL, UTF-16 surrogate, byte-order mark or
   * U+FFFD: its values then need no cleaning of stray marks and no check of what PostgreSQL can
   * store, which cost as much as mapping them.
   */
  plain?: boolean;
}

/** A row (or, for an event log, an incident) the import could not take, and why. */
export interface Rejection {
  line: number;
  field: string | null;
  reason: string;
  externalId: string | null;
}

/** What a format makes of its rows: records to write, or rejections to report. */
export type ImportItem =
  | { kind: 'record'; line: number; record: IncidentRecord; plain?: boolean }
  | { kind: 'rejection'; rejection: Rejection };

/** Reads a file's rows after its header into records; pure, apart from reading the rows. */
export type FormatReader = (
  rows: AsyncIterable<SourceRow>,
  header: string[],
  time: TimeReader,
) => AsyncGenerator<ImportItem>;

/** Positions of the header's columns by name. */
export function columnIndex(header: string[]): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.replace(/\uFEFF/g, '').trim();
    if (key !== '' && !index.has(key)) index.set(key, i);
  });
  return index;
}

/** The position of the first of `names` the header has, or -1. */
export function pick(index: Map<string, number>, ...names: string[]): number {
  for (const name of names) {
    const i = index.get(name);
    if (i !== undefined) return i;
  }
  return -1;
}

/** A time field: null when absent, the instant when readable, else the row is rejected. */
export function timeField(time: TimeReader, value: string | null, field: string): Date | null {
  if (value === null) return null;
  const at = time.read(value);
  if (at === undefined) throw new RowError(field, timeProblem(value));
  return at;
}

/** True when a row holds nothing but separators (BPI 2014 has 203 such rows). */
export function isBlank(values: string[]): boolean {
  for (const value of values) if (value.trim() !== '') return false;
  return true;
}

/** Turns a RowError into a rejection; anything else is a bug and propagates. */
export function rejectionFrom(error: unknown, line: number, externalId: string | null): ImportItem {
  if (!(error instanceof RowError)) throw error;
  return { kind: 'rejection', rejection: { line, field: error.field, reason: error.reason, externalId } };
}
