import { describe, expect, it } from 'vitest';
import { lineOf, readFixture, records, rejections, utc } from './fixtures';

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
      { line: 15, field: 'sys_updated_at', reason: 'not a time from 1900 to 2999: "6/3/2016 25:00"', externalId: 'INC0000003' },
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
});
