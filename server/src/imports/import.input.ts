import * as fs from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { JsonElement } from './formats/generic.format';
import { CsvError, CsvRecord, CsvScanner, lineBreakIn } from './import.csv';
import { RowError } from './import.fields';
import { ImportRequestError, SourceRow } from './import.types';

/** How a file's bytes are read as text. */
export const ENCODINGS = ['utf8', 'latin1'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * Longest record taken (1 MiB, in bytes of a line and characters of a record): far above any real
 * row (every text field has its own, smaller limit, see import.limits.ts), small enough that one
 * bad line cannot fill memory.
 */
export const MAX_RECORD_CHARS = 1 << 20;

/** What utf8 decoding puts where the bytes are no UTF-8. */
const REPLACEMENT = '\uFFFD';
/** What a row's text must not hold to be SourceRow.plain. */
const NOT_PLAIN = /[\u0000\uD800-\uDFFF\uFEFF\uFFFD]/;

/**
 * The reason a row with undecodable bytes is rejected, in words that fit an upload from the
 * dashboard and the command alike: it once told an upload to use --encoding latin1, a flag of the
 * command alone.
 */
export const NOT_UTF8 =
  'not valid UTF-8: save the file as UTF-8, or import it again with encoding latin1 (Latin-1 under Encoding on the dashboard, --encoding latin1 on the command line)';

/**
 * The file cannot be read past `line` (a truncated gzip, a record over MAX_RECORD_CHARS across
 * several lines, as a quote left open that long makes): the rows up to it are good, nothing after
 * it can be trusted. `at` is the line where the unreadable part starts (the record over the
 * limit, or the line after the last good one): the line a rejection names.
 */
export class ReadError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
    readonly at: number = line + 1,
  ) {
    super(`the file could not be read past line ${line}: ${reason}`);
  }
}

/** A source file opened for reading: its bytes (unpacked), how many were read, and why they stopped early. */
export interface Input {
  /** The file's bytes; on a read error they end where the error came, and failure() says why. */
  chunks: AsyncIterable<Buffer>;
  size: number;
  encoding: Encoding;
  bytesRead(): number;
  /** The error that ended the bytes early (a truncated gzip, an I/O error), or null. */
  failure(): Error | null;
}

/** True when the file starts with gzip's magic bytes, whatever its name. */
export function isGzip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const n = fs.readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Bytes read from the file at a time. Small enough that the rows of one chunk are parsed and
 * gone before the young generation's next collection, so they do not pile up in the old one
 * (1 MiB chunks: 50 MB more peak memory at 1 M rows); reading is no slower.
 */
const READ_CHUNK = 64 * 1024;

function openBytes(file: string): { stream: Readable; bytesRead: () => number } {
  const raw = fs.createReadStream(file, { highWaterMark: READ_CHUNK });
  const stream = isGzip(file) ? pipeline(raw, createGunzip(), () => undefined) : raw;
  // The stream's own count: a 'data' listener would set it flowing, and whatever it read before
  // the reader started (a bulk load prepares its table in between) would be lost.
  return { stream, bytesRead: () => raw.bytesRead };
}

/** Opens a file, unpacking gzip transparently; progress counts the bytes of the file itself. */
export function openInput(file: string, encoding: Encoding = 'utf8'): Input {
  const size = fs.statSync(file).size;
  const { stream, bytesRead } = openBytes(file);
  let failure: Error | null = null;
  let ended = false;
  let signalled = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    signalled = true;
    const resume = wake;
    wake = null;
    resume?.();
  };
  stream.on('readable', signal);
  stream.on('error', (error: Error) => {
    failure ??= error;
    signal();
  });
  const stop = () => {
    ended = true;
    signal();
  };
  stream.on('end', stop);
  stream.on('close', stop);

  // Not `for await` over the stream: that stops at an error and drops what the stream still
  // holds, so a truncated .gz lost the rows unpacked last before the cut, more of them the slower
  // the rows were taken. read() still gives them after the error.
  async function* chunks(): AsyncGenerator<Buffer> {
    for (;;) {
      signalled = false;
      const chunk = stream.read() as Buffer | null;
      if (chunk !== null) {
        yield chunk;
        continue;
      }
      if (failure !== null || ended) return;
      if (!signalled) await new Promise<void>((resume) => (wake = resume));
    }
  }
  return { chunks: chunks(), size, encoding, bytesRead, failure: () => failure };
}

const EMPTY = Buffer.alloc(0);

/**
 * The bytes in whole lines, so that a read error never leaves half a row to be parsed as a row.
 * A line longer than MAX_RECORD_CHARS bytes is dropped as it streams (never held) and left as an
 * empty line, so the parser's line numbers stay right and the rows after it are read; its line
 * number goes to `oversized`.
 */
