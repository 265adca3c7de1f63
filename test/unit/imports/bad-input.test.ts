import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUT_HINT, detectFile, readItems } from '../../../server/src/imports/import.read';
import { MAX_RECORD_CHARS, ReadError } from '../../../server/src/imports/import.input';
import { ImportRequestError } from '../../../server/src/imports/import.types';
import { TimeReader } from '../../../server/src/imports/import.time';
import { FIXTURES, readFixture, records, rejections } from './fixtures';

/** Reads a fixture to its end or its ReadError: the items before the cut, and the cut. */
async function readUntilCut(file: string, format?: 'generic') {
  const detected = await detectFile(file, format);
  const items = [];
  let cut: unknown = null;
  try {
    for await (const item of await readItems(file, detected.format, detected, new TimeReader('UTC'))) items.push(item);
  } catch (error) {
    cut = error;
  }
  return { items, cut };
}

describe('bad input: each bad row rejected with line, field and reason; the good rows kept', () => {
  it('finds a NUL or a stray byte-order mark in any part of a long file, a row across two reads included', async () => {
    // The file is read 64 KiB at a time, cut at the last line break of each read. Rows of reads
    // that hold no NUL, surrogate or mark skip those checks, so the marks sit past the first read:
    // M-1 (line 1001) has a mark inside its category; M-2 starts 40 bytes before the 65,536th
    // byte, with a NUL in its quoted category and a line break inside the quotes 31 bytes on,
    // where the first read is cut: its NUL is in the first read, its end in the second.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-marks-'));
    const file = path.join(dir, 'marks.csv');
    const row = (i: number) => `F-${String(i).padStart(5, '0')},2025-01-01T00:00:00Z,3,filler\n`;
    let text = 'external_id,opened_at,priority,category\n';
    let i = 0;
    while (text.length + row(i).length < 65_536 - 40) text += row(i++);
    const m2 = `M-2,2025-01-01T00:00:00Z,3,"net\u0000\nwork${'s'.repeat(40)}"\n`;
    text += 'P'.repeat(65_536 - 40 - text.length - 1) + '\n' + m2;
    for (let j = 0; j < 2000; j++) text += row(i++);
    text += 'M-1,2025-01-01T00:00:00Z,3,Net\uFEFFwork\n';
    fs.writeFileSync(file, text);
    try {
      const detected = await detectFile(file, 'generic');
      const items = [];
      for await (const item of await readItems(file, 'generic', detected, new TimeReader('UTC'))) items.push(item);
      const marked = rejections(items).filter((r) => r.externalId?.startsWith('M'));
      // M-2's quoted category holds one line break: its row runs from its line to the next.
      const at = marked[0]?.line;
      expect(marked).toEqual([
        {
          line: expect.any(Number),
          field: 'category',
          reason:
            'holds a NUL character (U+0000), which PostgreSQL cannot store' +
            ` (read as one row over lines ${at} to ${at + 1}: a quote opened on line ${at} runs to line ${at + 1};` +
            ` if those lines are rows of their own, check line ${at} for a stray quote)`,
          externalId: 'M-2',
        },
      ]);
      expect(records(items).get('M-1')!.category).toBe('Network');
      // Every filler row was taken; the line of P's is a row without an opened_at.
      expect([...records(items).keys()].filter((id) => id.startsWith('F-'))).toHaveLength(i);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a text field over its limit (1,000 for short fields, 10,000 for notes)', async () => {
    const items = await readFixture('long-cells.csv');
    // Line 3: subcategory of 1,001 characters; line 5: resolution_notes of 10,001. Line 4 holds
    // exactly 1,000 and 10,000, which are allowed.
    expect([...records(items).keys()]).toEqual(['L-1', 'L-3', 'L-5']);
    expect(rejections(items)).toEqual([
      { line: 3, field: 'subcategory', reason: '1001 characters, at most 1000', externalId: 'L-2' },
      { line: 5, field: 'resolution_notes', reason: '10001 characters, at most 10000', externalId: 'L-4' },
    ]);
  });

  it('counts characters as a reader does: an emoji is one, though JavaScript counts two', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-emoji-'));
    const file = path.join(dir, 'emoji.csv');
    // U+1F600 is one character, two UTF-16 units: 1,000 of them are 1,000 characters (taken),
    // 1,001 are 1,001 (over the limit of 1,000).
    const emoji = '\u{1F600}';
    fs.writeFileSync(
      file,
      `external_id,opened_at,priority,subcategory\nE-1,2024-05-01T08:00:00Z,3,${emoji.repeat(1000)}\nE-2,2024-05-01T08:00:00Z,3,${emoji.repeat(1001)}\n`,
    );
    const items = await readFixture(file);
    fs.rmSync(dir, { recursive: true, force: true });
    expect([...records(items).keys()]).toEqual(['E-1']);
    expect(rejections(items)).toEqual([{ line: 3, field: 'subcategory', reason: '1001 characters, at most 1000', externalId: 'E-2' }]);
  });

  it('rejects an indexed field over 500 bytes of UTF-8, and a count that is no plain whole number or past 2147483647', async () => {
    const items = await readFixture('indexed-cells.csv');
    // X-1: 500 x "x" = 500 bytes, the limit, and the largest count 2^31 - 1 = 2147483647.
    // X-3: 166 x U+7DB2 (3 bytes each) = 498 bytes, and "2.0", a whole number.
    // X-8: plain.
    const taken = records(items);
    expect([...taken.keys()]).toEqual(['X-1', 'X-3', 'X-8']);
    expect(taken.get('X-1')).toMatchObject({ reassignmentCount: 2147483647 });
    expect(taken.get('X-3')).toMatchObject({ reassignmentCount: 2 });
    const countReason = (value: string) => `not a whole number from 0 to 2147483647: "${value}"`;
    expect(rejections(items)).toEqual([
      // 501 x "x"; 167 x 3 = 501; 1,000 x 3 = 3,000 bytes.
      { line: 3, field: 'category', reason: '501 bytes in UTF-8, at most 500 (the field is indexed)', externalId: 'X-2' },
      { line: 5, field: 'category', reason: '501 bytes in UTF-8, at most 500 (the field is indexed)', externalId: 'X-4' },
      { line: 6, field: 'category', reason: '3000 bytes in UTF-8, at most 500 (the field is indexed)', externalId: 'X-5' },
      // 2^31 = 2147483648 does not fit PostgreSQL's integer; 1e3 is no plain whole number.
      { line: 7, field: 'reassignment_count', reason: countReason('2147483648'), externalId: 'X-6' },
      { line: 8, field: 'reassignment_count', reason: countReason('1e3'), externalId: 'X-7' },
    ]);
  });

  it('refuses UTF-16 and UTF-32 text with a message that says which, with or without a byte-order mark', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-utf16-'));
    const csv = 'external_id,opened_at,priority\nU-1,2024-05-01T08:00:00Z,3\n';
    const files = {
      'le-bom.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]),
      'le.csv': Buffer.from(csv, 'utf16le'),
      'be-bom.csv': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(csv, 'utf16le').swap16()]),
    };
    for (const [name, bytes] of Object.entries(files)) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      for (const encoding of ['utf8', 'latin1'] as const) {
        await expect(detectFile(file, undefined, { encoding }), `${name} ${encoding}`).rejects.toThrow(
          `${name} looks like UTF-16 text (${name.includes('bom') ? 'its byte-order mark says UTF-16' : 'a NUL byte beside each character'}): save it as UTF-8 and import it again`,
        );
      }
    }
    // UTF-32: three NULs beside each ASCII character; its little-endian mark FF FE 00 00 starts
    // like UTF-16's, and is told apart.
    const utf32le = Buffer.alloc(csv.length * 4);
    for (let i = 0; i < csv.length; i++) utf32le.writeUInt32LE(csv.charCodeAt(i), i * 4);
    const utf32be = Buffer.alloc(csv.length * 4);
    for (let i = 0; i < csv.length; i++) utf32be.writeUInt32BE(csv.charCodeAt(i), i * 4);
    for (const [name, bytes] of Object.entries({
      'le32-bom.csv': Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le]),
      'le32.csv': utf32le,
      'be32-bom.csv': Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), utf32be]),
      'be32.csv': utf32be,
    })) {
      fs.writeFileSync(path.join(dir, name), bytes);
      await expect(detectFile(path.join(dir, name)), name).rejects.toThrow(
        `${name} looks like UTF-32 text (${name.includes('bom') ? 'its byte-order mark says UTF-32' : 'three NUL bytes beside each character'}): save it as UTF-8 and import it again`,
      );
    }
    // Mostly CJK text has few NULs: its byte-order mark tells, little- or big-endian.
    const cjk = `external_id,opened_at,priority,category\n${`U-1,2024-05-01T08:00:00Z,3,${'\u7db2'.repeat(200)}\n`.repeat(5)}`;
    const le = Buffer.from(cjk, 'utf16le');
    for (const [name, bytes] of Object.entries({
      'cjk-le.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
      'cjk-be.csv': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]),
    })) {
      fs.writeFileSync(path.join(dir, name), bytes);
      await expect(detectFile(path.join(dir, name)), name).rejects.toThrow(`${name} looks like UTF-16 text (its byte-order mark says UTF-16)`);
    }
    // The same text in UTF-8 is read, and so is a UTF-8 file with a run of 200 NULs in a field
    // (NULs at both parities: the row is rejected later, on its own).
    fs.writeFileSync(path.join(dir, 'utf8.csv'), csv);
    expect((await detectFile(path.join(dir, 'utf8.csv'))).format).toBe('generic');
    fs.writeFileSync(path.join(dir, 'nul.csv'), `external_id,opened_at,priority,category\nN-1,2024-05-01T08:00:00Z,3,${'\u0000'.repeat(200)}\nN-2,2024-05-01T08:00:00Z,3,ok\n`);
    expect((await detectFile(path.join(dir, 'nul.csv'))).format).toBe('generic');
  });

  it('says a rejected last row without a line break looks cut short, and takes a good one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-cut-'));
    const cut = path.join(dir, 'cut.csv');
    // Line 3 stops inside its restoration time ("2024-05-0"), and no line break follows.
    fs.writeFileSync(cut, 'external_id,opened_at,priority,restored_at\nC-1,2024-05-01T08:00:00Z,3,2024-05-01T10:00:00Z\nC-2,2024-05-02T08:00:00Z,3,2024-05-0');
    const { items, cut: stopped } = await readUntilCut(cut);
    expect(stopped).toBeNull();
    expect([...records(items).keys()]).toEqual(['C-1']);
    const [rejection] = rejections(items);
    expect(rejection).toMatchObject({ line: 3, field: 'restored_at', externalId: 'C-2' });
    expect(rejection.reason.endsWith(CUT_HINT)).toBe(true);

    // The same bad time on a last line that does end with a line break: no hint.
    fs.writeFileSync(cut, `${fs.readFileSync(cut, 'utf8')}\n`);
    const ended = await readUntilCut(cut);
    expect(rejections(ended.items)[0].reason.endsWith(CUT_HINT)).toBe(false);

    // A good last row without a line break, as many tools write files: taken.
    const whole = path.join(dir, 'whole.csv');
    fs.writeFileSync(whole, 'external_id,opened_at,priority\nW-1,2024-05-01T08:00:00Z,3\nW-2,2024-05-02T08:00:00Z,2');
    const taken = await readUntilCut(whole);
    expect([...records(taken.items).keys()]).toEqual(['W-1', 'W-2']);
    expect(rejections(taken.items)).toEqual([]);
  });

  it('refuses a JSON array of some other kind of object, as a CSV header without the key columns', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-foreign-'));
    const file = path.join(dir, 'status.json');
    // Element 1 is no object (rejected as before); element 2, the first object, has neither key.
    fs.writeFileSync(file, '[7, {"service": "ec2", "status": "degraded", "date": "2024-05-01"}, {"service": "s3"}]');
    const { items, cut } = await readUntilCut(file, 'generic');
    expect(cut).toBeInstanceOf(ImportRequestError);
    expect((cut as Error).message).toBe('generic: the first object (element 2) has neither external_id nor opened_at; its keys are service, status, date');
    expect(records(items).size).toBe(0);
  });

  it('rejects a line over the record limit without holding it, and reads on', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-huge-'));
    const file = path.join(dir, 'huge.csv');
    const huge = 'x'.repeat(3 * MAX_RECORD_CHARS);
    fs.writeFileSync(file, `external_id,opened_at,priority,category\nH-1,2024-05-01,3,a\nH-2,2024-05-01,3,${huge}\nH-3,2024-05-01,3,b\n`);
    const { items, cut } = await readUntilCut(file);
    // H-2's line (3) is three times the limit: dropped as it streams; H-1 and H-3 are read.
    expect(cut).toBeNull();
    expect([...records(items).keys()]).toEqual(['H-1', 'H-3']);
    expect(rejections(items)).toEqual([
      { line: 3, field: '(line)', reason: `longer than ${MAX_RECORD_CHARS} bytes`, externalId: null },
    ]);

    // A record over the limit spread over several lines (a quoted cell) is caught by the scanner,
    // which cannot resume: the read stops after the last good row.
    const lines = Array.from({ length: 3 }, () => 'y'.repeat(MAX_RECORD_CHARS / 2)).join('\n');
    fs.writeFileSync(file, `external_id,opened_at,priority,category\nH-1,2024-05-01,3,a\nH-2,2024-05-01,3,"${lines}"\nH-3,2024-05-01,3,b\n`);
    const spread = await readUntilCut(file);
    fs.rmSync(dir, { recursive: true, force: true });
    expect([...records(spread.items).keys()]).toEqual(['H-1']);
    expect((spread.cut as ReadError).message).toMatch(/^the file could not be read past line 2: Max Record Size/);
  });

  it('rejects each JSON element that is no object, by its position, and keeps the objects', async () => {
    // [1, "x", null, {J-1}, [3], tru, {J-2}]: elements 1, 2, 3 on line 1, 5 and 6 on line 3.
    const items = await readFixture('json-elements.json');
    expect([...records(items).keys()]).toEqual(['J-1', 'J-2']);
    expect(rejections(items).map((r) => [r.line, r.reason])).toEqual([
      [1, 'element 1 is not an object'],
      [1, 'element 2 is not an object'],
      [1, 'element 3 is not an object'],
      [3, 'element 5 is not an object'],
      [3, 'element 6 is not valid JSON'],
    ]);
  });

  it('rejects a JSON element over the record limit without holding it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-huge-json-'));
    const file = path.join(dir, 'huge.json');
    const element = (id: string, category: string) => JSON.stringify({ external_id: id, opened_at: '2024-05-01T08:00:00Z', priority: 3, category });
    fs.writeFileSync(file, `[${element('B-1', 'a')},\n${element('B-2', 'z'.repeat(2 * MAX_RECORD_CHARS))},\n${element('B-3', 'b')}]`);
    const items = await readFixture(file);
    fs.rmSync(dir, { recursive: true, force: true });
    // Element 2 starts on line 2 and is twice the limit.
    expect([...records(items).keys()]).toEqual(['B-1', 'B-3']);
    expect(rejections(items)).toEqual([
      { line: 2, field: '(element)', reason: `element 2 is longer than ${MAX_RECORD_CHARS} characters`, externalId: null },
    ]);
  });

  it('rejects the row of a quote never closed and reads the rows after it', async () => {
    // Q-1 (line 2) and Q-2 (line 3) are good; Q-3 opens a quote on line 4, in its fifth field
    // (resolution_notes), that never closes; Q-4 (line 5) is read again as a row of its own.
    const { items, cut } = await readUntilCut(path.join(FIXTURES, 'unterminated-quote.csv'));
    expect(cut).toBeNull();
    expect([...records(items).keys()]).toEqual(['Q-1', 'Q-2', 'Q-4']);
    expect(rejections(items)).toEqual([
      { line: 4, field: 'resolution_notes', reason: 'Quote Not Closed: the quote opened on line 4 is never closed', externalId: 'Q-3' },
    ]);
  });

  it('stops at the end of a truncated gzip after the last complete line', async () => {
    // truncated.csv.gz is the first half of a 2,000-row file's gzip; it unpacks to the header and
    // 968 whole rows (T-1 .. T-968, lines 2 .. 969) and part of line 970, which is not taken.
    const { items, cut } = await readUntilCut(path.join(FIXTURES, 'truncated.csv.gz'));
    const kept = [...records(items).keys()];
    expect(kept).toHaveLength(968);
    expect(kept.at(-1)).toBe('T-968');
    expect(rejections(items)).toEqual([]);
    expect((cut as ReadError).message).toBe('the file could not be read past line 969: unexpected end of file');
  });

  it('keeps every whole line before a gzip cut however slowly the rows are taken', async () => {
    // Unpacked bytes the reader had not yet taken when the cut was found used to be dropped: the
    // slower the rows went, the more (a break-it run lost 59 of 20 028 rows through the command).
    // A millisecond a row keeps the reader behind unpacking: still T-1 .. T-968, as above.
    const file = path.join(FIXTURES, 'truncated.csv.gz');
    const detected = await detectFile(file);
    const kept: string[] = [];
    let cut: unknown = null;
    try {
      for await (const item of await readItems(file, detected.format, detected, new TimeReader('UTC'))) {
        if (item.kind === 'record') kept.push(item.record.externalId);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    } catch (error) {
      cut = error;
    }
    expect(kept).toHaveLength(968);
    expect(kept.at(-1)).toBe('T-968');
    expect((cut as ReadError).message).toBe('the file could not be read past line 969: unexpected end of file');
  });

  it('stops at a JSON array that ends early, keeping the elements before', async () => {
    // C-1 closes on line 2; C-2 is cut off in the middle of line 3.
    const { items, cut } = await readUntilCut(path.join(FIXTURES, 'truncated.json'));
    expect([...records(items).keys()]).toEqual(['C-1']);
    expect((cut as ReadError).message).toBe('the file could not be read past line 2: the file ends inside the array');
  });

  it('refuses a gzip that cannot be unpacked at all, naming it', async () => {
    await expect(detectFile(path.join(FIXTURES, 'corrupt.csv.gz'))).rejects.toThrow(
      new ImportRequestError('corrupt.csv.gz could not be read: unknown compression method'),
    );
  });

  it('says so when a row with too many cells runs over several lines, as a quote left open makes it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-open-quote-'));
    const file = path.join(dir, 'open-quote.csv');
    // J-1 (line 2) opens a quote in its category that J-2's first quote (line 3) closes; the text
    // after that closing quote, up to the next comma, goes on in the same cell. The record is
    // then J-1's four cells, the joined cell (net...db) and J-2's ' primary"', 'notes': 6 cells.
    fs.writeFileSync(
      file,
      'external_id,opened_at,priority,category,resolution_notes\n' +
        'J-1,2024-05-01 08:00:00,3,"net,x\n' +
        'J-2,2024-05-01 09:00:00,3,"db, primary",notes\n' +
        'J-3,2024-05-01 10:00:00,3,network,fine\n',
    );
    const items = await readFixture(file);
    fs.rmSync(dir, { recursive: true, force: true });
    expect([...records(items).keys()]).toEqual(['J-3']);
    expect(rejections(items)).toEqual([
      {
        line: 2,
        field: 'column 6',
        // The quote opens on line 2 (J-1's category) and closes on line 3 (J-2's first quote).
        reason:
          '6 cells, the header has 5 (read as one row over lines 2 to 3: a quote opened on line 2 runs to line 3;' +
          ' if those lines are rows of their own, check line 2 for a stray quote)',
        externalId: 'J-1',
      },
    ]);
  });

  it('tells the lines a stray quote joins in any rejection of the joined row, and reads the rows after it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-stray-quote-'));
    const file = path.join(dir, 'stray-quote.csv');
    const filler = Array.from({ length: 15 }, (_, k) => `F-${10 + k},2024-05-01 15:00:00,network,3,fine\n`).join('');
    fs.writeFileSync(
      file,
      'external_id,opened_at,category,priority,resolution_notes\n' +
        // Line 2: S-1's category opens a quote meant as text. The next quote of the file, the one
        // before S-3's priority on line 4, closes it; what follows it up to the comma (2 - High")
        // goes on in the same cell. Lines 2-4 are one row of 4 cells: S-1, its time, the joined
        // category, and "ok" as its priority, which is refused. S-2 and S-3 are inside it.
        'S-1,2024-05-01 08:00:00,"Printer jammed,2,toner\n' +
        'S-2,2024-05-01 09:00:00,network,3,fine\n' +
        'S-3,2024-05-01 10:00:00,db,"2 - High",ok\n' +
        // Lines 5-6: good rows after it, read as rows again.
        'S-4,2024-05-01 11:00:00,network,2,fine\n' +
        'S-5,2024-05-01 11:30:00,db,4,fine\n' +
        // Lines 7-8: a note over two lines, as meant: taken, nothing said.
        'S-6,2024-05-01 12:00:00,network,3,"line one\nline two"\n' +
        // Lines 9-10: a row over two lines refused for its priority: the lines are told as well.
        'S-7,2024-05-01 13:00:00,network,9,"a\nb"\n' +
        // Line 11: another stray quote, closed by F-99's quote on line 27 after the 15 filler rows
        // of lines 12-26. Its category is then "Printer jammed,2,toner\n" (23 characters), 15
        // filler lines of 4+1+19+1+7+1+1+1+4+1 = 40 (600), "F-99,2024-05-01 16:00:00," (25) and
        // 'db"' (3): 651 bytes of ASCII, over the 500 of an indexed field. 5 cells: no other refusal.
        'S-8,2024-05-01 14:00:00,"Printer jammed,2,toner\n' +
        filler +
        'F-99,2024-05-01 16:00:00,"db",4,ok\n' +
        // Line 28: read again.
        'S-9,2024-05-01 17:00:00,network,1,fine\n',
    );
    const items = await readFixture(file);
    fs.rmSync(dir, { recursive: true, force: true });
    expect([...records(items).keys()]).toEqual(['S-4', 'S-5', 'S-6', 'S-9']);
    expect(records(items).get('S-6')!.resolutionNotes).toBe('line one\nline two');
    const hint = (from: number, to: number) =>
      ` (read as one row over lines ${from} to ${to}: a quote opened on line ${from} runs to line ${to};` +
      ` if those lines are rows of their own, check line ${from} for a stray quote)`;
    expect(rejections(items)).toEqual([
      { line: 2, field: 'priority', reason: 'expected 1..5, got "ok"' + hint(2, 4), externalId: 'S-1' },
      { line: 9, field: 'priority', reason: 'expected 1..5, got "9"' + hint(9, 10), externalId: 'S-7' },
      { line: 11, field: 'category', reason: '651 bytes in UTF-8, at most 500 (the field is indexed)' + hint(11, 27), externalId: 'S-8' },
    ]);
  });

  it('rejects a row with more non-empty cells than the header; trailing empty cells are fine', async () => {
    const items = await readFixture('extra-cells.csv');
    // X-2 has two extra empty cells (kept); X-3 has "lost" in column 6 of a 5-column header.
    expect([...records(items).keys()]).toEqual(['X-1', 'X-2']);
    expect(rejections(items)).toEqual([{ line: 4, field: 'column 6', reason: '7 cells, the header has 5', externalId: 'X-3' }]);
  });

  it('rejects a row that is not valid UTF-8, and reads it right as latin1', async () => {
    const items = await readFixture('latin1.csv');
    // Line 2 holds "R\xe9seau" (Latin-1 bytes); line 3 is plain ASCII.
    expect([...records(items).keys()]).toEqual(['E-2']);
    expect(rejections(items)).toEqual([
      {
        line: 2,
        field: 'category',
        reason: 'not valid UTF-8: save the file as UTF-8, or import it again with encoding latin1 (Latin-1 under Encoding on the dashboard, --encoding latin1 on the command line)',
        externalId: 'E-1',
      },
    ]);

    const file = path.join(FIXTURES, 'latin1.csv');
    const detected = await detectFile(file, undefined, { encoding: 'latin1' });
    const latin = [];
    for await (const item of await readItems(file, 'generic', detected, new TimeReader('UTC'), undefined, 'latin1')) latin.push(item);
    const e1 = records(latin).get('E-1')!;
    expect(e1.category).toBe('Réseau');
    expect(e1.resolutionNotes).toBe('déjà vu');
  });

  it('reads a file of lone CRs longer than the longest line, with its line numbers', async () => {
    // 40 000 rows of 31 bytes end with CR only: 1.2 MB with no LF, which the guard against lines
    // over 1 MiB used to take for one line and drop, header and all. Row k is on line k + 1.
    const file = path.join(os.tmpdir(), `lone-cr-${process.pid}.csv`);
    const rows = ['external_id,opened_at,priority'];
    for (let k = 1; k <= 40_000; k++) rows.push(`CR-${String(k).padStart(5, '0')},2025-01-01T00:00:00Z,3`);
    fs.writeFileSync(file, rows.join('\r') + '\r');
    try {
      expect(fs.statSync(file).size).toBeGreaterThan(MAX_RECORD_CHARS);
      const detected = await detectFile(file);
      const lines: number[] = [];
      for await (const item of await readItems(file, detected.format, detected, new TimeReader('UTC'))) {
        if (item.kind === 'record') lines.push(item.line);
      }
      expect(lines).toHaveLength(40_000);
      expect([lines[0], lines[39_999]]).toEqual([2, 40_001]);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('reads every row of a file whose lines end in CR CR LF (a CRLF file converted twice)', async () => {
    // The header's lone CR (followed by CR, not LF) used to make CR the line break: every LF then
    // started the next row's first field. Rows 1-3 are on lines 2-4.
    const file = path.join(os.tmpdir(), `cr-cr-lf-${process.pid}.csv`);
    const lines = ['external_id,opened_at,priority,category', 'S-1,2025-01-01T00:00:00Z,3,Network', 'S-2,2025-01-02T00:00:00Z,2,Email'];
    fs.writeFileSync(file, [...lines, 'S-3,2025-01-03T00:00:00Z,1,Email'].join('\r\r\n') + '\r\r\n');
    try {
      const detected = await detectFile(file);
      const items = [];
      for await (const item of await readItems(file, detected.format, detected, new TimeReader('UTC'))) items.push(item);
      expect(rejections(items)).toEqual([]);
      expect(items.map((item) => (item.kind === 'record' ? [item.record.externalId, item.line, item.record.category] : null))).toEqual([
        ['S-1', 2, 'Network'],
        ['S-2', 3, 'Email'],
        ['S-3', 4, 'Email'],
      ]);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('says why a header cannot be read: longer than the longest line, or a quote never closed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-header-'));
    try {
      const long = path.join(dir, 'long.csv');
      fs.writeFileSync(long, `external_id,opened_at,priority,${'x'.repeat(MAX_RECORD_CHARS)}\nA-1,2025-01-01T00:00:00Z,3\n`);
      await expect(readItems(long, 'generic', await detectFile(long), new TimeReader('UTC'))).rejects.toThrow(
        new ImportRequestError(`the header (line 1) is longer than ${MAX_RECORD_CHARS} bytes`),
      );
      const quote = path.join(dir, 'quote.csv');
      fs.writeFileSync(quote, 'external_id,"opened_at,priority\nA-1,2025-01-01T00:00:00Z,3\n');
      await expect(readItems(quote, 'generic', await detectFile(quote), new TimeReader('UTC'))).rejects.toThrow(
        new ImportRequestError('the header cannot be read: Quote Not Closed: the quote opened on line 1 is never closed'),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a file that starts with a UTF-8 byte-order mark as UTF-8 even when latin1 is asked for', async () => {
    // The mark's bytes read as latin1 would be "ï»¿" before the header's first name, whose format
    // then could not be told. The category "Café" is UTF-8 (C3 A9) after the mark.
    const file = path.join(os.tmpdir(), `bom-latin1-${process.pid}.csv`);
    fs.writeFileSync(file, Buffer.from('\uFEFFexternal_id,opened_at,priority,category\nB-1,2025-01-01T00:00:00Z,3,Café\n', 'utf8'));
    try {
      const detected = await detectFile(file, undefined, { encoding: 'latin1' });
      expect(detected.format).toBe('generic');
      const items = [];
      for await (const item of await readItems(file, 'generic', detected, new TimeReader('UTC'), undefined, 'latin1')) items.push(item);
      expect(records(items).get('B-1')!.category).toBe('Café');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('rejects a JSON incident that is not valid UTF-8, naming its field, and reads it right as latin1', async () => {
    // U-1 (line 2) has "R\xe9seau" in category; U-2 (line 3) is plain ASCII.
    const items = await readFixture('latin1.json');
    expect([...records(items).keys()]).toEqual(['U-2']);
    expect(rejections(items)).toEqual([
      {
        line: 2,
        field: 'category',
        reason: 'not valid UTF-8: save the file as UTF-8, or import it again with encoding latin1 (Latin-1 under Encoding on the dashboard, --encoding latin1 on the command line)',
        externalId: 'U-1',
      },
    ]);
    const file = path.join(FIXTURES, 'latin1.json');
    const detected = await detectFile(file, undefined, { encoding: 'latin1' });
    const latin = [];
    for await (const item of await readItems(file, 'generic', detected, new TimeReader('UTC'), undefined, 'latin1')) latin.push(item);
    expect(records(latin).get('U-1')!.category).toBe('Réseau');
  });

  it('names what is wrong with an empty file or JSON that is no array', async () => {
    await expect(detectFile(path.join(FIXTURES, 'empty.csv'))).rejects.toThrow(new ImportRequestError('empty.csv: the file is empty'));
    await expect(detectFile(path.join(FIXTURES, 'object.json'))).rejects.toThrow(
      'object.json: a generic JSON file must be an array of incidents',
    );
    await expect(detectFile(path.join(FIXTURES, 'object.json'), 'generic', { fileName: 'mine.json' })).rejects.toThrow(
      'mine.json: a generic JSON file must be an array of incidents',
    );
  });

  it('names the columns a generic header lacks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-header-'));
    const cases: [string, string][] = [
      ['external_id,priority\nX-1,3\n', 'generic: the header has no opened_at column; it needs external_id and opened_at'],
      ['id,priority\nX-1,3\n', 'generic: the header has no external_id or opened_at column; it needs external_id and opened_at'],
    ];
    for (const [text, message] of cases) {
      const file = path.join(dir, 'lacking.csv');
      fs.writeFileSync(file, text);
      const { cut } = await readUntilCut(file, 'generic');
      expect(cut).toEqual(new ImportRequestError(message));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a .json file as JSON with the generic format given', async () => {
    const detected = await detectFile(path.join(FIXTURES, 'generic-array.json'), 'generic');
    expect(detected).toMatchObject({ format: 'generic', syntax: 'json' });
    const items = await readFixture('generic-array.json', 'UTC', 'generic');
    expect([...records(items).keys()]).toEqual(['A-1']);
  });

  it('words the unknown-format message for the command line and the upload alike', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-unknown-'));
    const file = path.join(dir, 'tmp-1234');
    fs.writeFileSync(file, 'a,b\n1,2\n');
    const refused = detectFile(file, undefined, { fileName: 'export.csv' });
    await expect(refused).rejects.toThrow('cannot tell the format of export.csv from its header; choose the format (servicenow, bpi2014, generic)');
    await refused.catch((error: Error) => expect(error.message).not.toMatch(/--|tmp-1234/));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
