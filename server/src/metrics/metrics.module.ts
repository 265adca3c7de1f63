import { Module } from '@nestjs/common';
import { FigureSql } from './figures.sql';
import { FiltersController } from './filters.controller';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** The figures of METRICS.md; exports FigureSql so the incident lists read the same populations. */
@Module({
  controllers: [MetricsController, FiltersController],
  providers: [FigureSql, MetricsService],
  exports: [FigureSql],
})
export class MetricsModule {}
