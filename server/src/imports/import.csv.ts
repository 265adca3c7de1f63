/**
 * A streaming CSV scanner (RFC 4180), written for the import's hot path: text goes in a chunk at a
 * time, whole records come out with the physical line each starts on.
 *
 * - Fields may be quoted; a doubled quote inside quotes is one quote; quoted fields may hold the
 *   delimiter and line breaks (a record then spans several physical lines, all counted).
 * - Records end at LF or CRLF; a file whose first chunk has a lone CR and no LF (outside quotes) is
 *   read with CR as its line break. A byte-order mark at the start of the text is dropped.
 * - Empty lines are skipped (a line of delimiters is a record of empty fields).
 * - Lenient where exports are sloppy, as csv-parse's relax_quotes was: a quote inside an unquoted
 *   field is an ordinary character, and a closing quote followed by something other than the
 *   delimiter or a line break goes on as unquoted text: "net"x is netx, and "3" followed by a
 *   space is 3 and the space, as PostgreSQL's COPY, Python's csv and spreadsheets read them.
 * - A quote still open at the end of the text makes its record a `problem` (rows of its own are
 *   not lost in it): the scan goes on from the line after the one the quote opened on.
 * - Stops with a CsvError at a record of more than `maxChars` characters (a line longer than that
 *   is dropped before it reaches the scanner, see import.input.ts).
 *
 * Most lines hold no quote: those are cut with one indexOf and split, without a character loop.
 */
export interface CsvRecord {
  /** The 1-based physical line the record starts on. */
  line: number;
  values: string[];
  /** Why the record cannot be read (its values are then those before it fails), and the field where it fails. */
  problem?: { reason: string; field: number };
  /** Line breaks inside its quoted fields, when there are any: it ends on line + breaks. */
  breaks?: number;
  /**
   * With breaks: the lines the first quoted field holding a line break opens and closes on. A
   * stray quote (one never meant to be closed) makes such a field, ended by the next quote of
   * the file, and this is where to look for it.
   */
  quoteLines?: [number, number];
}

/** Why the text cannot be read on; `line` is where the offending record starts. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const QUOTE = 0x22;
const LF = 0x0a as const;
const CR = 0x0d as const;
const NOT_FOUND = Number.MAX_SAFE_INTEGER;

/**
 * A quote still open at the end of the text: where it opened, for the scan to go on after it, and
 * the record's cells before it (its id, for the rejection, when the id comes first).
 */
class UnclosedQuote extends Error {
  constructor(
    readonly at: number,
    readonly line: number,
    readonly values: string[],
  ) {
    super(`Quote Not Closed: the quote opened on line ${line} is never closed`);
  }
}

/** What a scan of one record found: the record, more text needed, or an error. */
type Scan = { values: string[]; next: number; breaks: number; quoteLines: [number, number] | null } | 'more';

/**
 * The line break of a file from its first chunk, `length` characters or bytes read through
 * `codeAt`: CR (old Mac files) when the chunk has a lone CR and no LF outside quotes, else LF.
 * Deciding at the first line break instead let one stray CR in the header or first row of an LF
 * file make the whole file one line. The scanner and the import's line splitter (import.input.ts)
 * decide alike.
 */
export function lineBreakIn(length: number, codeAt: (i: number) => number): typeof LF | typeof CR {
  let quoted = false;
  let loneCr = false;
  for (let i = 0; i < length; i++) {
    const c = codeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (quoted) continue;
    else if (c === LF) return LF;
    else if (c === CR && i + 1 < length && codeAt(i + 1) !== LF) loneCr = true;
  }
  return loneCr ? CR : LF;
}

export class CsvScanner {
  private rest = '';
  private line = 1;
  private started = false;
  /** The line break: LF (with an optional CR before it) or, for old Mac files, a lone CR. */
  private breakChar = '\n';
  private breakCode: number = LF;
  private readonly delimiterCode: number;

