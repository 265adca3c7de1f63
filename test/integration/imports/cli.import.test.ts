import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeDatabase, rejectionLines, runImport } from '../../../server/src/cli/import.command';
import { createTestDatabase, TestDatabase } from '../../support/db';
import { FIXTURES } from '../../unit/imports/fixtures';

describe('npm run import', () => {
  let db: TestDatabase;
  let dataDir: string;
  let out: string;
  let err: string;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR };

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-cli-test-'));
    // The command reads its configuration from the environment, as it does when run by npm.
    process.env.DATABASE_URL = db.url;
    process.env.DATA_DIR = dataDir;
  });
  afterAll(async () => {
    process.env.DATABASE_URL = saved.DATABASE_URL;
    process.env.DATA_DIR = saved.DATA_DIR;
    if (saved.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
    if (saved.DATA_DIR === undefined) delete process.env.DATA_DIR;
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    out = '';
    err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('ends with one line of counts and where the rejections are', async () => {
    const code = await runImport([path.join(FIXTURES, 'generic.csv'), '--source', 'cli']);
    expect(code).toBe(0);
    const last = out.trimEnd().split('\n').at(-1)!;
    const report = path.join(dataDir, 'import-rejections');
    expect(last).toMatch(new RegExp(`^read 6, inserted 3, updated 0, unchanged 0, rejected 3 \\(rejections: ${report}/.+\\.csv\\)$`));
    // The three rejected rows of generic.csv, each with its line, field and reason: G-3's priority
    // 7 (line 4), G-4 without opened_at (line 5), G-2 again (line 7, first on line 3).
    expect(err).toContain(
      [
        'rejected rows:',
        '  line 4, priority: expected 1..5, got "7"',
        '  line 5, opened_at: missing',
        '  line 7, external_id: "G-2" repeats line 3; the first row is kept',
      ].join('\n'),
    );
    expect(err).toContain('times without a zone are read in UTC');
    // It names the database it writes to, without the password.
    expect(err).toMatch(/\ninto PostgreSQL at [\w.-]+:\d+\/\w+ \(DATABASE_URL\)\n/);
  });

  it('shows at most five rejected rows, with control characters escaped, and counts the rest', () => {
    const rejection = (line: number) => ({ file: 'f.csv', line, field: 'category', reason: `got "a\u001b[2Jb"`, externalId: null });
    // Line 2 is a row of the events file (BPI 2014's activity log), named as it is not f.csv.
    const rows = [{ ...rejection(2), file: 'events.csv' }, ...[3, 4, 5, 6, 7].map(rejection)];
    const result = { file: 'f.csv', rejected: 8, rejections: rows } as Parameters<typeof rejectionLines>[0];
    // Six rejections carried, eight in all: five shown, then 8 - 5 = 3 more. ESC (0x1b) is escaped.
    expect(rejectionLines(result)).toEqual([
      '  events.csv line 2, category: got "a\\u001b[2Jb"',
      '  line 3, category: got "a\\u001b[2Jb"',
      '  line 4, category: got "a\\u001b[2Jb"',
      '  line 5, category: got "a\\u001b[2Jb"',
      '  line 6, category: got "a\\u001b[2Jb"',
      '  and 3 more in the report',
    ]);
  });

  it('describes an embedded database by its folder', () => {
    expect(describeDatabase(undefined, 'postgres://postgres:secret@127.0.0.1:54329/incidents', '/srv/ia')).toBe(
      'the embedded PostgreSQL of /srv/ia (127.0.0.1:54329/incidents)',
    );
  });

  it('says the zone it used', async () => {
    const code = await runImport([path.join(FIXTURES, 'servicenow-events.csv.gz'), '--timezone', 'Europe/Berlin']);
    expect(code).toBe(0);
    expect(err).toContain('time zone Europe/Berlin');
    // INC0000001 and INC0000002 written; INC0000003 rejected (its bad row).
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^read 3, inserted 2, updated 0, unchanged 0, rejected 1 /);
  });

  it('answers 2 with a clear message on bad usage', async () => {
    const cases: [string[], RegExp][] = [
      [[], /no file given/],
      [[path.join(FIXTURES, 'nope.csv')], /file not found: .*nope\.csv/],
      [[path.join(FIXTURES, 'generic.csv'), '--format', 'excel'], /unknown format "excel"/],
      [[path.join(FIXTURES, 'generic.csv'), '--timezone', 'Mars/Olympus'], /unknown time zone "Mars\/Olympus"/],
      [[path.join(FIXTURES, 'generic.csv'), '--colour'], /Unknown option '--colour'/],
      [[path.join(FIXTURES, 'generic.csv'), '--format', 'servicenow'], /servicenow: the header has no "number" column/],
      [[path.join(FIXTURES, 'bpi2014-activity.csv.gz')], /activity log: import Detail_Incident\.csv with this file as its events file/],
    ];
    for (const [args, message] of cases) {
      err = '';
      expect(await runImport(args), args.join(' ')).toBe(2);
      expect(err, args.join(' ')).toMatch(message);
      expect(err).toContain('usage: npm run import -- FILE');
    }
  });

  it('refuses a --source with a control character, naming it, before it connects (exit 2)', async () => {
    // A line break (U+000A), a tab (U+0009) and a bell (U+0007); the character is named by its
    // code, never written to the terminal.
    for (const [source, code] of [
      ['night\nshift', '000A'],
      ['\tleading tab', '0009'],
      ['ring\u0007', '0007'],
    ]) {
      err = '';
      expect(await runImport([path.join(FIXTURES, 'generic.csv'), '--source', source]), code).toBe(2);
      expect(err, code).toBe(
        `source: holds a control character (U+${code}); a source name is text without tabs, line breaks or other control characters\n` +
          'usage: npm run import -- FILE [--format servicenow|bpi2014|generic] [--source NAME] [--timezone TZ] [--events FILE] [--encoding utf8|latin1] [--no-refresh]\n',
      );
    }
  });

  it('refuses a zone the database reads as another before naming it, and records the run', async () => {
    // IST is Asia/Kolkata to luxon and +02 to PostgreSQL: known only once connected. The command
    // once printed "times without a zone are read in IST" and then refused it, recording nothing.
    const expected = 'expected an IANA time zone such as Europe/Berlin, one the database knows as the same zone (not an abbreviation such as IST or CET)';
    const messages: Record<string, string> = {
      IST: `timezone: "IST" is an abbreviation the database reads as one fixed offset, not as the zone the import would read; ${expected}`,
      // One luxon does not know either: refused as well once connected, and recorded the same way.
      'Mars/Olympus': `timezone: unknown time zone "Mars/Olympus"; ${expected}`,
    };
    for (const zone of Object.keys(messages)) {
      err = '';
      expect(await runImport([path.join(FIXTURES, 'generic.csv'), '--source', 'cli-zone', '--timezone', zone]), zone).toBe(2);
      expect(err, zone).not.toContain('times without a zone are read in');
      const message = messages[zone];
      expect(err, zone).toContain(`${message}\nusage: npm run import -- FILE`);
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query('select file_name, format, timezone, status, error from import_run order by id desc limit 1');
      await client.end();
      expect(rows, zone).toEqual([{ file_name: 'generic.csv', format: 'unknown', timezone: zone, status: 'failed', error: message }]);
    }
  });

  it('names a file cut short, still ends with the counts line, and answers 1', async () => {
    const code = await runImport([path.join(FIXTURES, 'truncated.csv.gz'), '--source', 'cli-cut']);
    expect(code).toBe(1);
    // 968 whole rows before the cut, the cut itself one rejection.
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^read 969, inserted 968, updated 0, unchanged 0, rejected 1 /);
    expect(err).toContain('truncated.csv.gz: the file could not be read past line 969: unexpected end of file');
    expect(err).not.toMatch(/\bat \w+ \(|zlib|Error:/);
  });

  it('refuses bad input up front without a stack trace (exit 2)', async () => {
    const cases: [string[], string][] = [
      [[path.join(FIXTURES, 'empty.csv')], 'empty.csv: the file is empty'],
      [[path.join(FIXTURES, 'object.json')], 'object.json: a generic JSON file must be an array of incidents'],
      // A ServiceNow export has opened_at but calls its id "number".
      [
        [path.join(FIXTURES, 'servicenow-table.csv'), '--format', 'generic'],
        'servicenow-table.csv: generic: the header has no external_id column; it needs external_id and opened_at',
      ],
      [[path.join(FIXTURES, 'generic.csv'), '--encoding', 'utf16'], 'unknown encoding "utf16"; expected utf8 or latin1'],
      // 15 bytes of a gzip stream: it ends before any line of the file does.
      [[path.join(FIXTURES, 'tiny-broken.csv.gz')], 'tiny-broken.csv.gz could not be read: unexpected end of file'],
      // priority is the 3rd and the 4th column: which holds it cannot be told, so nothing is read.
      [[path.join(FIXTURES, 'duplicate-column.csv')], 'duplicate-column.csv: generic: the header names priority twice (columns 3 and 4); keep one'],
    ];
    for (const [args, message] of cases) {
      err = '';
      expect(await runImport(args), args.join(' ')).toBe(2);
      expect(err, args.join(' ')).toContain(message);
      expect(err, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it('reads FILE and --events from where npm was run (INIT_CWD), not from the package root', async () => {
    // npm runs the command in the package root and says in INIT_CWD where the user typed it.
    const saved = process.env.INIT_CWD;
    process.env.INIT_CWD = FIXTURES;
    try {
      // generic.csv is in the fixtures, not in the root: found only from INIT_CWD. Its 6 rows:
      // 3 inserted, 3 rejected, as in the first test (a source of its own, so all are new).
      expect(await runImport(['generic.csv', '--source', 'cli-init-cwd'])).toBe(0);
      expect(out.trimEnd().split('\n').at(-1)).toMatch(/^read 6, inserted 3, updated 0, unchanged 0, rejected 3 /);
      // A missing file and a missing events file are named where they were looked for.
      err = '';
      expect(await runImport(['nope.csv'])).toBe(2);
      expect(err).toContain(`file not found: ${path.join(FIXTURES, 'nope.csv')}\n`);
      err = '';
      expect(await runImport(['bpi2014-detail.csv', '--format', 'bpi2014', '--events', 'nope-events.csv'])).toBe(2);
      expect(err).toContain(`--events file not found: ${path.join(FIXTURES, 'nope-events.csv')}\n`);
    } finally {
      if (saved === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = saved;
    }
  });

  it('reads a Latin-1 file with --encoding latin1', async () => {
    expect(await runImport([path.join(FIXTURES, 'latin1.csv'), '--source', 'cli-latin', '--encoding', 'latin1'])).toBe(0);
    expect(out.trimEnd().split('\n').at(-1)).toBe('read 2, inserted 2, updated 0, unchanged 0, rejected 0');
  });
});
