import { describe, expect, it } from 'vitest';
import { expectedIds, SeenIds } from '../../../server/src/imports/import.seen';

describe('SeenIds', () => {
  it('never misses an id it was given, and rarely claims one it was not', () => {
    const n = 100_000;
    const seen = new SeenIds(n);
    const id = (i: number) => `INC${String(i).padStart(9, '0')}`;
    for (let i = 0; i < n; i++) seen.testAndAdd(id(i));
    let missed = 0;
    for (let i = 0; i < n; i++) if (!seen.testAndAdd(id(i))) missed++;
    expect(missed).toBe(0);
    // 10 000 other ids (each added as it is tested, which fills the filter by a tenth more).
    // At least 10 bits an id (1 048 576 bits, the power of two above 100 000 * 10) and 7 probes:
    // (1 - e^(-7 * 110 000 / 1 048 576))^7 = 0.52^7 = 1.0 % false alarms at most; 2 % is far above.
    let alarms = 0;
    for (let i = 0; i < 10_000; i++) if (seen.testAndAdd(`X-${i}`)) alarms++;
    expect(alarms / 10_000).toBeLessThan(0.02);
  });

  it('sizes itself by the file: about 100 bytes a row, eight times that for gzip', () => {
    // 250 000 000 bytes / 100 = 2 500 000 ids; gzip: 8 * 1 000 000 / 100 = 80 000.
    expect(expectedIds(250_000_000, false)).toBe(2_500_000);
    expect(expectedIds(1_000_000, true)).toBe(80_000);
  });
});
