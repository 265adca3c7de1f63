import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { RefreshService } from '../refresh/refresh.service';
import { RollupsModule } from '../rollups/rollups.module';
import { SlaReportService } from './sla-report.service';
import { SlaRulesService } from './sla-rules.service';
import { SlaController } from './sla.controller';
import { SlaEngine } from './sla.engine';

/**
 * SLA policies, calendars and evaluations. Evaluations are refreshed with the other derived
 * figures (order 10: before the rollups that count them).
 */
@Module({
  imports: [RollupsModule],
  controllers: [SlaController],
  providers: [SlaEngine, SlaRulesService, SlaReportService],
  exports: [SlaEngine, SlaRulesService],
})
export class SlaModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly refresh: RefreshService,
    private readonly engine: SlaEngine,
    private readonly rules: SlaRulesService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.rules.alignOrgZone(this.config.orgTimezone);
    this.refresh.register({ name: 'sla', order: 10, refresh: () => this.engine.refresh() });
  }
}
