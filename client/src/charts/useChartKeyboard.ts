import { ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import {
  chartItems,
  describeItem,
  itemClick,
  KEY_MOVES,
  moveItem,
  type ChartClick,
  type ChartItem,
  type ChartOptionLike,
} from './chart.keyboard';
import type { ECharts, EChartsCoreOption } from './echarts';

// Numbers the charts' key hints; Vue's useId would add to the first page's JavaScript.
let hints = 0;

export interface ChartKeyboard {
  /** What the aria-live region says: the current item, or '' when there is none. */
  announcement: Ref<string>;
  /** Id for the element that says which keys the chart takes. */
  hintId: string;
  onKeydown: (event: KeyboardEvent) => void;
  onBlur: () => void;
  onFocus: (event: FocusEvent) => void;
}

/**
 * The keyboard's way to what a click on a chart opens, for a focusable element around the chart:
 * arrow keys, Home and End move a highlight and the tooltip between the bars or points, Enter or
 * Space opens the item as a click would (`onSelect`), Escape clears. The item is forgotten when
 * the option changes.
 */
export function useChartKeyboard(
  chart: ShallowRef<ECharts | null>,
  option: Ref<EChartsCoreOption | null>,
  onSelect: (event: ChartClick) => void,
): ChartKeyboard {
  const current = shallowRef<ChartItem | null>(null);
  const announcement = ref('');

  function hide(): void {
    if (!current.value || !chart.value) return;
    chart.value.dispatchAction({ type: 'downplay', ...current.value });
    chart.value.dispatchAction({ type: 'hideTip' });
  }

  function show(item: ChartItem): void {
    chart.value?.dispatchAction({ type: 'highlight', ...item });
    chart.value?.dispatchAction({ type: 'showTip', ...item });
  }

  function clear(): void {
    hide();
    current.value = null;
    announcement.value = '';
  }

  function onKeydown(event: KeyboardEvent): void {
    if (!chart.value || event.altKey || event.ctrlKey || event.metaKey) return;
    const items = chartItems(chart.value.getOption() as ChartOptionLike);

    if (event.key === 'Enter' || event.key === ' ') {
      if (!current.value) return;
      event.preventDefault();
      onSelect(itemClick(items, current.value));
    } else if (event.key === 'Escape') {
      if (!current.value) return;
      event.preventDefault();
      clear();
    } else if (KEY_MOVES[event.key]) {
      event.preventDefault();
      const next = moveItem(items.drawn, current.value, KEY_MOVES[event.key]);
      hide();
      current.value = next;
      if (next) show(next);
      announcement.value = next ? describeItem(items, next) : 'The chart has nothing to select.';
    }
  }

  /** Leaving the chart takes its highlight and tooltip away, but keeps the item for the return. */
  function onBlur(): void {
    hide();
  }

  /** Back by keyboard (not by a click on the chart): the item kept shows again. */
  function onFocus(event: FocusEvent): void {
    const target = event.target as HTMLElement;
    if (current.value && target.matches(':focus-visible')) show(current.value);
  }

  watch(option, clear);

  return { announcement, hintId: `chart-keys-hint-${++hints}`, onKeydown, onBlur, onFocus };
}
