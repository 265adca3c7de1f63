import * as fs from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { JsonElement } from './formats/generic.format';
import { SourceRow } from './import.types';

/** A source file opened for reading: its decoded text, and how many of its bytes were read. */
export interface Input {
  stream: Readable;
  size: number;
  bytesRead(): number;
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

/** Opens a file, unpacking gzip transparently; progress counts the bytes of the file itself. */
export function openInput(file: string): Input {
  const size = fs.statSync(file).size;
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  let read = 0;
  raw.on('data', (chunk: Buffer | string) => {
    read += chunk.length;
  });
  let stream: Readable = raw;
  if (isGzip(file)) {
    const gunzip = createGunzip();
    stream = pipeline(raw, gunzip, () => undefined);
  }
  return { stream, size, bytesRead: () => read };
}

/** The first bytes of the file's text (unpacked), enough to read its header. */
export async function sample(file: string, bytes = 64 * 1024): Promise<string> {
  const input = openInput(file);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of input.stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= bytes) break;
    }
  } finally {
    input.stream.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A CSV file's header and an iterator over its rows (1-based line numbers, header = line 1). */
export async function openCsv(
  input: Input,
  delimiter: string,
): Promise<{ header: string[]; rows: AsyncGenerator<SourceRow> }> {
  const parser = parse({
    delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  const parsed = pipeline(input.stream, parser, () => undefined);
  const iterator = (parsed as AsyncIterable<{ record: string[]; info: { lines: number } }>)[Symbol.asyncIterator]();
  const first = await iterator.next();
  const header = first.done ? [] : first.value.record;

  async function* rows(): AsyncGenerator<SourceRow> {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield { line: next.value.info.lines, values: next.value.record };
    }
  }
  return { header, rows: rows() };
}

/**
 * Streams the elements of a top-level JSON array, one object at a time, without holding the file:
 * a small scanner finds where each element ends, and JSON.parse reads it.
 */
export async function* jsonElements(input: Input): AsyncGenerator<JsonElement> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let startLine = 0;
  let pending = '';
  let started = false;

  // Decoded as a stream, so a character split across two chunks stays whole.
  input.stream.setEncoding('utf8');
  for await (const text of input.stream as AsyncIterable<string>) {
    let from = depth >= 2 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\n') line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') {
        inString = true;
        continue;
      }
      if (ch === '{' || ch === '[') {
        depth++;
        if (depth === 1) {
          if (ch !== '[') throw new Error('generic JSON: expected an array of incidents');
          started = true;
        } else if (depth === 2) {
          from = i;
          startLine = line;
          pending = '';
        }
        continue;
      }
      if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 1) {
          const textOfElement = pending + text.slice(Math.max(from, 0), i + 1);
          pending = '';
          from = -1;
          yield { line: startLine, value: parseElement(textOfElement) };
        }
        continue;
      }
      if (depth === 1 && ch !== ',' && ch !== ' ' && ch !== '\t' && ch !== '\r' && ch !== '\n') {
        throw new Error(`generic JSON: line ${line}: every element must be an object`);
      }
      if (depth === 0 && ch !== ' ' && ch !== '\t' && ch !== '\r' && ch !== '\n' && ch !== '\uFEFF') {
        throw new Error(`generic JSON: line ${line}: expected an array of incidents`);
      }
    }
    if (depth >= 2) {
      pending += text.slice(Math.max(from, 0));
      from = 0;
    }
  }
  if (!started || depth !== 0) throw new Error('generic JSON: the file ends inside the array');
}

function parseElement(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
