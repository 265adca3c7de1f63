import { describe, expect, it } from 'vitest';
import type { Summary } from '../../../client/src/api/api.types';
import { previousLabel, summaryTiles } from '../../../client/src/overview/overview.tiles';

/** A summary with round figures; `method` is how its percentiles were computed. */
function summary(method: 'exact' | 'histogram'): Summary {
  const figures = {
    window: { from: '2025-01-01', to: '2026-01-01', tz: 'UTC' },
    mtrs: { meanHours: 10, medianHours: 4, p90Hours: 20, n: 80_000, percentiles: method },
    mtta: { meanHours: 2, medianHours: 1, p90Hours: 3, n: 70_000, percentiles: method },
    firstTimeResolution: { rate: 0.5, firstTime: 40_000, resolved: 80_000, escalated: 1, escalationShare: 0, reopened: 1, reopenShare: 0 },
    sla: {
      resolution: { met: 1, breached: 1, compliance: 0.5 },
      response: { met: 1, breached: 1, compliance: 0.5 },
      sourceVerdict: { n: 0, sourceMet: 0, sourceCompliance: null, agree: 0, disagree: 0, agreementRate: null },
    },
    volume: { opened: 90_000, restored: 80_000 },
    backlog: { n: 10 },
  };
  return { ...figures, previous: figures, refreshedAt: null } as unknown as Summary;
}

describe('overview tiles', () => {
  it('print exact percentiles plainly', () => {
    const mtrs = summaryTiles(summary('exact')).find((tile) => tile.id === 'mtrs')!;
    expect(mtrs.details[0]).toBe('Median 4.0 h · p90 20.0 h');
    expect(mtrs.hint).not.toContain('histogram');
  });

  it('mark histogram percentiles with ≈ and say how close they are', () => {
    const tiles = summaryTiles(summary('histogram'));
    const mtrs = tiles.find((tile) => tile.id === 'mtrs')!;
    const mtta = tiles.find((tile) => tile.id === 'mtta')!;
    expect(mtrs.details[0]).toBe('Median ≈ 4.0 h · p90 ≈ 20.0 h');
    expect(mtta.details[0]).toBe('Median ≈ 1.0 h');
    expect(mtrs.hint).toContain('within 0.1 %');
  });
});

describe('the comparison label', () => {
  it('names whole months before a window of whole months, however many days they hold', () => {
    // March 2016's previous window is February 2016: 29 days, one calendar month.
    expect(previousLabel({ from: '2016-02-01', to: '2016-03-01', tz: 'UTC' })).toBe('Compared with the month before');
    // A quarter: October to December 2013 before Q1 2014, three months.
    expect(previousLabel({ from: '2013-10-01', to: '2014-01-01', tz: 'Europe/Amsterdam' })).toBe('Compared with the 3 months before');
  });

  it('counts days for any other window, across a daylight-saving change', () => {
    // 2016-03-10 .. 2016-03-24: 14 local days (Berlin moved its clocks on 27 March, outside).
    expect(previousLabel({ from: '2016-03-10', to: '2016-03-24', tz: 'Europe/Berlin' })).toBe('Compared with the 14 days before');
    // 2016-03-20 .. 2016-04-03 spans Berlin's change on 27 March: still 14 dates apart.
    expect(previousLabel({ from: '2016-03-20', to: '2016-04-03', tz: 'Europe/Berlin' })).toBe('Compared with the 14 days before');
  });
});
