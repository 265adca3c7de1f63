import { DynamicModule, Global, Module } from '@nestjs/common';
import { RefreshController } from './refresh.controller';
import { RefreshScheduler } from './refresh.scheduler';
import { RefreshService } from './refresh.service';

/**
 * Keeps derived figures fresh. Feature modules register their refreshers with RefreshService in
 * onModuleInit; the scheduler exists only when scheduling is on.
 */
@Global()
@Module({})
export class RefreshModule {
  static forRoot(options: { schedule: boolean }): DynamicModule {
    return {
      module: RefreshModule,
      controllers: [RefreshController],
      providers: [RefreshService, ...(options.schedule ? [RefreshScheduler] : [])],
      exports: [RefreshService],
    };
  }
}
