import * as path from 'node:path';
import { readBpi2014 } from './formats/bpi2014.format';
import { readGenericCsv, readGenericJson } from './formats/generic.format';
import { readServiceNow } from './formats/servicenow.format';
import { Detected, detectFormat } from './import.detect';
import { RowError } from './import.fields';
import { Encoding, jsonElements, openCsv, openInput, sample, Spread, spreadHint, WideEncoding } from './import.input';
import { checkText } from './import.limits';
import { TimeReader } from './import.time';
import { FORMAT_NAMES, FormatName, FormatReader, ImportItem, ImportRequestError, Rejection } from './import.types';

export { ImportRequestError };

const READERS: Record<FormatName, FormatReader> = {
  servicenow: readServiceNow,
  bpi2014: readBpi2014,
  generic: readGenericCsv,
};

export interface DetectOptions {
  /** The name messages give the file (an upload's original name); default its base name. */
  fileName?: string;
  encoding?: Encoding;
}

/**
 * Text written in UTF-16 (as Excel's "Unicode text" and PowerShell write it) or UTF-32: its
 * byte-order mark, or, without one, text that read as UTF-8 or Latin-1 has NULs beside each
 * ASCII character: at every position but one of each two (UTF-16) or four (UTF-32), and never
 * at that one (a run of NULs in a field is not that). Read on, every field would be refused for
 * its NULs.
 */
function wideEncoding(text: string, bom: WideEncoding | null): WideEncoding | null {
  if (bom !== null) return bom;
  const head = text.slice(0, 512);
  if (head.length < 16) return null;
  for (const [width, encoding] of [[4, 'UTF-32'], [2, 'UTF-16']] as const) {
    const nuls = new Array<number>(width).fill(0);
    for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 0) nuls[i % width]++;
    const share = head.length / width;
    const counts = [...nuls].sort((a, b) => a - b);
    // One position of each group holds the characters, the others only NULs.
    if (counts[0] <= 0.05 * share && counts[1] >= 0.8 * share) return encoding;
  }
  return null;
}

/** Refuses a file written in UTF-16 or UTF-32, naming it. */
export async function refuseWideText(file: string, name: string, encoding?: Encoding): Promise<void> {
  const { text, bom } = await sample(file, encoding);
  const wide = wideEncoding(text, bom);
  if (wide !== null) throw wideRefusal(name, wide, bom !== null);
}

/** The refusal of a wide file, saying how it was told: its mark, or its NULs. */
function wideRefusal(name: string, encoding: WideEncoding, byMark: boolean): ImportRequestError {
  const nuls = encoding === 'UTF-16' ? 'a NUL byte beside each character' : 'three NUL bytes beside each character';
  const told = byMark ? `its byte-order mark says ${encoding}` : nuls;
  return new ImportRequestError(`${name} looks like ${encoding} text (${told}): save it as UTF-8 and import it again`);
}

/**
 * What the file is: detected from its first bytes, or as `format` says (the header's separator
 * and JSON-ness are still read from the file). Messages name the file and no command-line flag,
 * since an upload gets them too.
 */
