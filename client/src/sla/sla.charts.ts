import type { ComplianceSeries } from '../api/api.types';
import { axisTooltip, KEY_LEGEND, PALETTE, PERIOD_AXIS_LABEL } from '../charts/chart.options';
import type { EChartsCoreOption } from '../charts/echarts';

/** Lines drawn at most; the table below the chart lists every key. */
export const MAX_LINES = 8;

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/**
 * Resolution compliance per period, one line per key (the MAX_LINES keys with most stopped
 * clocks), named by `label`; null when there is nothing to draw.
 */
export function complianceTrendOption(answer: ComplianceSeries, label: (key: string) => string): EChartsCoreOption | null {
  if (!answer.buckets.length || !answer.series.length) return null;
  const shown = [...answer.series]
    .sort((a, b) => sum(b.met) + sum(b.breached) - (sum(a.met) + sum(a.breached)))
    .slice(0, MAX_LINES)
    .sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
  return {
    color: PALETTE,
    aria: { enabled: true },
    grid: { left: 48, right: 24, top: 56, bottom: 32, containLabel: true },
    legend: KEY_LEGEND,
    tooltip: axisTooltip((value) => (value === null ? '—' : `${value.toFixed(1)} %`)),
    xAxis: { type: 'category', data: answer.buckets, axisLabel: PERIOD_AXIS_LABEL },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
    series: shown.map((series) => ({
      name: label(series.key),
      type: 'line',
      connectNulls: false,
      // A period between two empty ones is a lone point with no line to it: draw every symbol,
      // filled and large enough to see on its own. Empty periods stay gaps (connectNulls false).
      showSymbol: true,
      showAllSymbol: true,
      symbol: 'circle',
      symbolSize: 9,
      data: series.compliance.map((value) => (value === null ? null : Math.round(value * 1000) / 10)),
    })),
  };
}
