import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineOf, readFixture, records, rejections, utc } from './fixtures';

// Fixture generic.csv: line 2 G-1, 3 G-2, 4 G-3 (priority 7), 5 G-4 (no opened_at), 6 G-5, 7 G-2 again.
describe('generic CSV', () => {
  it('maps METRICS.md columns, keeps other columns in attributes, derives a missing priority', async () => {
    const inc = records(await readFixture('generic.csv')).get('G-1')!;
    expect(inc.openedAt).toEqual(utc('2024-03-30T22:00:00Z'));
    expect(inc.acknowledgedAt).toEqual(utc('2024-03-30T22:10:00Z'));
    expect(inc.restoredAt).toEqual(utc('2024-03-31T02:00:00Z'));
    // impact 1 x urgency 1 -> P1.
    expect([inc.priority, inc.priorityOrigin]).toEqual([1, 'matrix']);
    expect(inc.isMajor).toBe(false);
    expect(inc.detectionSource).toBe('monitoring');
    expect(inc.sourceSlaMet).toBe(true);
    expect(inc.attributes).toEqual({ team_site: 'Berlin' });
  });

  it('reads zoneless times in the import zone across a DST change', async () => {
    // G-2 (the later row): opened 2024-03-31 01:30, restored 04:30, wall clock in Europe/Berlin.
    // 01:30 CET = 00:30Z; 04:30 CEST = 02:30Z: TTR 2 h, where UTC reading gives 3 h.
    const berlin = records(await readFixture('generic.csv', 'Europe/Berlin')).get('G-2')!;
    expect(berlin.openedAt).toEqual(utc('2024-03-31T00:30:00Z'));
    expect(berlin.restoredAt).toEqual(utc('2024-03-31T02:30:00Z'));
    const inUtc = records(await readFixture('generic.csv')).get('G-2')!;
    expect((inUtc.restoredAt!.getTime() - inUtc.openedAt.getTime()) / 3_600_000).toBe(3);
    // A time with an offset keeps it in either zone: G-1 was written with Z.
    expect(records(await readFixture('generic.csv', 'Europe/Berlin')).get('G-1')!.openedAt).toEqual(utc('2024-03-30T22:00:00Z'));
  });

  it('rejects bad rows with line and field, and never stops the rest', async () => {
    const items = await readFixture('generic.csv');
    expect(rejections(items)).toEqual([
      { line: 4, field: 'priority', reason: 'expected 1..5, got "7"', externalId: 'G-3' },
      { line: 5, field: 'opened_at', reason: 'missing', externalId: 'G-4' },
    ]);
    expect([...records(items).keys()].sort()).toEqual(['G-1', 'G-2', 'G-5']);
    // The reader hands both G-2 rows on; the pipeline keeps the first (line 3).
    expect(items.filter((i) => i.kind === 'record' && i.record.externalId === 'G-2')).toHaveLength(2);
    expect(lineOf(items, 'G-5')).toBe(6);
  });
});

describe('generic JSON', () => {
  it('maps an array of incidents with their events in time order', async () => {
    const items = await readFixture('generic.json');
    const inc = records(items).get('J-1')!;
    expect(lineOf(items, 'J-1')).toBe(2);
    expect(inc.priority).toBe(2);
    expect(inc.reassignmentCount).toBe(1);
    expect(inc.attributes).toEqual({ site: 'Berlin' });
    expect(inc.events.map((e) => [e.at.toISOString(), e.kind, e.from, e.to])).toEqual([
      ['2024-05-01T08:05:00.000Z', 'status', 'New', 'Active'],
      ['2024-05-01T09:00:00.000Z', 'assignment', 'Net', 'Core'],
      ['2024-05-01T10:00:00.000Z', 'status', 'Active', 'Resolved'],
    ]);
    const j2 = records(items).get('J-2')!;
    // impact 3 x urgency 3 -> P5.
    expect(j2.priority).toBe(5);
    expect(j2.attributes).toEqual({ caller: 'Caller "7"' });
  });

  it('refuses attributes that are no object, naming the line and the field; null is none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-attributes-'));
    const file = path.join(dir, 'attributes.json');
    const at = '"opened_at": "2024-05-01T08:00:00Z", "priority": 3';
    // One element a line, from line 2: a string, an array, a number, null and an object.
    fs.writeFileSync(
      file,
      '[\n' +
        `{ "external_id": "A-1", ${at}, "attributes": "notobj" },\n` +
        `{ "external_id": "A-2", ${at}, "attributes": ["x"] },\n` +
        `{ "external_id": "A-3", ${at}, "attributes": 7 },\n` +
        `{ "external_id": "A-4", ${at}, "attributes": null },\n` +
        `{ "external_id": "A-5", ${at}, "attributes": { "caller": "C" }, "site": "Berlin" }\n` +
        ']\n',
    );
    const items = await readFixture(file);
    fs.rmSync(dir, { recursive: true, force: true });
    const refused = (line: number, externalId: string) => ({
      line,
      field: 'attributes',
      reason: 'not an object of attribute names and values',
      externalId,
    });
    expect(rejections(items)).toEqual([refused(2, 'A-1'), refused(3, 'A-2'), refused(4, 'A-3')]);
    expect(records(items).get('A-4')!.attributes).toEqual({});
    // The object's names, and the other keys beside it.
    expect(records(items).get('A-5')!.attributes).toEqual({ caller: 'C', site: 'Berlin' });
  });

  it('rejects an element with an unknown event kind, at the line it starts on', async () => {
    const items = await readFixture('generic.json');
    expect(rejections(items)).toEqual([
      {
        line: 20, // J-3's object opens on line 20 of generic.json
        field: 'events[0].kind',
        reason: 'expected one of status, assignment, priority, escalation, update, got "reassign"',
        externalId: 'J-3',
      },
    ]);
  });
});
