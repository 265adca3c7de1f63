import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from './config/app.config';
import { DatabaseModule } from './database/database.module';
import { DatabaseHandle } from './database/embedded-postgres';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { IncidentsModule } from './incidents/incidents.module';
import { MetricsModule } from './metrics/metrics.module';
import { RollupsModule } from './rollups/rollups.module';
import { RefreshModule } from './refresh/refresh.module';
import { SlaModule } from './sla/sla.module';

export interface AppModuleOptions {
  /** Scheduled jobs run unless false (the import command has no use for them). */
  schedule?: boolean;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, handle: DatabaseHandle, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot(config, handle),
        ...(options.schedule === false ? [] : [ScheduleModule.forRoot()]),
        RefreshModule.forRoot({ schedule: options.schedule !== false }),
        HealthModule,
        IncidentsModule,
        ImportsModule,
        MetricsModule,
        SlaModule,
        RollupsModule,
      ],
    };
  }
}
