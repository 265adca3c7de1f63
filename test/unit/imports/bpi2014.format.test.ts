import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { activityCopyLines } from '../../../server/src/imports/formats/bpi2014.activity';
import { threeLevel } from '../../../server/src/imports/formats/bpi2014.format';
import { openCsv, openInput } from '../../../server/src/imports/import.input';
import { TimeReader } from '../../../server/src/imports/import.time';
import { Rejection } from '../../../server/src/imports/import.types';
import { FIXTURES, lineOf, readFixture, records, rejections, utc } from './fixtures';

// Fixture bpi2014-detail.csv: `;`, CRLF, 28 named + 50 empty columns; line 1 header, 2 IM0000004,
// 3 all-empty, 4 IM0000005, 5 all-empty, 6 IM0000006 (Open Time 31/02), 7 IM0000007.
describe('bpi2014 Detail_Incident.csv', () => {
  it('is CRLF with trailing empty columns, as the real file', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'bpi2014-detail.csv'), 'latin1');
    expect(text.split('\r\n')[0].split(';')).toHaveLength(78);
  });

  it('maps a row, with the decimal comma and the 1-5 scale', async () => {
    const items = await readFixture('bpi2014-detail.csv');
    const inc = records(items).get('IM0000004')!;
    expect(lineOf(items, 'IM0000004')).toBe(2);
    expect(inc.openedAt).toEqual(utc('2012-02-05T13:32:57Z'));
    expect(inc.restoredAt).toEqual(utc('2013-11-04T13:50:27Z'));
    expect(inc.closedAt).toEqual(utc('2013-11-04T13:51:17Z'));
    // Impact 4 and urgency 4 on 1-5 become 3 on METRICS' 1-3; priority stays the stated 4.
    expect([inc.impact, inc.urgency, inc.priority, inc.priorityOrigin]).toEqual([3, 3, 4, 'stated']);
    expect(inc.category).toBe('subapplication');
    expect(inc.subcategory).toBe('Web Based Application');
    expect(inc.service).toBe('WBS000162');
    expect(inc.configurationItem).toBe('SUB000508');
    expect(inc.knowledgeArticle).toBe('KM0000553');
    expect(inc.closureCode).toBe('Other');
    expect(inc.reassignmentCount).toBe(26);
    expect(inc.reopenCount).toBe(0);
    expect(inc.attributes).toMatchObject({ recordType: 'incident', impactRaw: 4, urgencyRaw: 4, relatedIncidents: 2 });
    expect(inc.attributes.handleTimeHours).toBeCloseTo(3871.691111, 6);
  });

  it('maps impact and urgency 1,2 -> 1; 3 -> 2; 4,5 -> 3', () => {
    expect([1, 2, 3, 4, 5].map(threeLevel)).toEqual([1, 1, 2, 3, 3]);
  });

  it('reads "5 - Very Low", #N/B, #MULTIVALUE, Work in progress and a reopen', async () => {
    const inc = records(await readFixture('bpi2014-detail.csv')).get('IM0000005')!;
    expect(inc.attributes.urgencyRaw).toBe(5);
    expect(inc.urgency).toBe(3);
    expect(inc.status).toBe('Work in progress');
    expect(inc.knowledgeArticle).toBeNull(); // #N/B
    expect(inc.attributes.relatedInteraction).toBeNull(); // #MULTIVALUE
    expect(inc.attributes.relatedInteractions).toBe(2);
    expect(inc.attributes.ciNameCausedBy).toBeNull(); // #N/B
    expect(inc.relatedChange).toBe('C00000056');
    expect(inc.restoredAt).toBeNull();
    expect(inc.reopenCount).toBe(1); // Reopen Time set
    expect(inc.reassignmentCount).toBe(0); // empty, as for IM0024778
    expect(inc.attributes.handleTimeHours).toBeNull();
  });

  it('skips the all-empty rows and rejects a bad date with its line and field', async () => {
    const items = await readFixture('bpi2014-detail.csv');
    expect([...records(items).keys()]).toEqual(['IM0000004', 'IM0000005', 'IM0000007']);
    expect(rejections(items)).toEqual([
      { line: 6, field: 'Open Time', reason: 'no such date or time: "31/02/2013 10:00:00"', externalId: 'IM0000006' },
    ]);
    expect(items).toHaveLength(4); // the two empty rows are not read as records
    expect(records(items).get('IM0000007')!.category).toBeNull(); // CI Type (aff) #N/B
    expect(records(items).get('IM0000007')!.attributes.recordType).toBe('request for information');
  });
});

// Fixture kaggle-itsm.csv: the Kaggle re-export's columns; line 2 IM0000004, 3 IM0000006 (NS/NA),
// 4 IM0000011 (NS impact, stated priority 3, #MULTIVALUE).
describe('bpi2014 Kaggle re-export', () => {
  it('is detected as bpi2014 and read with its own column names', async () => {
    const items = await readFixture('kaggle-itsm.csv');
    const inc = records(items).get('IM0000004')!;
    expect(inc.openedAt).toEqual(utc('2012-02-05T13:32:00Z')); // seconds dropped by the re-export
    expect(inc.priority).toBe(4);
    expect(inc.attributes.handleTimeHours).toBeNull();
    expect(inc.attributes.handleTimeRaw).toBe('3,87,16,91,111');
  });

  it('reads NS and NA as missing; without a priority or impact the row is rejected', async () => {
    const items = await readFixture('kaggle-itsm.csv');
    expect(rejections(items)).toEqual([
      { line: 3, field: 'Priority', reason: 'missing, and impact and urgency do not give it', externalId: 'IM0000006' },
    ]);
    const inc = records(items).get('IM0000011')!;
    expect(inc.impact).toBeNull();
    expect(inc.priority).toBe(3);
    expect(inc.attributes.relatedInteraction).toBeNull();
  });
});

describe('bpi2014 activity log', () => {
  it('drops the BOM at the start of the file and stray BOMs in Incident IDs, and rejects a bad time', async () => {
    const input = openInput(path.join(FIXTURES, 'bpi2014-activity.csv.gz'));
    const { header, rows } = await openCsv(input, ',');
    expect(header[0]).toBe('Incident ID');
    const rejected: Rejection[] = [];
    let text = '';
    for await (const chunk of activityCopyLines(rows, header, new TimeReader('UTC'), (r) => rejected.push(r))) text += chunk;
    const lines = text.trimEnd().split('\n').map((l) => l.split('\t'));
    // 17 data rows, one with "yesterday" as its time.
    expect(lines).toHaveLength(16);
    expect(lines.every(([id]) => /^IM\d{7}$/.test(id))).toBe(true);
    // Line 4 is the one with the stray BOM.
    expect(lines.find((l) => l[4] === '4')).toEqual(['IM0000004', 'Reassignment', '2013-01-07T08:17:17.000Z', 'TEAM0001', '4']);
    expect(rejected).toEqual([{ line: 18, field: 'DateStamp', reason: 'not a time: "yesterday" (write it as 2016-03-02 10:00, 2016-03-02T10:00:00Z or 2/3/2016 10:00, day first)', externalId: 'IM0000005' }]);
  });
});
