import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { copyLines, copyText, isoTime } from '../../../server/src/imports/import.copy';
import { blankRecord } from '../../../server/src/imports/import.record';

describe('COPY text of a record', () => {
  it('writes instants as toISOString does, to the character', () => {
    // Day 0 (1970-01-01), a leap day, the last millisecond of 9999, and years on either side of
    // the 1000..9999 the fast path writes itself.
    const instants = [0, Date.UTC(2024, 1, 29, 13, 45, 7, 5), Date.UTC(9999, 11, 31, 23, 59, 59, 999), -1,
      Date.UTC(999, 11, 31), Date.UTC(1000, 0, 1), Date.UTC(10_000, 0, 1), Date.UTC(1600, 1, 29, 0, 0, 0, 120)];
    expect(isoTime(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(isoTime(new Date(Date.UTC(2024, 1, 29, 13, 45, 7, 5)))).toBe('2024-02-29T13:45:07.005Z');
    for (const ms of instants) expect(isoTime(new Date(ms)), String(ms)).toBe(new Date(ms).toISOString());
    // And every day of a stretch of 1,500 days (four years and more: every month and leap day).
    for (let day = 0; day < 1500; day++) {
      const at = new Date(Date.UTC(2023, 0, 1) + day * 86_400_000 + 3_723_004); // + 01:02:03.004
      expect(isoTime(at)).toBe(at.toISOString());
    }
  });

  it('escapes what COPY reads specially, and writes null as \\N', () => {
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyText(null)).toBe('\\N');
  });

  it('ends the incident row with the md5 of the fields and events', () => {
    const record = blankRecord('X-1', new Date(Date.UTC(2024, 4, 1, 8)));
    record.priority = 3;
    record.category = 'net\twork';
    record.events = [{ at: new Date(Date.UTC(2024, 4, 1, 9)), kind: 'status', from: null, to: 'Resolved' }];
    const { row, events } = copyLines(record);
    expect(row).not.toContain('\n');
    const cells = row.split('\t');
    // 31 staged columns (29 of the record, priority_origin, attributes), then the hash.
    expect(cells).toHaveLength(32);
    expect(cells.slice(0, 3)).toEqual(['X-1', '2024-05-01T08:00:00.000Z', '\\N']);
    expect(cells).toContain('net\\twork');
    expect(cells.at(-2)).toBe('{}');
    expect(events).toBe('X-1\t1\t2024-05-01T09:00:00.000Z\tstatus\t\\N\tResolved\n');
    // The hash is over the text before it (without its tab) and the event lines, as it always was.
    const fields = cells.slice(0, -1).join('\t');
    expect(cells.at(-1)).toBe(createHash('md5').update(fields).update(events).digest('hex'));
  });
});
