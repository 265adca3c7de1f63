import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readServiceNow } from '../../../server/src/imports/formats/servicenow.format';
import { TimeReader } from '../../../server/src/imports/import.time';
import { RowError } from '../../../server/src/imports/import.fields';
import { ImportItem, SourceRow } from '../../../server/src/imports/import.types';
import { FIXTURES, lineOf, readFixture, records, rejections, utc } from './fixtures';

/** The fixture's header and INC0000001's second row (state Active, updated 1/3/2016 10:30). */
const [HEADER, , ACTIVE_ROW] = fs.readFileSync(path.join(FIXTURES, 'servicenow-events.csv'), 'utf8').split('\n');
const column = (name: string) => HEADER.split(',').indexOf(name);

/** INC0000001's Active row with other values in the named columns. */
function row(line: number, values: Record<string, string>): SourceRow {
  const cells = ACTIVE_ROW.split(',');
  for (const [name, value] of Object.entries(values)) cells[column(name)] = value;
  return { line, values: cells };
}

async function readRows(rows: Iterable<SourceRow>): Promise<ImportItem[]> {
  const items: ImportItem[] = [];
  for await (const item of readServiceNow((async function* () { yield* rows; })(), HEADER.split(','), new TimeReader('UTC'))) {
    items.push(item);
  }
  return items;
}

