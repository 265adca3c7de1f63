import { Module } from '@nestjs/common';
import { RollupsModule } from '../rollups/rollups.module';
import { FigureSql } from './figures.sql';
import { FiltersController } from './filters.controller';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * The figures of METRICS.md: the summary from the rollups, the series from the populations;
 * exports FigureSql so the incident lists read the same populations.
 */
@Module({
  imports: [RollupsModule],
  controllers: [MetricsController, FiltersController],
  providers: [FigureSql, MetricsService],
  exports: [FigureSql],
})
export class MetricsModule {}
