import type { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/src/app';
import { loadConfig } from '../../../server/src/config/app.config';
import { UPLOAD_DIR } from '../../../server/src/imports/imports.controller';
import { createTestDatabase, TestDatabase } from '../../support/db';
import { FIXTURES } from '../../unit/imports/fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function json(response: Response): Promise<Json> {
  return response.json();
}

/**
 * Whether UPLOAD_DIR is empty within two seconds: Nest removes the files of a request a pipe
 * refused once its response has closed, just after the client has read it.
 */
async function uploadsLeft(): Promise<string[]> {
  for (let waited = 0; waited < 2000 && fs.readdirSync(UPLOAD_DIR).length > 0; waited += 50) await new Promise((r) => setTimeout(r, 50));
  return fs.readdirSync(UPLOAD_DIR);
}

function form(fields: Record<string, string>, files: Record<string, string>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  for (const [name, file] of Object.entries(files)) {
    body.append(name, new Blob([fs.readFileSync(path.join(FIXTURES, file))]), file);
  }
  return body;
}

describe('POST /api/imports', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;
  let dataDir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-upload-test-'));
    const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir });
    app = await createApp(config, { url: db.url, release: async () => undefined }, { logger: false, schedule: false });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports an upload through the same pipeline and lists the run and its rejections', async () => {
    const response = await fetch(`${base}/api/imports`, {
      method: 'POST',
      // Typed in lower case, stored as the database spells it.
      body: form({ source: 'uploaded', timezone: 'europe/berlin' }, { file: 'generic.csv' }),
    });
    expect(response.status).toBe(200);
    const result = await json(response);
    expect(result).toMatchObject({
      source: 'uploaded',
      format: 'generic',
      timezone: 'Europe/Berlin',
      rowsRead: 6,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      rejected: 3,
    });
    expect(result.rejections.map((r: { line: number; field: string }) => [r.line, r.field])).toEqual([
      [4, 'priority'],
      [5, 'opened_at'],
      [7, 'external_id'],
    ]);

    const runs = await json(await fetch(`${base}/api/imports`));
    expect(runs[0]).toMatchObject({ id: result.id, source: 'uploaded', file: 'generic.csv', status: 'finished', rowsRead: 6, rejected: 3 });

    const rejections = await json(await fetch(`${base}/api/imports/${result.id}/rejections`));
    expect(rejections.map((r: { line: number }) => r.line)).toEqual([4, 5, 7]);
    expect(rejections[2]).toMatchObject({ file: 'generic.csv', field: 'external_id', externalId: 'G-2' });
    // The first two of the three, in line order, as the dashboard asks for the first thousand.
    const first = await json(await fetch(`${base}/api/imports/${result.id}/rejections?limit=2`));
    expect(first.map((r: { line: number }) => r.line)).toEqual([4, 5]);
    const none = await fetch(`${base}/api/imports/${result.id}/rejections?limit=0`);
    expect([none.status, (await json(none)).message]).toEqual([400, 'limit: must be a whole number from 1 to 1000000']);
  });

  it('takes the BPI activity log as a second part', async () => {
    const response = await fetch(`${base}/api/imports`, {
      method: 'POST',
      body: form({ format: 'bpi2014' }, { file: 'bpi2014-detail.csv', events: 'bpi2014-activity.csv.gz' }),
    });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ source: 'bpi2014', inserted: 3, rejected: 2 });
  });

  it('answers 400 for a missing file, an unknown format or zone, and 404 for an unknown run', async () => {
    const noFile = await fetch(`${base}/api/imports`, { method: 'POST', body: form({ source: 'x' }, {}) });
    expect(noFile.status).toBe(400);
    expect(await json(noFile)).toMatchObject({ message: 'file: a multipart part named "file" is required', parameters: [{ parameter: 'file' }] });

    const badFormat = await fetch(`${base}/api/imports`, { method: 'POST', body: form({ format: 'excel' }, { file: 'generic.csv' }) });
    expect(badFormat.status).toBe(400);
    expect((await json(badFormat)).message).toMatch(/^format:/);

    const badZone = await fetch(`${base}/api/imports`, { method: 'POST', body: form({ timezone: 'Mars/Olympus' }, { file: 'generic.csv' }) });
    expect(badZone.status).toBe(400);
    const zoneAnswer = await json(badZone);
    expect(zoneAnswer.message).toMatch(/^timezone: unknown time zone "Mars\/Olympus"/);
    // In the shape of the API's other 400s.
    expect(zoneAnswer).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    // IST is Asia/Kolkata to the import's reader and +02 to PostgreSQL: refused, not read as either.
    const abbreviation = await fetch(`${base}/api/imports`, { method: 'POST', body: form({ timezone: 'IST' }, { file: 'generic.csv' }) });
    expect(abbreviation.status).toBe(400);
    // Named in `parameters` too, as every other parameter refusal is.
    const istProblem =
      '"IST" is an abbreviation the database reads as one fixed offset, not as the zone the import would read; ' +
      'expected an IANA time zone such as Europe/Berlin, one the database knows as the same zone (not an abbreviation such as IST or CET)';
    expect(await json(abbreviation)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: `timezone: ${istProblem}`,
      parameters: [{ parameter: 'timezone', problems: [istProblem] }],
    });
    expect(zoneAnswer.parameters).toEqual([{ parameter: 'timezone', problems: [zoneAnswer.message.slice('timezone: '.length)] }]);
    // A refused zone is recorded as a failed run, as an empty file is: it once was not.
    const runs = await json(await fetch(`${base}/api/imports`));
    expect(runs[0]).toMatchObject({ file: 'generic.csv', format: 'unknown', timezone: 'IST', status: 'failed', error: `timezone: ${istProblem}` });
    // A name ICU still knows and the tz database dropped.
    const dropped = await fetch(`${base}/api/imports`, { method: 'POST', body: form({ timezone: 'US/Pacific-New' }, { file: 'generic.csv' }) });
    expect((await json(dropped)).message).toMatch(/^timezone: "US\/Pacific-New" is a zone name the database does not know; expected/);

    // An activity log beside a file of another format, named or detected, is the events part's refusal.
    const eventsProblem = 'an events file goes with the bpi2014 format (the activity log of Detail_Incident.csv)';
    for (const [fields, problem] of [
      [{ format: 'generic' }, eventsProblem],
      [{}, `generic.csv is generic; ${eventsProblem}`],
    ] as const) {
      const events = await fetch(`${base}/api/imports`, { method: 'POST', body: form(fields, { file: 'generic.csv', events: 'bpi2014-activity.csv.gz' }) });
      expect([events.status, await json(events)], problem).toEqual([
        400,
        { statusCode: 400, error: 'Bad Request', message: `events: ${problem}`, parameters: [{ parameter: 'events', problems: [problem] }] },
      ]);
    }

    const unknown = await fetch(`${base}/api/imports/999999/rejections`);
    expect(unknown.status).toBe(404);
    // The same shape as every other 404 of the API.
    expect(await unknown.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'no import run 999999' });
    expect((await fetch(`${base}/api/imports/abc/rejections`)).status).toBe(400);
  });

  it('refuses a source name with a control character, naming the field and the character', async () => {
    const lastId: number = (await json(await fetch(`${base}/api/imports`)))[0]?.id ?? 0;
    // A tab (U+0009) and a bell (U+0007), each inside a name otherwise fine.
    for (const [source, code] of [
      ['night\tshift', '0009'],
      ['ring\u0007', '0007'],
    ]) {
      const problem = `holds a control character (U+${code}); a source name is text without tabs, line breaks or other control characters`;
      const response = await fetch(`${base}/api/imports`, { method: 'POST', body: form({ source }, { file: 'generic.csv' }) });
      expect([response.status, await json(response)], code).toEqual([
        400,
        { statusCode: 400, error: 'Bad Request', message: `source: ${problem}`, parameters: [{ parameter: 'source', problems: [problem] }] },
      ]);
    }
    // Refused as a zone is: recorded as two failed runs, nothing imported.
    const runs = (await json(await fetch(`${base}/api/imports`))).filter((run: { id: number }) => run.id > lastId);
    expect(runs).toHaveLength(2);
    for (const run of runs) expect(run).toMatchObject({ file: 'generic.csv', status: 'failed', rowsRead: 0 });
    expect(await uploadsLeft()).toEqual([]);
  });

  it('leaves no uploaded file behind, whether the upload is imported or its fields refused', async () => {
    const response = await fetch(`${base}/api/imports`, { method: 'POST', body: form({}, { file: 'generic.json' }) });
    expect(response.status).toBe(200);
    expect(await uploadsLeft()).toEqual([]);
    // Refused before the import starts: a field the upload does not take, one too long.
    for (const [fields, message] of [
      [{ colour: 'red' }, 'colour: not taken by this endpoint'],
      [{ timezone: 'x'.repeat(65) }, 'timezone: must be at most 64 characters long'],
    ] as const) {
      const refused = await fetch(`${base}/api/imports`, { method: 'POST', body: form(fields, { file: 'generic.csv' }) });
      expect([refused.status, (await json(refused)).message]).toEqual([400, message]);
      expect(await uploadsLeft()).toEqual([]);
    }
  });

  it('names a field given twice as such', async () => {
    const body = form({ source: 'twice', timezone: 'UTC' }, { file: 'generic.csv' });
    body.append('timezone', 'Europe/Berlin');
    const refused = await fetch(`${base}/api/imports`, { method: 'POST', body });
    expect([refused.status, (await json(refused)).message]).toEqual([400, 'timezone: given more than once']);
    expect(await uploadsLeft()).toEqual([]);
    // One the upload does not take is that, however often given.
    const unknown = form({}, { file: 'generic.csv' });
    unknown.append('colour', 'a');
    unknown.append('colour', 'b');
    const refusedUnknown = await fetch(`${base}/api/imports`, { method: 'POST', body: unknown });
    expect([refusedUnknown.status, (await json(refusedUnknown)).message]).toEqual([400, 'colour: not taken by this endpoint']);
    expect(await uploadsLeft()).toEqual([]);
    // File parts too: the file twice, a file part the upload does not take, a part without a name.
    const csv = () => new Blob([fs.readFileSync(path.join(FIXTURES, 'generic.csv'))]);
    const twice = form({}, { file: 'generic.csv' });
    twice.append('file', csv(), 'again.csv');
    const other = form({}, { file: 'generic.csv' });
    other.append('attachment', csv(), 'other.csv');
    const unnamed = form({}, { file: 'generic.csv' });
    unnamed.append('', 'x');
    for (const [body, message] of [
      [twice, 'file: given more than once'],
      [other, 'attachment: not taken by this endpoint'],
      [unnamed, '(no name): a parameter without a name, as in "?=1"'],
    ] as const) {
      const refused = await fetch(`${base}/api/imports`, { method: 'POST', body });
      const answer = await json(refused);
      expect([refused.status, answer.message]).toEqual([400, message]);
      expect(answer.parameters).toHaveLength(1);
      expect(await uploadsLeft()).toEqual([]);
    }
  });

  it('says a part sent as the other kind (a text field named file, a file named as a field) is that', async () => {
    const csv = () => new Blob([fs.readFileSync(path.join(FIXTURES, 'generic.csv'))]);
    // `-F file=hello`: the file as text, alone or beside the file part.
    const textOnly = form({ file: 'hello' }, {});
    const textBeside = form({ file: 'hello' }, { file: 'generic.csv' });
    // `-F timezone=@generic.csv`: a field the upload takes as text, sent as a file.
    const zoneAsFile = form({}, { file: 'generic.csv' });
    zoneAsFile.append('timezone', csv(), 'generic.csv');
    for (const [body, parameter, problem] of [
      [textOnly, 'file', 'must be a file part, not a text field'],
      [textBeside, 'file', 'must be a file part, not a text field'],
      [zoneAsFile, 'timezone', 'must be a text field, not a file'],
    ] as const) {
      const refused = await fetch(`${base}/api/imports`, { method: 'POST', body });
      expect(refused.status, parameter).toBe(400);
      expect(await json(refused), parameter).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: `${parameter}: ${problem}`,
        parameters: [{ parameter, problems: [problem] }],
      });
      expect(await uploadsLeft()).toEqual([]);
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = await json(await fetch(`${base}/api/docs-json`));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/imports', '/api/imports/{id}/rejections']));
    expect(doc.paths['/api/imports'].post.requestBody.content).toHaveProperty('multipart/form-data');
  });

  it('answers 400 naming the uploaded file, with no command-line flag, and records the run', async () => {
    // Each refused for the file part's content: named under `parameters` as a field would be, the
    // problem naming the file as uploaded; the run records the problem, as the command prints it.
    const cases: [string, Record<string, string>, string][] = [
      ['empty.csv', {}, 'my-export.csv: the file is empty'],
      ['object.json', {}, 'my-export.csv: a generic JSON file must be an array of incidents'],
      ['latin1.csv', { encoding: 'latin1', format: 'servicenow' }, 'my-export.csv: servicenow: the header has no "number" column'],
    ];
    for (const [fixture, fields, problem] of cases) {
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) body.append(name, value);
      body.append('file', new Blob([fs.readFileSync(path.join(FIXTURES, fixture))]), 'my-export.csv');
      const response = await fetch(`${base}/api/imports`, { method: 'POST', body });
      expect([response.status, await json(response)], fixture).toEqual([
        400,
        { statusCode: 400, error: 'Bad Request', message: `file: ${problem}`, parameters: [{ parameter: 'file', problems: [problem] }] },
      ]);
      const runs = await json(await fetch(`${base}/api/imports`));
      expect(runs[0], fixture).toMatchObject({ file: 'my-export.csv', status: 'failed', error: problem });
    }

    const body = new FormData();
    body.append('file', new Blob(['a,b\n1,2\n']), 'mystery.csv');
    const unknown = await json(await fetch(`${base}/api/imports`, { method: 'POST', body }));
    const unknownProblem = 'cannot tell the format of mystery.csv from its header; choose the format (servicenow, bpi2014, generic)';
    expect(unknown).toMatchObject({ message: `file: ${unknownProblem}`, parameters: [{ parameter: 'file', problems: [unknownProblem] }] });

    // The events part's content: an activity log in UTF-16 (its byte-order mark, then the header).
    const wide = new FormData();
    wide.append('format', 'bpi2014');
    wide.append('file', new Blob([fs.readFileSync(path.join(FIXTURES, 'bpi2014-detail.csv'))]), 'detail.csv');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Incident ID;DateStamp;IncidentActivity_Number\n', 'utf16le')]);
    wide.append('events', new Blob([utf16]), 'activity.csv');
    const wideProblem = 'activity.csv looks like UTF-16 text (its byte-order mark says UTF-16): save it as UTF-8 and import it again';
    const wideAnswer = await fetch(`${base}/api/imports`, { method: 'POST', body: wide });
    expect([wideAnswer.status, await json(wideAnswer)]).toEqual([
      400,
      { statusCode: 400, error: 'Bad Request', message: `events: ${wideProblem}`, parameters: [{ parameter: 'events', problems: [wideProblem] }] },
    ]);
  });

  it('reads a Latin-1 upload with the encoding field, and rejects its rows as UTF-8 without it', async () => {
    const latin = await fetch(`${base}/api/imports`, { method: 'POST', body: form({ source: 'latin-upload', encoding: 'latin1' }, { file: 'latin1.csv' }) });
    expect(latin.status).toBe(200);
    expect(await json(latin)).toMatchObject({ rowsRead: 2, inserted: 2, rejected: 0 });

    const utf8 = await json(await fetch(`${base}/api/imports`, { method: 'POST', body: form({ source: 'utf8-upload' }, { file: 'latin1.csv' }) }));
    // Line 2 ("R\xe9seau") is rejected on category; line 3 is plain ASCII.
    expect(utf8).toMatchObject({ rowsRead: 2, inserted: 1, rejected: 1 });
    // In words that fit an upload too, not only the command's flag.
    expect(utf8.rejections[0]).toEqual({
      file: 'latin1.csv',
      line: 2,
      field: 'category',
      reason: 'not valid UTF-8: save the file as UTF-8, or import it again with encoding latin1 (Latin-1 under Encoding on the dashboard, --encoding latin1 on the command line)',
      externalId: 'E-1',
    });

    const bad = await fetch(`${base}/api/imports`, { method: 'POST', body: form({ encoding: 'cp1252' }, { file: 'latin1.csv' }) });
    expect(bad.status).toBe(400);
    expect((await json(bad)).message).toMatch(/^encoding:/);
  });

  it('answers 422 for a file cut short, with its counts, and writes the rows before the cut', async () => {
    const response = await fetch(`${base}/api/imports`, {
      method: 'POST',
      body: form({ source: 'cut-upload' }, { file: 'truncated.csv.gz' }),
    });
    expect(response.status).toBe(422);
    const answer = await json(response);
    // 968 whole rows before the cut, the cut itself one rejection.
    expect(answer).toMatchObject({
      message: 'truncated.csv.gz: the file could not be read past line 969: unexpected end of file',
      rowsRead: 969,
      inserted: 968,
      rejected: 1,
    });
    const runs = await json(await fetch(`${base}/api/imports`));
    expect(runs[0]).toMatchObject({ file: 'truncated.csv.gz', status: 'failed', inserted: 968, error: answer.message });
  });
});
