import * as path from 'node:path';
import { readBpi2014 } from './formats/bpi2014.format';
import { readGenericCsv, readGenericJson } from './formats/generic.format';
import { readServiceNow } from './formats/servicenow.format';
import { Detected, detectFormat } from './import.detect';
import { RowError } from './import.fields';
import { Encoding, jsonElements, openCsv, openInput, sample } from './import.input';
import { checkText } from './import.limits';
import { TimeReader } from './import.time';
import { FORMAT_NAMES, FormatName, FormatReader, ImportItem, ImportRequestError } from './import.types';

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
 * Text written in UTF-16 (as Excel's "Unicode text" and PowerShell write it): its byte-order
 * mark, or, without one, text that read as UTF-8 or Latin-1 has a NUL beside each ASCII
 * character, at every other position and only there (a run of NULs in a field is not that).
 * Read on, every field would be refused for its NULs.
 */
function looksUtf16(text: string, bom: boolean): boolean {
  if (bom) return true;
  const head = text.slice(0, 512);
  if (head.length < 16) return false;
  const nuls = [0, 0];
  for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 0) nuls[i % 2]++;
  const half = head.length / 2;
  return Math.max(...nuls) >= 0.8 * half && Math.min(...nuls) <= 0.05 * half;
}

/** Refuses a file written in UTF-16, naming it. */
export async function refuseUtf16(file: string, name: string, encoding?: Encoding): Promise<void> {
  const { text, utf16Bom } = await sample(file, encoding);
  if (looksUtf16(text, utf16Bom)) throw utf16Refusal(name);
}

function utf16Refusal(name: string): ImportRequestError {
  return new ImportRequestError(`${name} looks like UTF-16 text (a NUL byte beside each character): save it as UTF-8 and import it again`);
}

/**
 * What the file is: detected from its first bytes, or as `format` says (the header's separator
 * and JSON-ness are still read from the file). Messages name the file and no command-line flag,
 * since an upload gets them too.
 */
export async function detectFile(file: string, format?: string, options: DetectOptions = {}): Promise<Detected> {
  const name = options.fileName ?? path.basename(file);
  const { text, error, utf16Bom } = await sample(file, options.encoding);
  if (looksUtf16(text, utf16Bom)) throw utf16Refusal(name);
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
  const { header, rows, unterminatedLine } = await openCsv(input, detected.delimiter);
  return checked(READERS[format](rows, header, time), report, unterminatedLine);
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
 * Rejects records with a text field over its limit or holding what PostgreSQL cannot store, and
 * reports progress now and then. Rejections pass through withCutHint.
 */
async function* checked(
  items: AsyncIterable<ImportItem>,
  report: () => void,
  unterminatedLine: () => number | null = () => null,
): AsyncGenerator<ImportItem> {
  let n = 0;
  for await (const item of items) {
    if (++n % 2_000 === 0) report();
    if (item.kind === 'record') {
      try {
        checkText(item.record, item.plain === true);
      } catch (error) {
        const { field, reason } = error as RowError;
        yield { kind: 'rejection', rejection: { line: item.line, field, reason, externalId: item.record.externalId } };
        continue;
      }
    }
    yield item.kind === 'rejection' ? { kind: 'rejection', rejection: withCutHint(item.rejection, unterminatedLine()) } : item;
  }
  report();
}