async function* wholeLines(input: Input, oversized: number[]): AsyncGenerator<Buffer> {
  let pending: Buffer = EMPTY;
  let line = 1; // the line `pending` belongs to
  let dropping = false;
  let newline = -1; // chosen from the first chunk
  for await (const chunk of input.chunks) {
    if (newline < 0) newline = lineBreakIn(chunk.length, (i) => chunk[i]);
    let data: Buffer = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    pending = EMPTY;
    if (dropping) {
      const nl = data.indexOf(newline);
      if (nl < 0) continue;
      data = data.subarray(nl); // the newline stays: the dropped line is an empty one
      dropping = false;
    }
    const last = data.lastIndexOf(newline);
    const parts: Buffer[] = [];
    let from = 0;
    let start = 0;
    for (let nl = data.indexOf(newline); nl >= 0 && nl <= last; nl = data.indexOf(newline, nl + 1)) {
      if (nl - start > MAX_RECORD_CHARS) {
        oversized.push(line);
        parts.push(data.subarray(from, start));
        from = nl;
      }
      line++;
      start = nl + 1;
    }
    if (last >= 0) parts.push(data.subarray(from, last + 1));
    const rest = data.subarray(last + 1);
    if (rest.length > MAX_RECORD_CHARS) {
      oversized.push(line);
      dropping = true;
    } else {
      pending = rest;
    }
    for (const part of parts) if (part.length > 0) yield part;
  }
  // After a read error the last line may be cut anywhere: it is not taken.
  if (input.failure() === null && pending.length > 0) yield pending;
}

/**
 * The first characters of the file's text (unpacked), enough to read its header ('' for an empty
 * file), and the error that stopped the reading, if one did.
 */
export async function sample(
  file: string,
  encoding: Encoding = 'utf8',
  bytes = 64 * 1024,
): Promise<{ text: string; error: Error | null; bom: WideEncoding | null }> {
  const { stream } = openBytes(file);
  const chunks: Buffer[] = [];
  let length = 0;
  let error: Error | null = null;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= bytes) break;
    }
  } catch (caught) {
    // A file cut short may still have a header to read; the import reports the cut where it happens.
    error = caught as Error;
  } finally {
    stream.destroy();
  }
  const head = Buffer.concat(chunks);
  // As for the rows: a byte-order mark says UTF-8, whatever encoding was asked for.
  return { text: head.toString(head.subarray(0, 3).equals(UTF8_BOM) ? 'utf8' : encoding), error, bom: wideBom(head) };
}

/** Encodings of two or four bytes a character, which the import does not read. */
export type WideEncoding = 'UTF-16' | 'UTF-32';

/**
 * The encoding a byte-order mark at the start says, little- or big-endian, when it is UTF-16 or
 * UTF-32. UTF-32's little-endian mark (FF FE 00 00) starts like UTF-16's, so it is told first.
 */
function wideBom(head: Buffer): WideEncoding | null {
  const at = (i: number) => (i < head.length ? head[i] : -1);
  if ((at(0) === 0xff && at(1) === 0xfe && at(2) === 0 && at(3) === 0) || (at(0) === 0 && at(1) === 0 && at(2) === 0xfe && at(3) === 0xff)) {
    return 'UTF-32';
  }
  if ((at(0) === 0xff && at(1) === 0xfe) || (at(0) === 0xfe && at(1) === 0xff)) return 'UTF-16';
  return null;
}

/**
 * Checks a row against its header: no cell undecodable (when `checkUtf8`: the text was read as
 * UTF-8 and its chunk holds U+FFFD), no non-empty cell beyond the header. Returns the RowError that rejects the row, or undefined.
 */
export function rowProblem(values: string[], header: string[], checkUtf8: boolean): RowError | undefined {
  if (checkUtf8) {
    for (let i = 0; i < values.length; i++) {
      if (values[i].includes(REPLACEMENT)) return new RowError(columnName(header, i), NOT_UTF8);
    }
  }
  if (values.length > header.length) {
    for (let i = header.length; i < values.length; i++) {
      if (values[i].trim() !== '') {
        // A row spread over several lines is told so where it is rejected (withSpreadHint).
        return new RowError(`column ${i + 1}`, `${values.length} cells, the header has ${header.length}`);
      }
    }
  }
  return undefined;
}

function columnName(header: string[], i: number): string {
  const name = (header[i] ?? '').replace(/\uFEFF/g, '').trim();
  return name !== '' ? name : `column ${i + 1}`;
}

/** UTF-8's byte-order mark: a file that starts with it is UTF-8, whatever encoding was asked for. */
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The file's text in decoded chunks that end at a line break (see wholeLines), and whether it may
 * hold undecodable bytes: the encoding is utf8 (asked for, or stated by a byte-order mark).
 */
