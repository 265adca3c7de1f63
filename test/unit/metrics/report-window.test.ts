import { describe, expect, it } from 'vitest';
import {
  bucketBounds,
  bucketStarts,
  bucketCount,
  defaultInterval,
  previousWindow,
} from '../../../server/src/metrics/report-window';

describe('previousWindow', () => {
  it('takes the calendar months before a month-aligned window', () => {
    // March (31 days) -> February (28 days in 2026), not the 31 days before March.
    expect(previousWindow({ from: '2026-03-01', to: '2026-04-01' })).toEqual({
      from: '2026-02-01',
      to: '2026-03-01',
    });
    // A quarter -> the quarter before.
    expect(previousWindow({ from: '2026-04-01', to: '2026-07-01' })).toEqual({
      from: '2026-01-01',
      to: '2026-04-01',
    });
    // A year across the turn.
    expect(previousWindow({ from: '2026-01-01', to: '2027-01-01' })).toEqual({
      from: '2025-01-01',
      to: '2026-01-01',
    });
  });

  it('takes the same number of days before any other window', () => {
    // 7 days -> the 7 days before.
    expect(previousWindow({ from: '2026-03-09', to: '2026-03-16' })).toEqual({
      from: '2026-03-02',
      to: '2026-03-09',
    });
    // 03-15 .. 04-15 is 31 days -> 02-12 .. 03-15.
    expect(previousWindow({ from: '2026-03-15', to: '2026-04-15' })).toEqual({
      from: '2026-02-12',
      to: '2026-03-15',
    });
    // A month start to a mid-month date is not month-aligned: 03-01 .. 03-10 is 9 days -> 02-20.
    expect(previousWindow({ from: '2026-03-01', to: '2026-03-10' })).toEqual({
      from: '2026-02-20',
      to: '2026-03-01',
    });
  });
});

describe('defaultInterval', () => {
  it('is day up to 62 days, week up to 366, month beyond', () => {
    expect(defaultInterval({ from: '2026-01-01', to: '2026-03-04' })).toBe('day'); // 31 + 28 + 3 = 62
    expect(defaultInterval({ from: '2026-01-01', to: '2026-03-05' })).toBe('week'); // 63
    expect(defaultInterval({ from: '2026-01-01', to: '2027-01-02' })).toBe('week'); // 366
    expect(defaultInterval({ from: '2026-01-01', to: '2027-01-03' })).toBe('month'); // 367
  });
});

describe('bucketCount', () => {
  it('counts the buckets exactly, partial ones at either end included', () => {
    expect(bucketCount({ from: '2026-03-01', to: '2026-04-01' }, 'day')).toBe(31);
    // 2026-01-01 is a Thursday: weeks from Monday 2025-12-29 to 2026-04-01, 93 days / 7 = 13.3,
    // so 14 weeks (series.test.ts counts 14 too).
    expect(bucketCount({ from: '2026-01-01', to: '2026-04-01' }, 'week')).toBe(14);
    // January, February, March.
    expect(bucketCount({ from: '2026-01-01', to: '2026-04-01' }, 'month')).toBe(3);
    // Mid-month ends: 15 January to 15 March meets January, February and March.
    expect(bucketCount({ from: '2026-01-15', to: '2026-03-15' }, 'month')).toBe(3);
    // 1900-01 to 2999-12: 1 100 years x 12 = 13 200 months.
    expect(bucketCount({ from: '1900-01-01', to: '3000-01-01' }, 'month')).toBe(13_200);
    for (const window of [
      { from: '2025-03-05', to: '2025-03-20' },
      { from: '2024-02-29', to: '2025-03-01' },
      { from: '2026-01-04', to: '2026-01-05' },
    ]) {
      for (const interval of ['day', 'week', 'month'] as const) {
        expect(bucketCount(window, interval), `${window.from} ${interval}`).toBe(bucketStarts(window, interval).length);
      }
    }
  });
});

describe('bucketStarts and bucketBounds', () => {
  it('starts weeks on the Monday on or before from, and clips the first and last bucket', () => {
    // 2025-03-05 is a Wednesday: its ISO week starts Monday 2025-03-03; then 10, 17 March.
    // 2025-03-20 (exclusive end) falls in the week of the 17th.
    const window = { from: '2025-03-05', to: '2025-03-20' };
    const starts = bucketStarts(window, 'week');
    expect(starts).toEqual(['2025-03-03', '2025-03-10', '2025-03-17']);
    // Bounds: from itself (not the Monday before), each later start, then to.
    expect(bucketBounds(window, starts)).toEqual(['2025-03-05', '2025-03-10', '2025-03-17', '2025-03-20']);
  });

  it('cuts months at the first of each month and days at each date', () => {
    // 15 Jan to 1 Mar 2024: January (from the 15th) and February (29 days in 2024).
    expect(bucketStarts({ from: '2024-01-15', to: '2024-03-01' }, 'month')).toEqual(['2024-01-01', '2024-02-01']);
    expect(bucketStarts({ from: '2024-02-28', to: '2024-03-02' }, 'day')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });
});
