import { describe, expect, it } from 'vitest';
import { CsvError, CsvRecord, CsvScanner } from '../../../server/src/imports/import.csv';

/** Every record of `chunks` fed one after the other, with the scanner's end. */
function scan(chunks: string[], delimiter = ',', maxChars = 1000): CsvRecord[] {
  const scanner = new CsvScanner(delimiter, maxChars);
  const out: CsvRecord[] = [];
  for (const chunk of chunks) scanner.push(chunk, out);
  return scanner.end(out);
}

/** The same text cut at every position into two chunks: each cut must give the same records. */
function everyCut(text: string, delimiter = ','): CsvRecord[] {
  const whole = scan([text], delimiter);
  for (let at = 0; at <= text.length; at++) {
    expect(scan([text.slice(0, at), text.slice(at)], delimiter), `cut at ${at}`).toEqual(whole);
  }
  return whole;
}

function caught(work: () => unknown): CsvError {
  try {
    work();
  } catch (error) {
    if (error instanceof CsvError) return error;
    throw error;
  }
  throw new Error('no CsvError');
}

describe('CsvScanner: RFC 4180 records with the line each starts on', () => {
  it('splits plain lines on the delimiter, keeping empty fields', () => {
    expect(everyCut('a,b,c\n1,,3\n,,\n')).toEqual([
      { line: 1, values: ['a', 'b', 'c'] },
      { line: 2, values: ['1', '', '3'] },
      // A line of delimiters is a record of three empty fields, not an empty line.
      { line: 3, values: ['', '', ''] },
    ]);
  });

  it('reads quoted fields with the delimiter, doubled quotes and empty quotes in them', () => {
    expect(everyCut('"a,b","say ""hi""",""\n"x"\n')).toEqual([
      { line: 1, values: ['a,b', 'say "hi"', ''] },
      { line: 2, values: ['x'] },
    ]);
  });

  it('counts the line breaks inside quotes, so the next record has its physical line', () => {
    // Record 2 starts on line 2 and holds two line breaks (lines 2, 3, 4); record 3 is on line 5.
    // Its quote opens on line 2 and closes on line 2 + 2 = 4.
    expect(everyCut('id,notes\n1,"one\ntwo\nthree"\n2,after\n')).toEqual([
      { line: 1, values: ['id', 'notes'] },
      { line: 2, values: ['1', 'one\ntwo\nthree'], breaks: 2, quoteLines: [2, 4] },
      { line: 5, values: ['2', 'after'] },
    ]);
  });

  it('reads CRLF lines, keeping a CRLF inside quotes as it is and counting it as one line', () => {
    // Lines: 1 header, 2-3 the quoted CRLF, 4 the last record.
    expect(everyCut('a,b\r\n1,"x\r\ny"\r\n2,"z"\r\n')).toEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 2, values: ['1', 'x\r\ny'], breaks: 1, quoteLines: [2, 3] },
      { line: 4, values: ['2', 'z'] },
    ]);
  });

  it('reads a file whose line break is a lone CR (old Mac files)', () => {
    expect(scan(['a,b\r1,2\r"3\r4",5\r6,7'])).toEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 2, values: ['1', '2'] },
      { line: 3, values: ['3\r4', '5'], breaks: 1, quoteLines: [3, 4] },
      { line: 5, values: ['6', '7'] },
    ]);
  });

  it('keeps LF as the line break when a stray CR comes before the first LF', () => {
    // The header's first field holds a lone CR. Deciding at the first break took CR as the line
    // break and read the rest of the file as one record: ['b', 'c\n1', '2\n3', '4\n'].
    const text = 'a\rb,c\n1,2\n3,4\n';
    const records = [
      { line: 1, values: ['a\rb', 'c'] },
      { line: 2, values: ['1', '2'] },
      { line: 3, values: ['3', '4'] },
    ];
    expect(scan([text])).toEqual(records);
    // The first chunk decides; from the first LF on, any cut gives the same records.
    for (let at = text.indexOf('\n') + 1; at <= text.length; at++) {
      expect(scan([text.slice(0, at), text.slice(at)]), `cut at ${at}`).toEqual(records);
    }
  });

  it('drops a byte-order mark at the start only, and skips empty lines but counts them', () => {
    expect(everyCut('\uFEFFa,b\n\n1,2\r\n\r\nx\uFEFF,3')).toEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 3, values: ['1', '2'] },
      // The last line has no line break after it; a BOM inside a field stays (the fields clean it).
      { line: 5, values: ['x\uFEFF', '3'] },
    ]);
  });

  it('splits on the detected delimiter, not on commas', () => {
    expect(everyCut('a;b,c;"d;e"\n1;2\n', ';')).toEqual([
      { line: 1, values: ['a', 'b,c', 'd;e'] },
      { line: 2, values: ['1', '2'] },
    ]);
    expect(scan(['a\tb\n1\t"2\t3"\n'], '\t')).toEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 2, values: ['1', '2\t3'] },
    ]);
  });

  it('is lenient with stray quotes, as the import always was', () => {
    expect(everyCut('ab"c,d\n"x"y,z\n 1 , "2","3" \n')).toEqual([
      // A quote inside an unquoted field is an ordinary character.
      { line: 1, values: ['ab"c', 'd'] },
      // A closing quote followed by text: the field goes on unquoted, after the quoted part
      // read as quoted (x, then y): "xy", as PostgreSQL and Python's csv read it.
      { line: 2, values: ['xy', 'z'] },
      // A space before a quote makes the field unquoted text; a space after the closing quote is
      // text after it, as above: "2" with a space before is ' "2"', "3" with one after is '3 '
      // (the fields trim both later).
      { line: 3, values: [' 1 ', ' "2"', '3 '] },
    ]);
  });

  it('tells the lines of the first quoted field that holds a line break, not of a quote on one line', () => {
    // Record 2 (line 2): "a" is quoted on one line; "b\nc" opens on line 2 and closes on line 3;
    // "d\ne" opens on line 3 and closes on line 4. The record spans lines 2 to 4 (two breaks),
    // and the first field that spreads it is the one of lines 2 to 3. Record 3 is on line 5.
    expect(everyCut('h1,h2,h3\n"a","b\nc","d\ne"\nz,y,x\n')).toEqual([
      { line: 1, values: ['h1', 'h2', 'h3'] },
      { line: 2, values: ['a', 'b\nc', 'd\ne'], breaks: 2, quoteLines: [2, 3] },
      { line: 5, values: ['z', 'y', 'x'] },
    ]);
  });

  it('reads a last record without a line break, quoted or not', () => {
    expect(scan(['a,b\n1,"2"'])).toEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 2, values: ['1', '2'] },
    ]);
  });

  it('makes a record whose quote never closes a problem, and reads on from the line after the quote', () => {
    const scanner = new CsvScanner(',', 1000);
    // Lines: 1 'a,b', 2 '1,2', 3-4 a record whose quoted field holds a line break, 5 '4,"never'
    // (its second field, index 1, opens a quote that never closes; the cells before it are kept
    // for the rejection), 6 'closed'.
    const out = scanner.push('a,b\n1,2\n3,"ok\n"\n4,"never\nclosed\n');
    expect(out).toEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 2, values: ['1', '2'] },
      { line: 3, values: ['3', 'ok\n'], breaks: 1, quoteLines: [3, 4] },
    ]);
    // Only the end of the text tells that the quote never closes; line 6 is then a row again.
    expect(scanner.end()).toEqual([
      { line: 5, values: ['4'], problem: { reason: 'Quote Not Closed: the quote opened on line 5 is never closed', field: 1 } },
      { line: 6, values: ['closed'] },
    ]);
  });

  it("reads on from the line after the open quote's, not after the record's first line", () => {
    const scanner = new CsvScanner(',', 1000);
    // The record of line 1 closes its first quote on line 2, then opens another there (field 3),
    // which never closes: the scan goes on at line 3, not at line 2 inside the closed field.
    expect(scanner.push('x,"multi\nline",y,"oops\nnext,row\nlast\n')).toEqual([]);
    expect(scanner.end()).toEqual([
      { line: 1, values: ['x', 'multi\nline', 'y'], problem: { reason: 'Quote Not Closed: the quote opened on line 2 is never closed', field: 3 } },
      { line: 3, values: ['next', 'row'] },
      { line: 4, values: ['last'] },
    ]);
  });

  it('stops at a record over the limit spread over several lines, without holding more of it', () => {
    const scanner = new CsvScanner(',', 10);
    const out: CsvRecord[] = [];
    scanner.push('a,b\n1,"12345\n', out);
    // The open record is now 13 characters (1,"12345\n is 9, 678\n is 4): over 10 + 2 (a CRLF).
    const error = caught(() => scanner.push('678\n', out));
    expect(out).toEqual([{ line: 1, values: ['a', 'b'] }]);
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/^Max Record Size: the record on line 2 is longer than 10 characters/);
  });

  it('refuses a delimiter that cannot separate fields', () => {
    expect(() => new CsvScanner('"', 10)).toThrow('a CSV delimiter is one character');
    expect(() => new CsvScanner(';;', 10)).toThrow('a CSV delimiter is one character');
  });
});