export async function detectFile(file: string, format?: string, options: DetectOptions = {}): Promise<Detected> {
  const name = options.fileName ?? path.basename(file);
  const { text, error, bom } = await sample(file, options.encoding);
  const wide = wideEncoding(text, bom);
  if (wide !== null) throw wideRefusal(name, wide, bom !== null);
  const start = text.replace(/^\uFEFF/, '');
  const first = start.trimStart()[0];
  // Unreadable before the end of its first line (an empty or tiny broken .gz): there is no header
  // to judge the format by.
  if (error && !start.includes('\n')) throw new ImportRequestError(`${name} could not be read: ${error.message}`);
  if (first === undefined) throw new ImportRequestError(`${name}: the file is empty`);
  const json = first === '[' || first === '{' || (format === 'generic' && /\.json(\.gz)?$/i.test(name));
  if (json) {
    if (format !== undefined && format !== 'generic') {
      throw new ImportRequestError(`${name} is JSON; the ${format} format is read from CSV (JSON is the generic format)`);
    }
    if (first !== '[') throw new ImportRequestError(`${name}: a generic JSON file must be an array of incidents`);
    return { format: 'generic', syntax: 'json', delimiter: ',', activityLog: false };
  }

  const detected = detectFormat(start);
  if (detected?.activityLog) {
    throw new ImportRequestError(
      `${name} is the BPI 2014 activity log: import Detail_Incident.csv with this file as its events file`,
    );
  }
  if (format) {
    return { format: format as FormatName, syntax: 'csv', delimiter: detected?.delimiter ?? ',', activityLog: false };
  }
  if (!detected) {
    throw new ImportRequestError(
      `cannot tell the format of ${name} from its header; choose the format (${FORMAT_NAMES.join(', ')})`,
    );
  }
  return detected;
}

/** The file's rows mapped by its format, as records and rejections, streamed. */
export async function readItems(
  file: string,
  format: FormatName,
  detected: Detected,
  time: TimeReader,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
  encoding: Encoding = 'utf8',
): Promise<AsyncIterable<ImportItem>> {
  const input = openInput(file, encoding);
  const report = onProgress ? () => onProgress(input.bytesRead(), input.size) : () => undefined;
  if (detected.syntax === 'json') return checked(readGenericJson(jsonElements(input), time), report);
  const { header, rows, unterminatedLine, spreadOf } = await openCsv(input, detected.delimiter);
  return checked(READERS[format](rows, header, time), report, unterminatedLine, spreadOf);
}

/** Added to the reason a file's last row is rejected when no line break ends it. */
export const CUT_HINT = ' (the file ends in this row, without a line break: was it cut short?)';

/**
 * A rejection as reported: a rejected last row that no line break ends (`unterminatedLine`, null
 * until the end is read) is most likely a file cut mid-row, and its reason says so.
 */
export function withCutHint<R extends { line: number; reason: string }>(rejection: R, unterminatedLine: number | null): R {
  return rejection.line === unterminatedLine ? { ...rejection, reason: rejection.reason + CUT_HINT } : rejection;
}

/**
 * A rejection as reported: the rejection of a row read over several lines (`spreadOf` its line
 * is defined) says so and where the quote that spreads it opens (spreadHint).
 */
export function withSpreadHint<R extends { line: number; reason: string }>(
  rejection: R,
  spreadOf: (line: number) => Spread | undefined,
): R {
  const spread = spreadOf(rejection.line);
  return spread === undefined ? rejection : { ...rejection, reason: rejection.reason + spreadHint(rejection.line, spread) };
}

/**
 * Rejects records with a text field over its limit or holding what PostgreSQL cannot store, and
 * reports progress now and then. Rejections pass through withSpreadHint (a text over its limit is
 * often the lines a stray quote joined) and those of the format through withCutHint.
 */
async function* checked(
  items: AsyncIterable<ImportItem>,
  report: () => void,
  unterminatedLine: () => number | null = () => null,
  spreadOf: (line: number) => Spread | undefined = () => undefined,
): AsyncGenerator<ImportItem> {
  let n = 0;
  for await (const item of items) {
    if (++n % 2_000 === 0) report();
    if (item.kind === 'rejection') {
      yield { kind: 'rejection', rejection: withCutHint(withSpreadHint(item.rejection, spreadOf), unterminatedLine()) };
      continue;
    }
    let rejection: Rejection | null = null;
    try {
      checkText(item.record, item.plain === true);
    } catch (error) {
      const { field, reason } = error as RowError;
      rejection = withSpreadHint({ line: item.line, field, reason, externalId: item.record.externalId }, spreadOf);
    }
    yield rejection === null ? item : { kind: 'rejection', rejection };
  }
  report();
}
