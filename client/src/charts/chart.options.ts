/** Shared pieces of the ECharts options: palette, escaping tooltips. */

export const PALETTE = [
  '#2f6fdf',
  '#e0793b',
  '#3a9b6c',
  '#b84a9c',
  '#d4b03a',
  '#4fb3c6',
  '#8a6adf',
  '#c45656',
  '#9aa3ad',
];

/**
 * ECharts theme: a highlighted bar or point (under the mouse, or the keyboard's current item)
 * gets a dark outline, which the default lighter shade alone left hard to tell from its neighbours.
 * Only that item is highlighted, not every item of its period as the axis tooltip would: the
 * highlight marks what a click or Enter opens.
 */
export const HIGHLIGHT_THEME = {
  axisPointer: { triggerEmphasis: false },
  bar: { emphasis: { itemStyle: { borderColor: '#1d2533', borderWidth: 2 } } },
  line: { emphasis: { scale: 1.6, itemStyle: { borderColor: '#1d2533', borderWidth: 2 } } },
};

/**
 * A scrolling legend of keys from the data (categories, groups), each name cut to 180 px so a
 * long one does not fill the legend alone; the axis tooltip shows it whole.
 */
export const KEY_LEGEND = { top: 0, type: 'scroll', textStyle: { width: 180, overflow: 'truncate' } };

/**
 * Labels of an axis of periods (dates): the first one starts at its period instead of centring
 * on it, so it does not run into the value axis's lowest label ("0 %2016-03-01").
 */
export const PERIOD_AXIS_LABEL = { alignMinLabel: 'left', showMinLabel: true };

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text from the data made safe for ECharts' HTML tooltip. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

interface TooltipParam {
  axisValueLabel?: string;
  seriesName?: string;
  marker?: string;
  value?: unknown;
  name?: string;
}

/**
 * An axis tooltip that escapes every name from the data; `format` writes each value, in the
 * tooltip and (as its `valueFormatter`) in what the keyboard's live region says of an item.
 */
export function axisTooltip(format: (value: number | null) => string) {
  return {
    trigger: 'axis' as const,
    confine: true,
    valueFormatter: (value: unknown) => format(typeof value === 'number' ? value : null),
    formatter(params: TooltipParam | TooltipParam[]): string {
      const list = Array.isArray(params) ? params : [params];
      const title = escapeHtml(list[0]?.axisValueLabel ?? list[0]?.name ?? '');
      const lines = list.map((param) => {
        const raw = Array.isArray(param.value) ? param.value[1] : param.value;
        const value = typeof raw === 'number' ? raw : null;
        // marker is ECharts' own colour dot, not data.
        return `${param.marker ?? ''}${escapeHtml(param.seriesName ?? '')}: <b>${escapeHtml(format(value))}</b>`;
      });
      return [`<div>${title}</div>`, ...lines].join('<br/>');
    },
  };
}
