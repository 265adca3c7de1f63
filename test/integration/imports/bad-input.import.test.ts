import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportRequestError } from '../../../server/src/imports/import.service';
import { FIXTURES } from '../../unit/imports/fixtures';
import { useImportHarness } from './import-context';

describe('import of bad input: the good rows are written, the bad ones named', () => {
  const h = useImportHarness();

  it('writes the good rows beside an over-long category instead of failing the batch', async () => {
    const result = await h.imports.run({ file: path.join(FIXTURES, 'long-cells.csv'), source: 'long' });
    // 5 rows: L-2 (subcategory 1,001 chars) and L-4 (notes 10,001) rejected; L-1, L-3, L-5 written.
    expect(result).toMatchObject({ rowsRead: 5, inserted: 3, rejected: 2, error: null });
    const stored = await h.sql<{ external_id: string }>(
      `select external_id from incident where source_id = (select id from source where name = 'long') order by external_id`,
    );
    expect(stored.map((r) => r.external_id)).toEqual(['L-1', 'L-3', 'L-5']);
  });

  it('writes the good rows beside indexed fields too wide for an index entry and counts past the integer column', async () => {
    // Each of those failed the whole import before: PostgreSQL refused the index entry of 3,000
    // bytes (1,000 CJK characters) and the count 2147483648.
    const result = await h.imports.run({ file: path.join(FIXTURES, 'indexed-cells.csv'), source: 'indexed' });
    // 8 rows, X-5 (category over 500 bytes), X-6, X-7 (count) rejected; 3 written.
    expect(result).toMatchObject({ rowsRead: 8, inserted: 3, rejected: 5, error: null });
    const stored = await h.sql<{ external_id: string; bytes: number; reassignment_count: number }>(
      `select external_id, octet_length(category) as bytes, reassignment_count from incident
        where source_id = (select id from source where name = 'indexed') order by external_id`,
    );
    expect(stored).toEqual([
      { external_id: 'X-1', bytes: 500, reassignment_count: 2147483647 },
      { external_id: 'X-3', bytes: 498, reassignment_count: 2 },
      { external_id: 'X-8', bytes: 7, reassignment_count: 3 },
    ]);
  });

  it('refuses an activity log written in UTF-16, naming it', async () => {
    // The log's own header, in UTF-16LE with its byte-order mark (as Excel's "Unicode text").
    const events = path.join(h.dataDir, 'activity-utf16.csv');
    fs.writeFileSync(
      events,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Incident ID;DateStamp;IncidentActivity_Number;IncidentActivity_Type\n', 'utf16le')]),
    );
    const refused = h.imports.run({ file: path.join(FIXTURES, 'bpi2014-detail.csv'), eventsFile: events, source: 'utf16-events' });
    // A refusal of the events part's content: the upload's 400 names the part.
    await expect(refused).rejects.toThrow(
      new ImportRequestError(
        'activity-utf16.csv looks like UTF-16 text (its byte-order mark says UTF-16): save it as UTF-8 and import it again',
        'events',
      ),
    );
  });

  it("refuses an activity log whose header cannot be read, naming the log and the events part", async () => {
    // Its header opens a quote that nothing closes: the header is the whole file, unread.
    const events = path.join(h.dataDir, 'activity-quote.csv');
    fs.writeFileSync(events, '"Incident ID,DateStamp,IncidentActivity_Number,IncidentActivity_Type\n');
    const refused = h.imports.run({ file: path.join(FIXTURES, 'bpi2014-detail.csv'), eventsFile: events, source: 'quote-events' });
    // It once said "the header cannot be read: ..." without saying of which file.
    await expect(refused).rejects.toThrow(
      new ImportRequestError(
        'activity-quote.csv: the header cannot be read: Quote Not Closed: the quote opened on line 1 is never closed',
        'events',
      ),
    );
  });

  it('keeps the objects of a JSON array beside its non-objects', async () => {
    const result = await h.imports.run({ file: path.join(FIXTURES, 'json-elements.json'), source: 'json-elements' });
    // 7 elements: J-1, J-2 written; 1, "x", null, [3], tru rejected.
    expect(result).toMatchObject({ rowsRead: 7, inserted: 2, rejected: 5, error: null });
  });

  it('commits the rows before a truncated gzip and marks the run failed with where it stopped', async () => {
    const result = await h.imports.run({ file: path.join(FIXTURES, 'truncated.csv.gz'), source: 'cut', batchSize: 500 });
    // 968 whole rows (lines 2-969, batches of 500 and 468) before the cut; the cut is one
    // rejection, on line 970, the first one not read whole: 969 read.
    expect(result).toMatchObject({ rowsRead: 969, inserted: 968, rejected: 1 });
    expect(result.error).toBe('truncated.csv.gz: the file could not be read past line 969: unexpected end of file');
    expect(result.rejections).toEqual([
      {
        file: 'truncated.csv.gz',
        line: 970,
        field: null,
        reason: 'the file could not be read past line 969: unexpected end of file',
        externalId: null,
      },
    ]);
    const [{ n }] = await h.sql<{ n: number }>(
      `select count(*)::int as n from incident where source_id = (select id from source where name = 'cut')`,
    );
    expect(n).toBe(968);
    const [run] = await h.sql(`select status, error, inserted, rejected from import_run where id = $1`, [result.id]);
    expect(run).toEqual({ status: 'failed', error: result.error, inserted: 968, rejected: 1 });
  });

  it('rejects the row of an unterminated quote and imports the rows on either side of it', async () => {
    const result = await h.imports.run({ file: path.join(FIXTURES, 'unterminated-quote.csv'), source: 'quote' });
    // Q-1, Q-2 and Q-4 written; Q-3's quote, opened on line 4, would have swallowed Q-4.
    expect(result).toMatchObject({ rowsRead: 4, inserted: 3, rejected: 1, error: null });
    expect(result.rejections.map((r) => [r.line, r.field])).toEqual([[4, 'resolution_notes']]);
  });

  it('records a refused run (an empty file) with its message', async () => {
    const refused = h.imports.run({ file: path.join(FIXTURES, 'empty.csv'), fileName: 'upload.csv' });
    // A refusal of the file part's content: the upload's 400 names the part.
    await expect(refused).rejects.toThrow(new ImportRequestError('upload.csv: the file is empty', 'file'));
    const [run] = await h.sql(`select file_name, status, error from import_run order by id desc limit 1`);
    expect(run).toEqual({ file_name: 'upload.csv', status: 'failed', error: 'upload.csv: the file is empty' });
  });

  it('refuses an events file beside a file detected as another format than bpi2014', async () => {
    // generic.csv's header makes it generic; an events file is BPI 2014's activity log only.
    const refused = h.imports.run({
      file: path.join(FIXTURES, 'generic.csv'),
      eventsFile: path.join(FIXTURES, 'bpi2014-activity.csv.gz'),
    });
    const message =
      'generic.csv is generic; an events file goes with the bpi2014 format (the activity log of Detail_Incident.csv)';
    // A refusal of the events part: the upload's 400 names it.
    await expect(refused).rejects.toThrow(new ImportRequestError(message, 'events'));
    const [run] = await h.sql(`select file_name, events_file_name, status, error from import_run order by id desc limit 1`);
    expect(run).toEqual({ file_name: 'generic.csv', events_file_name: 'bpi2014-activity.csv.gz', status: 'failed', error: message });
  });

  it('reads a Latin-1 file right with encoding latin1', async () => {
    const result = await h.imports.run({ file: path.join(FIXTURES, 'latin1.csv'), source: 'latin', encoding: 'latin1' });
    expect(result).toMatchObject({ rowsRead: 2, inserted: 2, rejected: 0 });
    const [e1] = await h.sql(`select category from incident where external_id = 'E-1'`);
    expect(e1).toEqual({ category: 'Réseau' });
    await expect(h.imports.run({ file: path.join(FIXTURES, 'latin1.csv'), encoding: 'ebcdic' })).rejects.toThrow(
      'unknown encoding "ebcdic"; expected utf8 or latin1',
    );
  });

  it('refuses an activity log cut short, naming it, before anything is written', async () => {
    const run = h.imports.run({
      file: path.join(FIXTURES, 'bpi2014-detail.csv'),
      eventsFile: path.join(FIXTURES, 'bpi2014-activity-cut.csv.gz'),
      source: 'bpi-cut',
    });
    // The cut copy unpacks to the header and lines 2..5 whole, then part of line 6.
    await expect(run).rejects.toThrow(
      new ImportRequestError('bpi2014-activity-cut.csv.gz: the file could not be read past line 5: unexpected end of file', 'events'),
    );
    const [{ n }] = await h.sql<{ n: number }>(
      `select count(*)::int as n from incident where source_id = (select id from source where name = 'bpi-cut')`,
    );
    expect(n).toBe(0);
  });
});
