import { describe, expect, it } from 'vitest';
import { chartItems, describeItem, itemClick, KEY_MOVES, moveItem } from '../../../client/src/charts/chart.keyboard';

const T = true;
const F = false;

describe('moving through a chart with the keys', () => {
  it('wraps along a series at both ends, over the items not drawn', () => {
    // One series, drawn at 0, 2 and 3 (1 is a gap).
    const drawn = [[T, F, T, T]];
    expect(moveItem(drawn, { seriesIndex: 0, dataIndex: 0 }, 'next')).toEqual({ seriesIndex: 0, dataIndex: 2 });
    expect(moveItem(drawn, { seriesIndex: 0, dataIndex: 3 }, 'next')).toEqual({ seriesIndex: 0, dataIndex: 0 });
    expect(moveItem(drawn, { seriesIndex: 0, dataIndex: 0 }, 'previous')).toEqual({ seriesIndex: 0, dataIndex: 3 });
    expect(moveItem(drawn, { seriesIndex: 0, dataIndex: 2 }, 'previous')).toEqual({ seriesIndex: 0, dataIndex: 0 });
    expect(moveItem(drawn, { seriesIndex: 0, dataIndex: 2 }, 'first')).toEqual({ seriesIndex: 0, dataIndex: 0 });
    expect(moveItem(drawn, { seriesIndex: 0, dataIndex: 0 }, 'last')).toEqual({ seriesIndex: 0, dataIndex: 3 });
    // A series of one item stays on it.
    expect(moveItem([[F, T]], { seriesIndex: 0, dataIndex: 1 }, 'next')).toEqual({ seriesIndex: 0, dataIndex: 1 });
  });

  it('starts at the first series with items: at its first, or at its last going back', () => {
    // Series 0 draws nothing; series 1 is drawn at 1 and 2.
    const drawn = [
      [F, F, F],
      [F, T, T],
    ];
    expect(moveItem(drawn, null, 'next')).toEqual({ seriesIndex: 1, dataIndex: 1 });
    expect(moveItem(drawn, null, 'nextSeries')).toEqual({ seriesIndex: 1, dataIndex: 1 });
    expect(moveItem(drawn, null, 'previous')).toEqual({ seriesIndex: 1, dataIndex: 2 });
    expect(moveItem(drawn, null, 'last')).toEqual({ seriesIndex: 1, dataIndex: 2 });
    // An item no longer drawn (its series hidden since) counts as none.
    expect(moveItem(drawn, { seriesIndex: 0, dataIndex: 1 }, 'next')).toEqual({ seriesIndex: 1, dataIndex: 1 });
  });

  it('finds nothing in a chart without series, or with empty ones', () => {
    expect(moveItem([], null, 'next')).toBeNull();
    expect(moveItem([[]], null, 'previous')).toBeNull();
    expect(moveItem([[F, F], [F, F]], null, 'first')).toBeNull();
    expect(moveItem([[F, F]], { seriesIndex: 0, dataIndex: 1 }, 'next')).toBeNull();
  });

  it('goes across to the same place in the next series that draws it, wrapping, or stays', () => {
    // At data index 1, series 1 draws nothing.
    const drawn = [
      [T, T],
      [T, F],
      [T, T],
    ];
    expect(moveItem(drawn, { seriesIndex: 0, dataIndex: 1 }, 'nextSeries')).toEqual({ seriesIndex: 2, dataIndex: 1 });
    expect(moveItem(drawn, { seriesIndex: 2, dataIndex: 1 }, 'nextSeries')).toEqual({ seriesIndex: 0, dataIndex: 1 });
    expect(moveItem(drawn, { seriesIndex: 0, dataIndex: 0 }, 'previousSeries')).toEqual({ seriesIndex: 2, dataIndex: 0 });
    expect(moveItem(drawn, { seriesIndex: 1, dataIndex: 0 }, 'previousSeries')).toEqual({ seriesIndex: 0, dataIndex: 0 });
    // Alone at its place: no other series draws index 1.
    expect(moveItem([[T, T], [T, F]], { seriesIndex: 0, dataIndex: 1 }, 'nextSeries')).toEqual({ seriesIndex: 0, dataIndex: 1 });
  });

  it('moves along with Left and Right, Home and End, and across with Up and Down', () => {
    const keys = ['ArrowRight', 'ArrowLeft', 'Home', 'End', 'ArrowUp', 'ArrowDown', 'Tab'];
    expect(keys.map((key) => KEY_MOVES[key])).toEqual(['next', 'previous', 'first', 'last', 'nextSeries', 'previousSeries', undefined]);
  });
});

describe("a chart's items, as the keyboard reads them from its option", () => {
  // As chart.getOption() gives it: components as arrays. P1..P3 of the priority chart, where
  // "Source's verdict" has no value for P1 and the legend hides a third series.
  const option = {
    xAxis: [{ type: 'category', data: ['P1\n(n 2)', 'P2\n(n 1)', { value: 'P3\n(n 4)' }] }],
    yAxis: [{ type: 'value' }],
    legend: [{ selected: { Ours: true, Hidden: false } }],
    tooltip: [{ valueFormatter: (value: unknown) => (typeof value === 'number' ? `${value.toFixed(1)} %` : '—') }],
    series: [
      { name: 'Ours', data: [50, 100, { value: 75 }] },
      { name: "Source's verdict", data: [null, 100, '-'] },
      { name: 'Hidden', data: [1, 2, 3] },
    ],
  };

  it('draws only values, in series the legend shows', () => {
    expect(chartItems(option).drawn).toEqual([
      [T, T, T],
      [F, T, F],
      [F, F, F],
    ]);
    expect(chartItems({}).drawn).toEqual([]);
  });

  it('says the series, the category on one line, the value as the tooltip writes it, and its place', () => {
    const items = chartItems(option);
    // Ours at P3: 75 -> "75.0 %", the third of Ours' three drawn items.
    expect(describeItem(items, { seriesIndex: 0, dataIndex: 2 })).toBe('Ours, P3 (n 4): 75.0 % (3 of 3)');
    // The source's P2: its only drawn item.
    expect(describeItem(items, { seriesIndex: 1, dataIndex: 1 })).toBe("Source's verdict, P2 (n 1): 100.0 % (1 of 1)");
    // Without a tooltip formatter the value is written as it is; the category axis may be y.
    const plain = chartItems({ yAxis: [{ type: 'category', data: ['a', 'b'] }], series: [{ name: 's', data: [3, 4] }] });
    expect(describeItem(plain, { seriesIndex: 0, dataIndex: 1 })).toBe('s, b: 4 (2 of 2)');
  });

  it('reports an item as a click on it does: series, index and the category as the axis names it', () => {
    expect(itemClick(chartItems(option), { seriesIndex: 1, dataIndex: 1 })).toEqual({
      seriesName: "Source's verdict",
      seriesIndex: 1,
      dataIndex: 1,
      name: 'P2\n(n 1)',
    });
  });
});
