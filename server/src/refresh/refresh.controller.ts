import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RefreshOutcome, RefreshService } from './refresh.service';

@ApiTags('refresh')
@Controller('refresh')
export class RefreshController {
  constructor(private readonly refresh: RefreshService) {}

  /** How fresh the derived figures are. */
  @Get()
  @ApiOkResponse({ description: 'When derived figures last caught up with the incidents.' })
  async status(): Promise<{ refreshedAt: string | null }> {
    const at = await this.refresh.lastRefreshedAt();
    return { refreshedAt: at ? at.toISOString() : null };
  }

  /** Catches the derived figures up now instead of at the next scheduled run. */
  @Post()
  @HttpCode(200)
  run(): Promise<RefreshOutcome> {
    return this.refresh.refreshAll('api');
  }
}
