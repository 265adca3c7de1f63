import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../unit/imports/fixtures';
import { useImportHarness } from './import-context';
import { CUT_HINT } from '../../../server/src/imports/import.read';

describe('import pipeline on hand-made fixtures', () => {
  const h = useImportHarness();

  /** A BPI 2014 activity log in the data folder: its header, then `rows` as given. */
  const writeActivity = (name: string, rows: string): string => {
    const file = path.join(h.dataDir, name);
    fs.writeFileSync(
      file,
      'Incident ID,Detail Incident Activity.IncidentActivity_Type,Detail Incident Activity.DateStamp,Detail Incident Activity.Assignment Group\n' +
        rows,
    );
    return file;
  };

  it('imports generic.csv: the first of a repeated id wins, bad rows reported, the rest written', async () => {
    const result = await h.imports.run({ file: path.join(FIXTURES, 'generic.csv'), source: 'fixture' });
    // 6 rows: G-1, G-2 (line 3), G-5 written; G-3 (priority 7), G-4 (no opened_at) and G-2's repeat (line 7) rejected.
    expect(result).toMatchObject({ format: 'generic', timezone: 'UTC', rowsRead: 6, inserted: 3, updated: 0, unchanged: 0, rejected: 3 });
    expect(result.rejections.map((r) => [r.line, r.field])).toEqual([
      [4, 'priority'],
      [5, 'opened_at'],
      [7, 'external_id'],
    ]);
    const [g2] = await h.sql<{ reassignment_count: number; restored_at: Date }>(
      `select reassignment_count, restored_at from incident where external_id = 'G-2'`,
    );
    // Line 3: reassignment_count 1, restored 03:30 UTC.
    expect(g2.reassignment_count).toBe(1);
    expect(g2.restored_at.toISOString()).toBe('2024-03-31T03:30:00.000Z');

    const [run] = await h.sql(`select status, rows_read, inserted, rejected, report_path from import_run where id = $1`, [result.id]);
    expect(run).toMatchObject({ status: 'finished', rows_read: 6, inserted: 3, rejected: 3 });
    const stored = await h.sql(`select line, field from import_rejection where import_run_id = $1 order by line`, [result.id]);
    expect(stored).toEqual([
      { line: 4, field: 'priority' },
      { line: 5, field: 'opened_at' },
      { line: 7, field: 'external_id' },
    ]);
    const report = fs.readFileSync(result.reportPath!, 'utf8').trimEnd().split('\n');
    expect(report[0]).toBe('file,line,field,reason');
    expect(report).toHaveLength(4);
    expect(report[1]).toBe('generic.csv,4,priority,"expected 1..5, got ""7"""');
  });

  it('changes nothing when the same file comes again', async () => {
    const before = await h.sql(`select external_id, version from incident order by external_id`);
    const again = await h.imports.run({ file: path.join(FIXTURES, 'generic.csv'), source: 'fixture' });
    expect(again).toMatchObject({ rowsRead: 6, inserted: 0, updated: 0, unchanged: 3, rejected: 3 });
    expect(await h.sql(`select external_id, version from incident order by external_id`)).toEqual(before);
  });

  it('keeps the first of a repeated id across batches too, and stays idempotent', async () => {
    // Batches of 2 records: [G-1, G-2 (line 3)], [G-5, G-2 (line 7)]: the repeat is found in PostgreSQL.
    const file = path.join(FIXTURES, 'generic.csv');
    const first = await h.imports.run({ file, source: 'small-batches', batchSize: 2 });
    expect(first).toMatchObject({ rowsRead: 6, inserted: 3, updated: 0, unchanged: 0, rejected: 3 });
    expect(first.rejections.find((r) => r.field === 'external_id')).toMatchObject({
      line: 7,
      reason: '"G-2" repeats line 3; the first row is kept',
    });
    const again = await h.imports.run({ file, source: 'small-batches', batchSize: 2 });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, rejected: 3 });
  });

  it('counts a changed row as 1 updated, with a new version and updated_at', async () => {
    const file = path.join(h.dataDir, 'generic-changed.csv');
    const text = fs.readFileSync(path.join(FIXTURES, 'generic.csv'), 'utf8');
    fs.writeFileSync(file, text.replace('G-5,2024-04-02 10:00:00,,,,New', 'G-5,2024-04-02 10:00:00,,,,Active'));
    const before = await h.sql<{ external_id: string; version: string; updated_at: Date }>(
      `select external_id, version, updated_at from incident where source_id = (select id from source where name = 'fixture') order by external_id`,
    );

    const result = await h.imports.run({ file, source: 'fixture' });
    expect(result).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    const after = await h.sql<{ external_id: string; version: string; updated_at: Date; status: string }>(
      `select external_id, version, updated_at, status from incident where source_id = (select id from source where name = 'fixture') order by external_id`,
    );
    const g5Before = before.find((r) => r.external_id === 'G-5')!;
    const g5After = after.find((r) => r.external_id === 'G-5')!;
    expect(g5After.status).toBe('Active');
    expect(BigInt(g5After.version)).toBeGreaterThan(BigInt(g5Before.version));
    expect(g5After.updated_at.getTime()).toBeGreaterThan(g5Before.updated_at.getTime());
    for (const id of ['G-1', 'G-2']) {
      expect(after.find((r) => r.external_id === id)!.version).toBe(before.find((r) => r.external_id === id)!.version);
    }
  });

  it('reads the zone it is given and says which it used', async () => {
    const result = await h.imports.run({ file: path.join(FIXTURES, 'generic.csv'), source: 'berlin', timezone: 'Europe/Berlin' });
    expect(result.timezone).toBe('Europe/Berlin');
    const [row] = await h.sql<{ opened_at: Date }>(
      `select i.opened_at from incident i join source s on s.id = i.source_id where s.name = 'berlin' and external_id = 'G-2'`,
    );
    // 2024-03-31 01:30 CET (+01:00) = 00:30 UTC.
    expect(row.opened_at.toISOString()).toBe('2024-03-31T00:30:00.000Z');
    const [run] = await h.sql(`select timezone from import_run where id = $1`, [result.id]);
    expect(run.timezone).toBe('Europe/Berlin');
  });

  it('stores JSON events, and replaces them only when the incident changed', async () => {
    const first = await h.imports.run({ file: path.join(FIXTURES, 'generic.json'), source: 'json' });
    expect(first).toMatchObject({ rowsRead: 3, inserted: 2, rejected: 1 });
    const events = () =>
      h.sql(
        `select seq, kind, from_value, to_value from incident_event e join source s on s.id = e.source_id
          where s.name = 'json' and external_id = 'J-1' order by seq`,
      );
    expect(await events()).toEqual([
      { seq: 1, kind: 'status', from_value: 'New', to_value: 'Active' },
      { seq: 2, kind: 'assignment', from_value: 'Net', to_value: 'Core' },
      { seq: 3, kind: 'status', from_value: 'Active', to_value: 'Resolved' },
    ]);

    const file = path.join(h.dataDir, 'generic-changed.json');
    const text = fs.readFileSync(path.join(FIXTURES, 'generic.json'), 'utf8');
    fs.writeFileSync(file, text.replace('"to": "Core"', '"to": "Edge"'));
    const second = await h.imports.run({ file, source: 'json' });
    // Only an event changed: that is a change of J-1.
    expect(second).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    expect((await events())[1]).toEqual({ seq: 2, kind: 'assignment', from_value: 'Net', to_value: 'Edge' });
    expect(await events()).toHaveLength(3);
  });

  it('clears the history of an incident a file without events updates', async () => {
    const file = path.join(h.dataDir, 'j1.csv');
    fs.writeFileSync(file, 'external_id,opened_at,priority,status\nJ-1,2024-05-01T08:00:00Z,2,Closed\n');
    const result = await h.imports.run({ file, source: 'json' });
    expect(result).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    // J-1 had 3 events from generic.json; the CSV holds none, so it has none now. J-2 keeps its (none).
    const [n] = await h.sql<{ n: number }>(
      `select count(*)::int as n from incident_event e join source s on s.id = e.source_id where s.name = 'json'`,
    );
    expect(n.n).toBe(0);
  });

  it('joins the unsorted BPI activity log (BOMs and all) to Detail_Incident rows', async () => {
    const request = {
      file: path.join(FIXTURES, 'bpi2014-detail.csv'),
      eventsFile: path.join(FIXTURES, 'bpi2014-activity.csv.gz'),
    };
    const result = await h.imports.run(request);
    // Detail: 4 rows read (2 all-empty skipped), IM0000006 rejected; the activity log's "yesterday" row too.
    expect(result).toMatchObject({ source: 'bpi2014', format: 'bpi2014', rowsRead: 4, inserted: 3, rejected: 2 });
    expect(result.rejections.map((r) => [r.file, r.line, r.field])).toEqual([
      ['bpi2014-activity.csv.gz', 18, 'DateStamp'],
      ['bpi2014-detail.csv', 6, 'Open Time'],
    ]);

    const events = (id: string) =>
      h.sql<{ at: Date; kind: string; from_value: string | null; to_value: string }>(
        `select at, kind, from_value, to_value from incident_event where external_id = $1 order by seq`,
        [id],
      );
    // IM0000004 in time order; Operator Update and Caused By CI make no event.
    expect((await events('IM0000004')).map((e) => [e.at.toISOString(), e.kind, e.from_value, e.to_value])).toEqual([
      ['2012-02-05T13:32:58.000Z', 'status', null, 'Open'],
      ['2012-02-06T09:00:00.000Z', 'assignment', null, 'TEAM0003'],
      ['2013-01-07T08:17:17.000Z', 'assignment', 'TEAM0003', 'TEAM0001'], // the row with the stray BOM
      ['2013-11-04T13:41:30.000Z', 'assignment', 'TEAM0001', 'TEAM0002'],
      ['2013-11-04T13:50:27.000Z', 'status', 'Open', 'Resolved'],
      ['2013-11-04T13:51:18.000Z', 'status', 'Resolved', 'Closed'],
    ]);
    expect((await events('IM0000005')).map((e) => [e.kind, e.from_value, e.to_value])).toEqual([
      ['status', null, 'Open'],
      ['status', 'Open', 'Pending vendor'],
      ['update', null, 'customer'],
      ['status', 'Pending vendor', 'Work in progress'],
      ['status', 'Work in progress', 'Resolved'],
      ['status', 'Resolved', 'Closed'],
      ['status', 'Closed', 'Open'], // the Reopen
    ]);
    const acks = await h.sql<{ external_id: string; acknowledged_at: Date | null }>(
      `select external_id, acknowledged_at from incident where external_id in ('IM0000004', 'IM0000005') order by 1`,
    );
    // IM0000004: Operator Update 2012-02-05 14:00:00 precedes its Assignment (2012-02-06 09:00).
    expect(acks.map((a) => a.acknowledged_at?.toISOString() ?? null)).toEqual(['2012-02-05T14:00:00.000Z', null]);
    // Assignment group (SOURCE.md: the activity log's): the last one assigned. IM0000004 went
    // TEAM0003 -> TEAM0001 -> TEAM0002; IM0000005 and IM0000007 have no assignment activity.
    const groups = await h.sql<{ external_id: string; assignment_group: string | null }>(
      `select external_id, assignment_group from incident where source_id = (select id from source where name = 'bpi2014') order by 1`,
    );
    expect(groups.map((g) => [g.external_id, g.assignment_group])).toEqual([
      ['IM0000004', 'TEAM0002'],
      ['IM0000005', null],
      ['IM0000007', null],
    ]);

    const again = await h.imports.run(request);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
  });

  it('counts the activity log in the content: an added activity updates its incident', async () => {
    const detail = path.join(FIXTURES, 'bpi2014-detail.csv');
    const activity = writeActivity('activity.csv', 'IM0000007,Assignment,2013-03-01 08:10:00,TEAM0004\n');
    const result = await h.imports.run({ file: detail, eventsFile: activity });
    // IM0000007 gains an event and an acknowledged_at; IM0000004 and IM0000005 lose theirs.
    expect(result).toMatchObject({ inserted: 0, updated: 3, unchanged: 0 });
    const [row] = await h.sql<{ acknowledged_at: Date }>(`select acknowledged_at from incident where external_id = 'IM0000007'`);
    expect(row.acknowledged_at.toISOString()).toBe('2013-03-01T08:10:00.000Z');
    expect(await h.sql(`select count(*)::int as n from incident_event where external_id = 'IM0000004'`)).toEqual([{ n: 0 }]);
    // The group follows the log: IM0000007 now assigned to TEAM0004, IM0000004 to none.
    expect(
      await h.sql(`select external_id, assignment_group from incident where external_id in ('IM0000004', 'IM0000007') order by 1`),
    ).toEqual([
      { external_id: 'IM0000004', assignment_group: null },
      { external_id: 'IM0000007', assignment_group: 'TEAM0004' },
    ]);
  });

  it('says that an activity log whose last row is rejected and has no line break may be cut short', async () => {
    const detail = path.join(FIXTURES, 'bpi2014-detail.csv');
    // Line 3 stops inside its DateStamp, with no line break after it: a download cut mid-row.
    const activity = writeActivity(
      'activity-cut.csv',
      'IM0000007,Assignment,2013-03-01 08:10:00,TEAM0004\n' + 'IM0000007,Assignment,2013-03-0',
    );
    const result = await h.imports.run({ file: detail, eventsFile: activity, source: 'bpi-cut' });
    expect(result.rejections.filter((r) => r.file === 'activity-cut.csv')).toEqual([
      {
        file: 'activity-cut.csv',
        line: 3,
        field: 'DateStamp',
        reason: `no such date or time: "2013-03-0"${CUT_HINT}`,
        externalId: 'IM0000007',
      },
    ]);
  });
});
