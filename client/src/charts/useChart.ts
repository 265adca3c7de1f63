import { onBeforeUnmount, onMounted, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import type { ChartClick } from './chart.keyboard';
import { HIGHLIGHT_THEME } from './chart.options';
import { init, type ECharts, type EChartsCoreOption } from './echarts';

export type { ChartClick };

export interface UseChartOptions {
  /** Called on a click on a bar or point. */
  onClick?: (event: ChartClick) => void;
  /** Milliseconds between resizes while the container changes size. Default 150. */
  resizeThrottleMs?: number;
}

/** Throttle that still runs once after the last call, so the final size is always applied. */
function throttle(fn: () => void, ms: number): { run: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  return {
    run() {
      const wait = last + ms - Date.now();
      if (timer) return;
      if (wait <= 0) {
        last = Date.now();
        fn();
        return;
      }
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        fn();
      }, wait);
    },
    cancel() {
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * An ECharts instance bound to `el`, redrawn when `option` changes, resized with a throttled
 * ResizeObserver and disposed when the component unmounts.
 */
export function useChart(
  el: Ref<HTMLElement | null>,
  option: Ref<EChartsCoreOption | null>,
  options: UseChartOptions = {},
): { chart: ShallowRef<ECharts | null> } {
  const chart = shallowRef<ECharts | null>(null);
  let observer: ResizeObserver | undefined;
  const resize = throttle(() => chart.value?.resize(), options.resizeThrottleMs ?? 150);

  onMounted(() => {
    if (!el.value) return;
    chart.value = init(el.value, HIGHLIGHT_THEME, { renderer: 'canvas' });
    if (options.onClick) {
      const onClick = options.onClick;
      chart.value.on('click', (params) => {
        const event = params as unknown as ChartClick;
        onClick({
          seriesName: event.seriesName,
          seriesIndex: event.seriesIndex,
          dataIndex: event.dataIndex,
          name: event.name,
        });
      });
    }
    if (option.value) chart.value.setOption(option.value, { notMerge: true });
    observer = new ResizeObserver(() => resize.run());
    observer.observe(el.value);
  });

  watch(option, (next) => {
    if (chart.value && next) chart.value.setOption(next, { notMerge: true });
  });

  onBeforeUnmount(() => {
    observer?.disconnect();
    resize.cancel();
    chart.value?.dispose();
    chart.value = null;
  });

  return { chart };
}