async function* decoded(input: Input, oversized: number[]): AsyncGenerator<{ text: string; utf8: boolean }> {
  let decoder: StringDecoder | null = null;
  let utf8 = input.encoding === 'utf8';
  for await (let chunk of wholeLines(input, oversized)) {
    if (decoder === null) {
      if (chunk.subarray(0, 3).equals(UTF8_BOM)) {
        utf8 = true;
        chunk = chunk.subarray(3);
      }
      decoder = new StringDecoder(utf8 ? 'utf8' : input.encoding);
    }
    yield { text: decoder.write(chunk), utf8 };
  }
  if (decoder !== null) {
    const text = decoder.end();
    if (text !== '') yield { text, utf8 };
  }
}

/** Where a row read over several lines spreads: its last line, and the lines of the quote that spreads it. */
export interface Spread {
  to: number;
  quoteLines: [number, number];
}

/**
 * The rows read over several lines whose spread is kept for their rejection: the last ones read.
 * A rejection comes at most one incident's rows after its row (a ServiceNow audit log's rows of
 * one incident are folded before it is judged), so this many is plenty, and memory stays flat
 * when a file has a multi-line description in every row.
 */
const SPREADS_KEPT = 10_000;

/**
 * What a rejection of a row read over several lines adds to its reason: a stray quote (one never
 * meant to be closed) runs to the next quote in the file and joins the lines in between into one
 * row, whose rejection otherwise names a field and a value that make little sense.
 */
export function spreadHint(line: number, spread: Spread): string {
  const [opened, closed] = spread.quoteLines;
  return (
    ` (read as one row over lines ${line} to ${spread.to}: a quote opened on line ${opened} runs to line ${closed};` +
    ` if those lines are rows of their own, check line ${opened} for a stray quote)`
  );
}

/**
 * A CSV file's header and an iterator over its rows (1-based line numbers of the line a row
 * starts on, header = line 1). A row the header check refuses carries its `error`; a file that
 * cannot be read to its end makes the iterator throw a ReadError after the last good row.
 */
export async function openCsv(
  input: Input,
  delimiter: string,
): Promise<{
  header: string[];
  rows: AsyncGenerator<SourceRow>;
  unterminatedLine: () => number | null;
  spreadOf: (line: number) => Spread | undefined;
}> {
  const oversized: number[] = [];
  const scanner = new CsvScanner(delimiter, MAX_RECORD_CHARS);
  const chunks = decoded(input, oversized);
  let stop: CsvError | null = null;
  let ended = false;
  // Whether the records of the last call to more() may hold undecodable bytes: U+FFFD is in a
  // chunk they come from (a record may start in the chunk before).
  let checkUtf8 = false;
  let lastHadReplacement = false;
  // The same for anything that SourceRow.plain rules out.
  let plain = true;
  let lastWasPlain = true;
  let batch: CsvRecord[] = [];
  let next = 0;
  // The line of the last record when the text does not end with a line break, once read.
  let unterminated: number | null = null;
  // The last SPREADS_KEPT rows read over several lines, by their first line, oldest first.
  const spreads = new Map<number, Spread>();

  /** The next records of the file, [] at its end or where it cannot be read on (`stop`). */
  async function more(): Promise<CsvRecord[]> {
    const out: CsvRecord[] = [];
    checkUtf8 = lastHadReplacement;
    plain = lastWasPlain;
    while (out.length === 0 && !ended && stop === null) {
      const chunk = await chunks.next();
      try {
        if (chunk.done) {
          ended = true;
          // After a read error the last record may be cut anywhere: it is not taken.
          if (input.failure() === null) {
            const before = out.length;
            scanner.end(out);
            if (out.length > before && scanner.endsUnbroken) unterminated = out[out.length - 1].line;
          }
        } else {
          lastHadReplacement = chunk.value.utf8 && chunk.value.text.includes(REPLACEMENT);
          checkUtf8 ||= lastHadReplacement;
          lastWasPlain = !NOT_PLAIN.test(chunk.value.text);
          plain &&= lastWasPlain;
          scanner.push(chunk.value.text, out);
        }
      } catch (error) {
        if (!(error instanceof CsvError)) throw error;
        stop = error;
      }
    }
    return out;
  }

  batch = await more();
  // A header that cannot be read would otherwise read as one without the format's columns.
  if (oversized[0] === 1) throw new ImportRequestError(`the header (line 1) is longer than ${MAX_RECORD_CHARS} bytes`);
  if (batch.length === 0 && stop !== null) {
    throw new ImportRequestError(`the header cannot be read: ${(stop as CsvError).message}`);
  }
  const first = batch.length > 0 ? batch[next++] : undefined;
  if (first?.problem) throw new ImportRequestError(`the header cannot be read: ${first.problem.reason}`);
  const header = first?.values ?? [];
  let lastLine = first?.line ?? 0;

  function* longLines(before: number): Generator<SourceRow> {
    while (oversized.length > 0 && oversized[0] < before) {
      const line = oversized.shift()!;
      yield { line, values: [], error: new RowError('(line)', `longer than ${MAX_RECORD_CHARS} bytes`) };
    }
  }

  async function* rows(): AsyncGenerator<SourceRow> {
    for (;;) {
      if (next >= batch.length) {
        batch = await more();
        next = 0;
        if (batch.length === 0) break;
      }
      const { line, values, problem, breaks, quoteLines } = batch[next++];
      // Checked first: a generator delegated to for every row cost more than the row's mapping.
      if (oversized.length > 0 && oversized[0] < line) yield* longLines(line);
      lastLine = line;
      if (quoteLines !== undefined) {
        if (spreads.size >= SPREADS_KEPT) spreads.delete(spreads.keys().next().value!);
        spreads.set(line, { to: line + breaks!, quoteLines });
      }
      // A record the scanner could not read (a quote never closed) is rejected at its column.
      const error = problem
        ? new RowError(columnName(header, problem.field), problem.reason)
        : rowProblem(values, header, checkUtf8);
      yield { line, values, error, plain };
    }
    const failure = input.failure();
    if (failure !== null) throw new ReadError(lastLine, failure.message);
    if (stop !== null) throw new ReadError(lastLine, (stop as CsvError).message, (stop as CsvError).line);
    yield* longLines(Infinity);
  }
  return { header, rows: rows(), unterminatedLine: () => unterminated, spreadOf: (line) => spreads.get(line) };
}

