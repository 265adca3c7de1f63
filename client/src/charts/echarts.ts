// Only the chart types and components the dashboard draws: importing 'echarts' whole would add
// several hundred kilobytes to the views that use it.
import { BarChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
} from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export { init };
export type { ECharts, EChartsCoreOption } from 'echarts/core';
