import * as fs from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { JsonElement } from './formats/generic.format';
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

/** The reason a row with undecodable bytes is rejected. */
export const NOT_UTF8 = 'not valid UTF-8: save the file as UTF-8 or import it with --encoding latin1';

/**
 * The file cannot be read past `line` (a truncated gzip, an unterminated quote, a record over
 * MAX_RECORD_CHARS across several lines): the rows before it are good, nothing after it can be
 * trusted.
 */
export class ReadError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
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

function openBytes(file: string): { stream: Readable; bytesRead: () => number } {
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  let read = 0;
  raw.on('data', (chunk: Buffer | string) => {
    read += chunk.length;
  });
  const stream = isGzip(file) ? pipeline(raw, createGunzip(), () => undefined) : raw;
  return { stream, bytesRead: () => read };
}

/** Opens a file, unpacking gzip transparently; progress counts the bytes of the file itself. */
export function openInput(file: string, encoding: Encoding = 'utf8'): Input {
  const size = fs.statSync(file).size;
  const { stream, bytesRead } = openBytes(file);
  let failure: Error | null = null;

  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (error) {
      failure = error as Error;
    }
  }
  return { chunks: chunks(), size, encoding, bytesRead, failure: () => failure };
}

const NEWLINE = 0x0a;
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
  for await (const chunk of input.chunks) {
    let data: Buffer = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    pending = EMPTY;
    if (dropping) {
      const nl = data.indexOf(NEWLINE);
      if (nl < 0) continue;
      data = data.subarray(nl); // the newline stays: the dropped line is an empty one
      dropping = false;
    }
    const last = data.lastIndexOf(NEWLINE);
    const parts: Buffer[] = [];
    let from = 0;
    let start = 0;
    for (let nl = data.indexOf(NEWLINE); nl >= 0 && nl <= last; nl = data.indexOf(NEWLINE, nl + 1)) {
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
): Promise<{ text: string; error: Error | null }> {
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
  return { text: Buffer.concat(chunks).toString(encoding), error };
}

/**
 * Checks a row against its header: no cell undecodable (utf8), no non-empty cell beyond the
 * header. Returns the RowError that rejects the row, or undefined.
 */
export function rowProblem(values: string[], header: string[], encoding: Encoding): RowError | undefined {
  if (encoding === 'utf8') {
    for (let i = 0; i < values.length; i++) {
      if (values[i].includes(REPLACEMENT)) return new RowError(columnName(header, i), NOT_UTF8);
    }
  }
  if (values.length > header.length) {
    for (let i = header.length; i < values.length; i++) {
      if (values[i].trim() !== '') {
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

/**
 * A CSV file's header and an iterator over its rows (1-based line numbers, header = line 1). A row
 * the header check refuses carries its `error`; a file that cannot be read to its end makes the
 * iterator throw a ReadError after the last good row.
 */
export async function openCsv(
  input: Input,
  delimiter: string,
): Promise<{ header: string[]; rows: AsyncGenerator<SourceRow> }> {
  let stop: { line: number; reason: string } | null = null;
  const oversized: number[] = [];
  const parser = parse({
    delimiter,
    encoding: input.encoding,
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
    // csv-parse cannot go on after these (an unterminated quote, a record over the limit across
    // several lines); with this option it ends cleanly, so the rows parsed before still reach us.
    skip_records_with_error: true,
    on_skip: (error) => {
      stop ??= { line: (error as { lines?: number } | undefined)?.lines ?? 0, reason: error?.message ?? 'unreadable' };
      return undefined;
    },
  });
  const parsed = pipeline(Readable.from(wholeLines(input, oversized)), parser, () => undefined);
  const iterator = (parsed as AsyncIterable<{ record: string[]; info: { lines: number } }>)[Symbol.asyncIterator]();
  const first = await iterator.next();
  const header = first.done ? [] : first.value.record;
  let lastLine = first.done ? 0 : first.value.info.lines;

  function* longLines(before: number): Generator<SourceRow> {
    while (oversized.length > 0 && oversized[0] < before) {
      const line = oversized.shift()!;
      yield { line, values: [], error: new RowError('(line)', `longer than ${MAX_RECORD_CHARS} bytes`) };
    }
  }

  async function* rows(): AsyncGenerator<SourceRow> {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const line = next.value.info.lines;
      if (stop !== null && line >= stop.line) break;
      yield* longLines(line);
      lastLine = line;
      const values = next.value.record;
      yield { line, values, error: rowProblem(values, header, input.encoding) };
    }
    const failure = input.failure();
    if (failure !== null) throw new ReadError(lastLine, failure.message);
    if (stop !== null) throw new ReadError(lastLine, stop.reason);
    yield* longLines(Infinity);
  }
  return { header, rows: rows() };
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
