import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RefreshOutcome, RefreshService } from './refresh.service';
import { TakesNoQuery } from '../common/validation';

@ApiTags('refresh')
@Controller('refresh')
export class RefreshController {
  constructor(private readonly refresh: RefreshService) {}

  /** How fresh the derived figures are. */
  @Get()
  @TakesNoQuery()
  @ApiOkResponse({
    description: 'When derived figures last caught up with the incidents, and the last run\'s error if it failed.',
  })
  async status(): Promise<{ refreshedAt: string | null; failed: { at: string; error: string } | null }> {
    const [at, failure] = await Promise.all([this.refresh.lastRefreshedAt(), this.refresh.lastFailure()]);
    return {
      refreshedAt: at ? at.toISOString() : null,
      failed: failure ? { at: new Date(failure.at).toISOString(), error: failure.error } : null,
    };
  }

  /** Catches the derived figures up now instead of at the next scheduled run. */
  @Post()
  @TakesNoQuery()
  @HttpCode(200)
  run(): Promise<RefreshOutcome> {
    return this.refresh.refreshAll('api');
  }
}