const SPACE = new Set([' ', '\t', '\r', '\n', '\uFEFF']);

/** Marks an element longer than MAX_RECORD_CHARS; it is rejected without being held. */
export const TOO_LARGE = Symbol('too large');

/**
 * Streams the elements of a top-level JSON array, one at a time, without holding the file: a
 * small scanner finds where each element ends, and JSON.parse reads it. Every element is yielded,
 * objects or not (the reader rejects what is no incident); an element that is no valid JSON has
 * the value undefined. Throws ImportRequestError when the file is no array, ReadError when it
 * ends inside the array or cannot be read to its end.
 */
export async function* jsonElements(input: Input): AsyncGenerator<JsonElement> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let inScalar = false;
  let line = 1;
  let startLine = 0;
  let index = 0;
  let pending = '';
  let tooLarge = false;
  let started = false;
  let closed = false;
  let lastGood = 1;

  const finish = (): JsonElement => {
    const undecodable = input.encoding === 'utf8' && pending.includes(REPLACEMENT);
    const element = { line: startLine, index, value: tooLarge ? TOO_LARGE : parseElement(pending), undecodable };
    pending = '';
    tooLarge = false;
    inScalar = false;
    return element;
  };

  const decoder = new StringDecoder(input.encoding);
  for await (const chunk of input.chunks) {
    const text = decoder.write(chunk);
    let from = depth >= 2 || inScalar ? 0 : -1;
    const keep = (end: number) => {
      if (from < 0) return;
      if (!tooLarge) pending += text.slice(from, end);
      if (pending.length > MAX_RECORD_CHARS) {
        tooLarge = true;
        pending = '';
      }
      from = -1;
    };
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\n') line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (depth === 1 && !inScalar && !SPACE.has(ch) && ch !== ',' && ch !== ']' && ch !== '[' && ch !== '{') {
        inScalar = true;
        index++;
        startLine = line;
        from = i;
      }
      if (ch === '"') {
        inString = true;
        continue;
      }
      if (depth === 0) {
        if (SPACE.has(ch)) continue;
        if (ch === '[' && !started) {
          started = true;
          depth = 1;
          continue;
        }
        if (!started) throw new ImportRequestError('a generic JSON file must be an array of incidents');
        throw new ReadError(lastGood, `unexpected "${ch}" after the array`);
      }
      if (depth === 1 && (ch === ',' || ch === ']')) {
        if (inScalar) {
          keep(i);
          lastGood = line;
          yield finish();
        }
        if (ch === ']') {
          depth = 0;
          closed = true;
        }
        continue;
      }
      if (ch === '{' || ch === '[') {
        depth++;
        if (depth === 2 && !inScalar) {
          index++;
          startLine = line;
          from = i;
          pending = '';
        }
        continue;
      }
      if ((ch === '}' || ch === ']') && depth >= 2) {
        depth--;
        if (depth === 1 && !inScalar) {
          keep(i + 1);
          lastGood = line;
          yield finish();
        }
      }
    }
    if (depth >= 2 || inScalar) keep(text.length);
  }
  const failure = input.failure();
  if (failure !== null) throw new ReadError(lastGood, failure.message);
  if (!started) throw new ImportRequestError('a generic JSON file must be an array of incidents');
  if (!closed) throw new ReadError(lastGood, 'the file ends inside the array');
}

function parseElement(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
