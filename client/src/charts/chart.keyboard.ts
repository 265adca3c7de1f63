/**
 * The keyboard's way through a chart's bars and points, without ECharts or Vue: which items are
 * drawn, where a key moves from one of them, and what to say about it.
 */

/** What a click on a chart element (or Enter on the keyboard's item) tells the caller. */
export interface ChartClick {
  seriesName?: string;
  seriesIndex?: number;
  dataIndex: number;
  name: string;
}

/** One bar or point: its series and its place along the category axis. */
export interface ChartItem {
  seriesIndex: number;
  dataIndex: number;
}

/** How a key moves: along the series, or across to the same place in another series. */
export type ChartMove = 'next' | 'previous' | 'first' | 'last' | 'nextSeries' | 'previousSeries';

/** The keys that move, by `KeyboardEvent.key`. Up goes to the next series: the one above in a stack. */
export const KEY_MOVES: Readonly<Record<string, ChartMove>> = {
  ArrowRight: 'next',
  ArrowLeft: 'previous',
  Home: 'first',
  End: 'last',
  ArrowUp: 'nextSeries',
  ArrowDown: 'previousSeries',
};

/** What the keyboard needs of a chart, read from its option. */
export interface ChartItems {
  /** Per series, per data index: whether an item is drawn there (a value, in a shown series). */
  drawn: boolean[][];
  seriesNames: string[];
  /** Per series, the raw values. */
  values: unknown[][];
  /** The category axis's names, which a click reports as the item's name. */
  categories: string[];
  /** The tooltip's own way of writing a value, if it has one. */
  formatValue: (value: unknown) => string;
}

/** The parts of ECharts' normalised option (`chart.getOption()`) read here. */
export interface ChartOptionLike {
  series?: { name?: unknown; data?: unknown[] }[];
  xAxis?: { type?: string; data?: unknown[] }[];
  yAxis?: { type?: string; data?: unknown[] }[];
  legend?: { selected?: Record<string, boolean> }[];
  tooltip?: { valueFormatter?: (value: unknown) => string }[];
}

/** A data item's value: the item itself, or its `value` when written as an object. */
function valueOf(item: unknown): unknown {
  return item !== null && typeof item === 'object' && 'value' in item ? item.value : item;
}

/** ECharts draws nothing for a missing value, null or '-'. */
function isDrawn(value: unknown): boolean {
  return value !== null && value !== undefined && value !== '-';
}

/** The items of a chart's series, and whether each is drawn; series hidden by the legend draw none. */
export function chartItems(option: ChartOptionLike): ChartItems {
  const series = option.series ?? [];
  const hidden = option.legend?.[0]?.selected ?? {};
  const seriesNames = series.map((one) => String(one.name ?? ''));
  const values = series.map((one) => (one.data ?? []).map(valueOf));
  const axis = [...(option.xAxis ?? []), ...(option.yAxis ?? [])].find((one) => one.type === 'category');
  const format = option.tooltip?.[0]?.valueFormatter;
  return {
    drawn: values.map((row, index) => row.map((value) => hidden[seriesNames[index]] !== false && isDrawn(value))),
    seriesNames,
    values,
    categories: (axis?.data ?? []).map((category) => String(valueOf(category))),
    formatValue: format ?? ((value) => String(value)),
  };
}

function drawnIndexes(row: readonly boolean[] | undefined): number[] {
  return (row ?? []).flatMap((drawn, index) => (drawn ? [index] : []));
}

/**
 * The item `move` goes to from `current`, in the drawn items of `drawn` (per series, per data
 * index). Along a series it wraps at both ends; across series it goes on to the next series with
 * an item at the same data index, and stays when there is none. With no current item (or one no
 * longer drawn) any move starts at the first series with items: at its last item for `previous`
 * and `last`, else at its first. Null when nothing is drawn.
 */
export function moveItem(drawn: readonly (readonly boolean[])[], current: ChartItem | null, move: ChartMove): ChartItem | null {
  const at = current && drawn[current.seriesIndex]?.[current.dataIndex] ? current : null;
  if (!at) {
    const seriesIndex = drawn.findIndex((row) => row.includes(true));
    if (seriesIndex < 0) return null;
    const indexes = drawnIndexes(drawn[seriesIndex]);
    const backwards = move === 'previous' || move === 'last';
    return { seriesIndex, dataIndex: backwards ? indexes[indexes.length - 1] : indexes[0] };
  }

  const indexes = drawnIndexes(drawn[at.seriesIndex]);
  const position = indexes.indexOf(at.dataIndex);
  const along = (dataIndex: number) => ({ seriesIndex: at.seriesIndex, dataIndex });
  switch (move) {
    case 'next':
      return along(indexes[(position + 1) % indexes.length]);
    case 'previous':
      return along(indexes[(position - 1 + indexes.length) % indexes.length]);
    case 'first':
      return along(indexes[0]);
    case 'last':
      return along(indexes[indexes.length - 1]);
    case 'nextSeries':
    case 'previousSeries': {
      const step = move === 'nextSeries' ? 1 : -1;
      for (let offset = 1; offset < drawn.length; offset++) {
        const seriesIndex = (at.seriesIndex + step * offset + drawn.length) % drawn.length;
        if (drawn[seriesIndex][at.dataIndex]) return { seriesIndex, dataIndex: at.dataIndex };
      }
      return at;
    }
  }
}

/** The item as a click on it reports it: its series and its category's name. */
export function itemClick(items: ChartItems, item: ChartItem): ChartClick {
  return {
    seriesName: items.seriesNames[item.seriesIndex],
    seriesIndex: item.seriesIndex,
    dataIndex: item.dataIndex,
    name: items.categories[item.dataIndex] ?? '',
  };
}

/**
 * What a screen reader says of an item: series, category (on one line), the value as the tooltip
 * writes it, and its place among the series' drawn items, e.g. "network, 2016-03-02: 1 (2 of 7)".
 */
export function describeItem(items: ChartItems, item: ChartItem): string {
  const category = (items.categories[item.dataIndex] ?? '').replace(/\s*\n\s*/g, ' ');
  const value = items.formatValue(items.values[item.seriesIndex][item.dataIndex]);
  const indexes = drawnIndexes(items.drawn[item.seriesIndex]);
  const place = `${indexes.indexOf(item.dataIndex) + 1} of ${indexes.length}`;
  return `${items.seriesNames[item.seriesIndex]}, ${category}: ${value} (${place})`;
}