// Fixture servicenow-events.csv (hand-made, the UCI log's 36 columns): header line 1,
// INC0000001 lines 2-9, INC0000002 lines 10-13, INC0000003 lines 14-16.
describe('servicenow event log', () => {
  it('makes one incident per number from its final row', async () => {
    const items = await readFixture('servicenow-events.csv');
    const inc = records(items).get('INC0000001')!;
    expect(lineOf(items, 'INC0000001')).toBe(9);
    expect(inc.status).toBe('Closed');
    expect(inc.openedAt).toEqual(utc('2016-03-01T09:55:00Z'));
    expect(inc.restoredAt).toEqual(utc('2016-03-02T10:00:00Z'));
    expect(inc.closedAt).toEqual(utc('2016-03-07T10:00:00Z'));
    // Final row: impact "1 - High", urgency "2 - Medium", priority "2 - High" (stated).
    expect([inc.impact, inc.urgency, inc.priority, inc.priorityOrigin]).toEqual([1, 2, 2, 'stated']);
    expect(inc.assignmentGroup).toBe('Group 2');
    expect([inc.reassignmentCount, inc.reopenCount]).toEqual([1, 1]);
    expect(inc.sourceSlaMet).toBe(false);
    expect(inc.closureCode).toBe('code 5');
    expect(inc.configurationItem).toBe('CI 7');
    expect(inc.supplier).toBe('Vendor 1');
    expect(inc.problemId).toBe('Problem ID  2');
    expect(inc.relatedChange).toBe('CHG0000001');
    expect(inc.causedByChange).toBe('CHG0000009');
    expect(inc.detectionSource).toBe('user');
    expect(inc.attributes).toMatchObject({ contactType: 'Phone', location: 'Location 1', caller: 'Caller 1', knowledge: true });
  });

  it('turns state, group and priority changes into events, a reopen as a status event', async () => {
    const inc = records(await readFixture('servicenow-events.csv')).get('INC0000001')!;
    expect(inc.events.map((e) => [e.at.toISOString(), e.kind, e.from, e.to])).toEqual([
      ['2016-03-01T10:30:00.000Z', 'status', 'New', 'Active'],
      ['2016-03-01T11:00:00.000Z', 'assignment', 'Group 1', 'Group 2'],
      ['2016-03-01T11:30:00.000Z', 'priority', '3', '2'],
      ['2016-03-01T12:00:00.000Z', 'status', 'Active', 'Resolved'],
      ['2016-03-02T09:00:00.000Z', 'status', 'Resolved', 'Active'], // the reopen
      ['2016-03-02T10:00:00.000Z', 'status', 'Active', 'Resolved'],
      ['2016-03-07T10:00:00.000Z', 'status', 'Resolved', 'Closed'],
    ]);
    // First row off "New" (and first with assigned_to) is 10:30.
    expect(inc.acknowledgedAt).toEqual(utc('2016-03-01T10:30:00Z'));
  });

  it('reads `?` as missing: no resolved_at, priority from the matrix, no group', async () => {
    const inc = records(await readFixture('servicenow-events.csv')).get('INC0000002')!;
    expect(inc.restoredAt).toBeNull();
    expect(inc.assignmentGroup).toBeNull();
    expect(inc.configurationItem).toBeNull();
    // impact 3 - Low x urgency 3 - Low -> P5 by METRICS.md's matrix.
    expect([inc.priority, inc.priorityOrigin]).toEqual([5, 'matrix']);
    expect(inc.detectionSource).toBe('user'); // Self service
  });

  it('treats the -100 state as no state, and puts a backwards update in time order', async () => {
    const inc = records(await readFixture('servicenow-events.csv')).get('INC0000002')!;
    // Rows: New 10:00, -100 10:05, Resolved 09:50 (backwards), Closed 10/3 12:00.
    // -100 makes no event; New -> Resolved is dated 09:50 and sorts first.
    expect(inc.events.map((e) => [e.at.toISOString(), e.from, e.to])).toEqual([
      ['2016-03-05T09:50:00.000Z', 'New', 'Resolved'],
      ['2016-03-10T12:00:00.000Z', 'Resolved', 'Closed'],
    ]);
    // Earliest row off New (the -100 row does not count) is the Resolved row at 09:50.
    expect(inc.acknowledgedAt).toEqual(utc('2016-03-05T09:50:00Z'));
  });

  it('rejects an incident with a bad row, naming that row and field', async () => {
    const items = await readFixture('servicenow-events.csv');
    expect(records(items).has('INC0000003')).toBe(false);
    expect(rejections(items)).toEqual([
      { line: 15, field: 'sys_updated_at', reason: 'no such date or time: "6/3/2016 25:00"', externalId: 'INC0000003' },
    ]);
  });

  it('reads a gzipped file the same', async () => {
    const plain = records(await readFixture('servicenow-events.csv'));
    const gz = records(await readFixture('servicenow-events.csv.gz'));
    expect([...gz.keys()]).toEqual(['INC0000001', 'INC0000002']);
    expect(gz.get('INC0000001')).toEqual(plain.get('INC0000001'));
  });

  it('takes a plain incident table: one row, no history, no derived response', async () => {
    const inc = records(await readFixture('servicenow-table.csv')).get('INC0000010')!;
    expect(inc.status).toBe('Active');
    expect(inc.events).toEqual([]);
    expect(inc.acknowledgedAt).toBeNull();
    expect(inc.detectionSource).toBe('user'); // Email
  });

  it('folds an incident of many rows without holding them: 30 000 rows make 59 events', async () => {
    // Row k (line k + 2) is updated k minutes after 1/3/2016 10:00: state New at k = 0, Resolved
    // at k = 1000, 2000, ..., 29000 (29 rows), Active otherwise. Events: New -> Active at k = 1,
    // then Active -> Resolved and Resolved -> Active around each of the 29: 1 + 2 x 29 = 59.
    function* rows(): Generator<SourceRow> {
      for (let k = 0; k < 30_000; k++) {
        const at = new Date(Date.UTC(2016, 2, 1, 10, k));
        const state = k === 0 ? 'New' : k % 1000 === 0 ? 'Resolved' : 'Active';
        const updated = `${at.getUTCDate()}/${at.getUTCMonth() + 1}/${at.getUTCFullYear()} ${at.getUTCHours()}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
        yield row(k + 2, { incident_state: state, sys_updated_at: updated, assigned_to: k === 0 ? '?' : 'Resolver 1' });
      }
    }
    const items = await readRows(rows());
    const inc = records(items).get('INC0000001')!;
    expect(lineOf(items, 'INC0000001')).toBe(30_001);
    expect(inc.events).toHaveLength(59);
    expect(inc.events.slice(0, 3).map((e) => [e.at.toISOString(), e.from, e.to])).toEqual([
      ['2016-03-01T10:01:00.000Z', 'New', 'Active'],
      // k = 1000 is 16 h 40 min after 10:00: 2016-03-02 02:40.
      ['2016-03-02T02:40:00.000Z', 'Active', 'Resolved'],
      ['2016-03-02T02:41:00.000Z', 'Resolved', 'Active'],
    ]);
    // The first row off New (and the first with assigned_to) is k = 1.
    expect(inc.acknowledgedAt).toEqual(utc('2016-03-01T10:01:00Z'));
  });

  it('rejects an incident for its unreadable row first, then its final row, then its history', async () => {
    const unreadable = new RowError('column 37', '37 cells, the header has 36');
    const badHistory = row(3, { sys_updated_at: 'soon' });
    const badFinal = row(4, { priority: '9 - Dire' });
    // Lines 2-4: an unreadable row, a row without a time, a final row with a bad priority.
    expect(rejections(await readRows([{ ...row(2, {}), error: unreadable }, badHistory, badFinal]))).toEqual([
      { line: 2, field: 'column 37', reason: '37 cells, the header has 36', externalId: 'INC0000001' },
    ]);
    expect(rejections(await readRows([row(2, {}), badHistory, badFinal]))).toEqual([
      { line: 4, field: 'priority', reason: expect.stringContaining('"9 - Dire"'), externalId: 'INC0000001' },
    ]);
    expect(rejections(await readRows([row(2, {}), badHistory, row(4, {})]))).toEqual([
      { line: 3, field: 'sys_updated_at', reason: 'not a time: "soon" (write it as 2016-03-02 10:00, 2016-03-02T10:00:00Z or 2/3/2016 10:00, day first)', externalId: 'INC0000001' },
    ]);
  });
});
