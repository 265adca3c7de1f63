import * as path from 'node:path';
import { readBpi2014 } from './formats/bpi2014.format';
import { readGenericCsv, readGenericJson } from './formats/generic.format';
import { readServiceNow } from './formats/servicenow.format';
import { Detected, detectFormat } from './import.detect';
import { jsonElements, openCsv, openInput, sample } from './import.input';
import { TimeReader } from './import.time';
import { FORMAT_NAMES, FormatName, FormatReader, ImportItem, ImportRequestError } from './import.types';

export { ImportRequestError };

const READERS: Record<FormatName, FormatReader> = {
  servicenow: readServiceNow,
  bpi2014: readBpi2014,
  generic: readGenericCsv,
};

/**
 * What the file is: detected from its first bytes, or as `format` says (the header's separator
 * and JSON-ness are still read from the file).
 */
export async function detectFile(file: string, format?: string): Promise<Detected> {
  const detected = detectFormat(await sample(file));
  if (detected?.activityLog) {
    throw new ImportRequestError(
      `${path.basename(file)} is the BPI 2014 activity log: import Detail_Incident.csv with --events ${path.basename(file)}`,
    );
  }
  if (format) {
    if (detected?.syntax === 'json') return detected;
    return { format: format as FormatName, syntax: 'csv', delimiter: detected?.delimiter ?? ',', activityLog: false };
  }
  if (!detected) {
    throw new ImportRequestError(
      `cannot tell the format of ${path.basename(file)} from its header; give --format ${FORMAT_NAMES.join('|')}`,
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
): Promise<AsyncIterable<ImportItem>> {
  const input = openInput(file);
  const report = onProgress ? () => onProgress(input.bytesRead(), input.size) : () => undefined;
  if (detected.syntax === 'json') return withProgress(readGenericJson(jsonElements(input), time), report);
  const { header, rows } = await openCsv(input, detected.delimiter);
  return withProgress(READERS[format](rows, header, time), report);
}

async function* withProgress(items: AsyncIterable<ImportItem>, report: () => void): AsyncGenerator<ImportItem> {
  let n = 0;
  for await (const item of items) {
    if (++n % 2_000 === 0) report();
    yield item;
  }
  report();
}
