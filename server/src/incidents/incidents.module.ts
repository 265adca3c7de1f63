import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { RollupsModule } from '../rollups/rollups.module';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';

/** Incident lists behind the figures, and single incidents with their history. */
@Module({
  imports: [MetricsModule, RollupsModule],
  controllers: [IncidentsController],
  providers: [IncidentsService],
})
export class IncidentsModule {}
