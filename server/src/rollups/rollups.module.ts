import { Module } from '@nestjs/common';
import { RollupsService } from './rollups.service';

/**
 * Rollup tables of the summary's figures, refreshed incrementally with the other derived
 * figures (RefreshService is global) and read by RollupsService.summary.
 */
@Module({
  providers: [RollupsService],
  exports: [RollupsService],
})
export class RollupsModule {}
