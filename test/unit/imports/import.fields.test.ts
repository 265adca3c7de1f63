import { describe, expect, it } from 'vitest';
import { clean, count, decimal, flag, level, RowError } from '../../../server/src/imports/import.fields';

describe('field helpers', () => {
  const placeholders = new Set(['?', '#N/B', '#MULTIVALUE', 'NS', 'NA']);

  it('turns placeholders and empty values into null', () => {
    for (const raw of ['?', '#N/B', '#MULTIVALUE', 'NS', 'NA', '', '   ']) expect(clean(raw, placeholders), raw).toBeNull();
    expect(clean('Group 56', placeholders)).toBe('Group 56');
  });

  it('drops byte-order marks, at the start of a value or inside it', () => {
    expect(clean('\uFEFFIM0005825', placeholders)).toBe('IM0005825');
    expect(clean('IM00\uFEFF05825', placeholders)).toBe('IM0005825');
  });

  it('reads coded levels: "2 - Medium" is 2, "5 - Very Low" is 5', () => {
    expect(level('2 - Medium', 'impact', 1, 3)).toBe(2);
    expect(level('3 - Moderate', 'priority', 1, 5)).toBe(3);
    expect(level('5 - Very Low', 'Urgency', 1, 5)).toBe(5);
    expect(level('5', 'Urgency', 1, 5)).toBe(5);
    expect(level(null, 'Urgency', 1, 5)).toBeNull();
  });

  it('rejects a level out of range, naming the field', () => {
    expect(() => level('7', 'priority', 1, 5)).toThrow(RowError);
    try {
      level('4 - Low', 'impact', 1, 3);
    } catch (error) {
      expect((error as RowError).field).toBe('impact');
    }
  });

  it('reads decimal commas, and gives up on Kaggle digit grouping', () => {
    expect(decimal('3871,691111')).toBeCloseTo(3871.691111, 6);
    expect(decimal('1.5')).toBe(1.5);
    expect(decimal('3,87,16,91,111')).toBeNull();
  });

  it('reads counts in plain digits, a whole number written with a point among them', () => {
    // "2.0" (pandas, spreadsheets) and "2." (a trailing point, as some statistics tools write
    // whole numbers) are both 2; what needs reading as another notation is refused.
    expect(['2', '2.0', '2.', '0', '2.000'].map((value) => count(value, 'reopen_count'))).toEqual([2, 2, 2, 0, 2]);
    for (const value of ['2.5', '1e3', '0x10', '-1', '.5', '2,0', ' 2']) {
      expect(() => count(value, 'reopen_count'), value).toThrow(RowError);
    }
  });

  it('reads flags', () => {
    expect(flag('true', 'made_sla')).toBe(true);
    expect(flag('FALSE', 'made_sla')).toBe(false);
    expect(flag('no', 'is_major')).toBe(false);
    expect(() => flag('maybe', 'is_major')).toThrow(RowError);
  });
});
