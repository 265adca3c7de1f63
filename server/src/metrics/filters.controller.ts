import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FiltersDto } from './metrics.dto';
import { MetricsService } from './metrics.service';
import { TakesNoQuery } from '../common/validation';

@ApiTags('metrics')
@Controller('filters')
export class FiltersController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @TakesNoQuery()
  @ApiOperation({ summary: 'Sources, categories, assignment groups and priorities to filter by.' })
  @ApiOkResponse({ type: FiltersDto })
  filters(): Promise<FiltersDto> {
    return this.metrics.filters();
  }
}
