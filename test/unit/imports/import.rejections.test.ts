import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../server/src/imports/import.rejections';

describe('rejection report cells', () => {
  it('never hands a spreadsheet a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-100')).toBe("'-100");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('quotes commas, quotes and line breaks, and leaves plain text alone', () => {
    expect(csvCell('expected 1..5, got "7"')).toBe('"expected 1..5, got ""7"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell('opened_at')).toBe('opened_at');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(null)).toBe('');
  });
});
