import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { RefreshService } from './refresh.service';

const JOB = 'refresh-derived-figures';

/** Refreshes derived figures every REFRESH_INTERVAL_SECONDS (default 60), and once at start. */
@Injectable()
export class RefreshScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RefreshScheduler.name);
  private running: Promise<unknown> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly refresh: RefreshService,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      // The tick only starts a run; a run still going when the next tick comes is not doubled.
      if (this.running) return;
      this.running = this.refresh
        .refreshAll('schedule')
        // refreshAll records and logs failures of the work itself; this catches not reaching the
        // database at all, which must not end the server.
        .catch((error: unknown) => this.logger.error({ event: 'refresh could not start', error }))
        .finally(() => (this.running = undefined));
    };
    this.registry.addInterval(JOB, setInterval(tick, this.config.refreshIntervalSeconds * 1000));
    tick();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.registry.doesExist('interval', JOB)) this.registry.deleteInterval(JOB);
    await this.running;
  }
}
