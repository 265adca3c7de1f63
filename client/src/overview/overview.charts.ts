import type { Aging, Flow, SlaByPriority, VolumeSeries } from '../api/api.types';
import { axisTooltip, KEY_LEGEND, PALETTE, PERIOD_AXIS_LABEL } from '../charts/chart.options';
import type { EChartsCoreOption } from '../charts/echarts';
import { formatCount, formatRate, formatShortCount } from '../format/format';

const GRID = { left: 48, right: 24, top: 36, bottom: 32, containLabel: true };
const percentAxis = {
  type: 'value',
  min: 0,
  max: 100,
  axisLabel: { formatter: '{value} %' },
};

/** Our compliance per priority, with the source's own where it records one. */
export function slaByPriorityOption(data: SlaByPriority): EChartsCoreOption {
  const rows = data.rows;
  const hasSource = rows.some((row) => (row.sourceN ?? 0) > 0);
  const asPercent = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);
  const sourceRate = (row: SlaByPriority['rows'][number]) =>
    row.sourceN && row.sourceMet !== null ? row.sourceMet / row.sourceN : null;
  return {
    color: PALETTE,
    aria: { enabled: true },
    grid: GRID,
    legend: { top: 0 },
    tooltip: axisTooltip((value) => (value === null ? '—' : `${value.toFixed(1)} %`)),
    xAxis: {
      type: 'category',
      // The exact count, which the tooltip's title shows.
      data: rows.map((row) => `P${row.priority}\n(n ${formatCount(row.met + row.breached)})`),
      // Two short lines and every label drawn: ECharts would otherwise hide those that overlap.
      // Without a line height ECharts draws the two lines over each other. The count is smaller
      // and, from ten thousand, rounded (412k), so that five fit side by side on a phone, where
      // a category is about 44 px wide and "(n 6,844)" ran into its neighbours.
      axisLabel: {
        interval: 0,
        hideOverlap: false,
        lineHeight: 14,
        formatter: (_: string, index: number) =>
          `{p|P${rows[index].priority}}\n{n|n ${formatShortCount(rows[index].met + rows[index].breached)}}`,
        rich: { p: { fontSize: 12, lineHeight: 14 }, n: { fontSize: 10, lineHeight: 13 } },
      },
    },
    yAxis: percentAxis,
    series: [
      {
        name: 'Ours',
        type: 'bar',
        data: rows.map((row) => asPercent(row.compliance)),
        label: {
          show: true,
          position: 'top',
          // At 12 px "100.0 %" (47 px) was wider than a phone's 44 px per priority, and the
          // labels ran together; at 10 px it is 37 px.
          fontSize: 10,
          formatter: (p: { dataIndex: number }) => formatRate(rows[p.dataIndex].compliance),
        },
        // Should one still touch another (a narrower card), it is left out: the tooltip has it.
        labelLayout: { hideOverlap: true },
      },
      ...(hasSource ? [{ name: "Source's verdict", type: 'bar', data: rows.map((row) => asPercent(sourceRate(row))) }] : []),
    ],
  };
}

/** Incidents opened per bucket, stacked by key (top keys and "(other)"). */
export function volumeOption(data: VolumeSeries): EChartsCoreOption {
  return {
    color: PALETTE,
    aria: { enabled: true },
    grid: { ...GRID, top: 56 },
    legend: KEY_LEGEND,
    tooltip: axisTooltip(formatCount),
    xAxis: { type: 'category', data: data.buckets, axisLabel: PERIOD_AXIS_LABEL },
    yAxis: { type: 'value', minInterval: 1 },
    series: data.series.map((series) => ({
      name: series.key,
      type: 'bar',
      stack: 'volume',
      emphasis: { focus: 'series' },
      data: series.counts,
    })),
  };
}

/** Opened and restored per bucket, and the backlog at each bucket's end on its own axis. */
export function flowOption(data: Flow): EChartsCoreOption {
  return {
    color: [PALETTE[0], PALETTE[2], PALETTE[1]],
    aria: { enabled: true },
    // The axes' names sit above the grid: below the legend, which on a phone spans their width.
    grid: { ...GRID, top: 56 },
    legend: { top: 0 },
    tooltip: axisTooltip(formatCount),
    xAxis: { type: 'category', data: data.buckets, axisLabel: PERIOD_AXIS_LABEL },
    yAxis: [
      { type: 'value', name: 'per period', minInterval: 1 },
      // Both axes start at 0, drawn on the left: on the right it ran into the last period's label.
      { type: 'value', name: 'backlog', minInterval: 1, splitLine: { show: false }, axisLabel: { showMinLabel: false } },
    ],
    series: [
      { name: 'Opened', type: 'line', data: data.opened, symbolSize: 6 },
      { name: 'Restored', type: 'line', data: data.restored, symbolSize: 6 },
      { name: 'Backlog', type: 'line', yAxisIndex: 1, data: data.backlog, symbolSize: 6, lineStyle: { type: 'dashed' } },
    ],
  };
}

/** Open incidents at the end of the window by age. */
export function agingOption(data: Aging): EChartsCoreOption {
  return {
    color: [PALETTE[1]],
    aria: { enabled: true },
    grid: GRID,
    tooltip: axisTooltip(formatCount),
    xAxis: { type: 'category', data: data.buckets.map((bucket) => bucket.bucket) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: 'Open incidents',
        type: 'bar',
        data: data.buckets.map((bucket) => bucket.n),
        label: { show: true, position: 'top', formatter: (p: { value: number }) => formatCount(p.value) },
      },
    ],
  };
}