  constructor(
    private readonly delimiter: string,
    private readonly maxChars: number,
  ) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new Error(`a CSV delimiter is one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
    }
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** The records that `text` completes; an unfinished one waits for the next chunk. */
  push(text: string, out: CsvRecord[] = []): CsvRecord[] {
    if (!this.started) {
      if (text.length === 0) return out;
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.chooseLineBreak(text);
    }
    this.scan(this.rest.length > 0 ? this.rest + text : text, false, out);
    return out;
  }

  /**
   * The last records: the one the text ends in without a line break, or those after an open quote.
   * `endsUnbroken` then says whether the last of them is one no line break ends.
   */
  end(out: CsvRecord[] = []): CsvRecord[] {
    const text = this.rest;
    this.rest = '';
    this.endsUnbroken = text.length > 0 && !text.endsWith(this.breakChar);
    if (text.length > 0) this.scan(text, true, out);
    return out;
  }

  /** After end(): whether the text ended without a line break after its last record. */
  endsUnbroken = false;

  /** CR as the line break when the first chunk says so (lineBreakIn), else LF. */
  private chooseLineBreak(text: string): void {
    if (lineBreakIn(text.length, (i) => text.charCodeAt(i)) === CR) {
      this.breakChar = '\r';
      this.breakCode = CR;
    }
  }

  private scan(text: string, final: boolean, out: CsvRecord[]): void {
    const breakChar = this.breakChar;
    const delimiter = this.delimiter;
    const length = text.length;
    let pos = 0;
    let quote = -1; // the next quote at or after pos, or NOT_FOUND; -1: not looked for yet
    while (pos < length) {
      let nl = text.indexOf(breakChar, pos);
      if (nl < 0) {
        if (!final) break;
        nl = length;
      }
      if (quote < pos) {
        quote = text.indexOf('"', pos);
        if (quote < 0) quote = NOT_FOUND;
      }
      if (quote > nl) {
        // No quote on this line: the common case.
        let end = nl;
        if (end > pos && this.breakCode === LF && text.charCodeAt(end - 1) === CR) end--;
        if (end > pos) out.push({ line: this.line, values: text.slice(pos, end).split(delimiter) });
        this.line++;
        pos = nl + 1;
        continue;
      }
      let found: Scan;
      try {
        found = this.quoted(text, pos, final);
      } catch (error) {
        if (!(error instanceof UnclosedQuote)) throw error;
        // Only at the end of the text: the rest of the file is inside that quote. The record is
        // not taken, and the lines after the quote's are read as rows again.
        out.push({ line: this.line, values: error.values, problem: { reason: error.message, field: error.values.length } });
        const nl = text.indexOf(breakChar, error.at);
        this.line = error.line + 1;
        pos = nl < 0 ? length : nl + 1;
        quote = -1;
        continue;
      }
      if (found === 'more') break;
      out.push(
        found.quoteLines !== null
          ? { line: this.line, values: found.values, breaks: found.breaks, quoteLines: found.quoteLines }
          : { line: this.line, values: found.values },
      );
      this.line += found.breaks + 1;
      pos = found.next;
      quote = -1;
    }
    this.rest = pos < length ? text.slice(pos) : '';
    if (!final && this.rest.length > this.maxChars + 2) {
      // A record still open past the limit (a quoted field that goes on and on): not held further.
      throw new CsvError(this.line, this.tooLong());
    }
  }

  /**
   * One record that holds a quote, from `start`: its values, where the next record starts and how
   * many line breaks it spans; 'more' when the text ends before the record does.
   */
  private quoted(text: string, start: number, final: boolean): Scan {
    const length = text.length;
    const d = this.delimiterCode;
    const br = this.breakCode;
    const values: string[] = [];
    let breaks = 0;
    let quoteLines: [number, number] | null = null;
    let i = start;
    for (;;) {
      // One field from i.
      let value: string;
      if (i < length && text.charCodeAt(i) === QUOTE) {
        const opened = this.line + breaks;
        let from = i + 1;
        value = '';
        let j = from;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            if (final) throw new UnclosedQuote(i, opened, values);
            return this.more(text, start, breaks);
          }
          breaks += countOf(text, this.breakChar, j, q);
          if (q + 1 >= length && !final) return this.more(text, start, breaks);
          const after = q + 1 < length ? text.charCodeAt(q + 1) : -1;
          if (after === QUOTE) {
            value += text.slice(from, q + 1);
            from = j = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          if (after === -1 || after === d || after === br || (after === CR && br === LF && this.lfAt(text, q + 2, final))) break;
          // A closing quote with text after it: the field goes on unquoted, the quoted part read as
          // quoted ("net"x is netx, as PostgreSQL, Python's csv and spreadsheets read it).
          const stop = this.fieldEnd(text, i, final);
          if (stop < 0) return this.more(text, start, breaks);
          value += text.slice(i, stop);
          i = stop;
          break;
        }
        // Only a quoted field holds line breaks: the first that does is where the record spreads.
        if (quoteLines === null && this.line + breaks > opened) quoteLines = [opened, this.line + breaks];
      } else {
        const stop = this.fieldEnd(text, i, final);
        if (stop < 0) return this.more(text, start, breaks);
        value = text.slice(i, stop);
        i = stop;
      }
      if (i - start > this.maxChars) throw new CsvError(this.line, this.tooLong());
      // i is at the delimiter, the line break (or the CR before it) or the end.
      if (i < length && text.charCodeAt(i) === d) {
        values.push(value);
        i++;
        continue;
      }
      if (i < length && text.charCodeAt(i) === CR && br === LF) i++;
      values.push(value);
      return { values, next: i + 1, breaks, quoteLines };
    }
  }

  /** Where an unquoted field from `i` ends (delimiter, line break or end of text); -1 when more text is needed. */
  private fieldEnd(text: string, i: number, final: boolean): number {
    const length = text.length;
    const d = this.delimiterCode;
    const br = this.breakCode;
    for (let k = i; k < length; k++) {
      const c = text.charCodeAt(k);
      if (c === d || c === br) return k;
      if (c === CR && br === LF && this.lfAt(text, k + 1, final)) return k;
    }
    return final ? length : -1;
  }

  /** True when an LF (or, at the very end, nothing) follows a CR at k - 1. */
  private lfAt(text: string, k: number, final: boolean): boolean {
    return k < text.length ? text.charCodeAt(k) === LF : final;
  }

  private more(text: string, start: number, breaks: number): 'more' {
    if (text.length - start > this.maxChars + 2) {
      throw new CsvError(this.line, this.tooLong(breaks));
    }
    return 'more';
  }

  private tooLong(breaks = 0): string {
    const lines = breaks > 0 ? `, over lines ${this.line} to ${this.line + breaks}` : '';
    return `Max Record Size: the record on line ${this.line} is longer than ${this.maxChars} characters${lines}`;
  }
}

function countOf(text: string, char: string, from: number, to: number): number {
  let n = 0;
  for (let k = text.indexOf(char, from); k >= 0 && k < to; k = text.indexOf(char, k + 1)) n++;
  return n;
}
