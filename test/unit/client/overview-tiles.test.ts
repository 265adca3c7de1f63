import { describe, expect, it } from 'vitest';
import type { Summary } from '../../../client/src/api/api.types';
import { summaryTiles } from '../../../client/src/overview/overview.tiles';

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
