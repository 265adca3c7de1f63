import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AgingDto,
  BreakdownDto,
  BreakdownQueryDto,
  FilterQueryDto,
  FlowDto,
  SeriesQueryDto,
  SlaByPriorityDto,
  SummaryDto,
  VolumeDto,
  VolumeQueryDto,
} from './metrics.dto';
import { MetricsService } from './metrics.service';

const BAD_QUERY = { description: 'A query parameter is invalid; the answer names it.' };

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('summary')
  @ApiOperation({ summary: 'Headline figures for the window and the window just before it.' })
  @ApiOkResponse({ type: SummaryDto })
  @ApiBadRequestResponse(BAD_QUERY)
  summary(@Query() query: FilterQueryDto): Promise<SummaryDto> {
    return this.metrics.summary(query);
  }

  @Get('breakdown')
  @ApiOperation({
    summary: "The window's headline figures per priority, category or assignment group.",
  })
  @ApiOkResponse({ type: BreakdownDto })
  @ApiBadRequestResponse(BAD_QUERY)
  breakdown(@Query() query: BreakdownQueryDto): Promise<BreakdownDto> {
    return this.metrics.breakdown(query);
  }

  @Get('sla-by-priority')
  @ApiOperation({
    summary: 'Resolution SLA compliance per priority, with the source verdict beside it.',
  })
  @ApiOkResponse({ type: SlaByPriorityDto })
  @ApiBadRequestResponse(BAD_QUERY)
  slaByPriority(@Query() query: FilterQueryDto): Promise<SlaByPriorityDto> {
    return this.metrics.slaByPriority(query);
  }

  @Get('volume')
  @ApiOperation({ summary: 'Incidents opened per bucket, split by one field.' })
  @ApiOkResponse({ type: VolumeDto })
  @ApiBadRequestResponse(BAD_QUERY)
  volume(@Query() query: VolumeQueryDto): Promise<VolumeDto> {
    return this.metrics.volume(query);
  }

  @Get('flow')
  @ApiOperation({
    summary: 'Opened against restored per bucket, and the backlog at the end of each.',
  })
  @ApiOkResponse({ type: FlowDto })
  @ApiBadRequestResponse(BAD_QUERY)
  flow(@Query() query: SeriesQueryDto): Promise<FlowDto> {
    return this.metrics.flow(query);
  }

  @Get('aging')
  @ApiOperation({ summary: 'The backlog at the end of the window by age.' })
  @ApiOkResponse({ type: AgingDto })
  @ApiBadRequestResponse(BAD_QUERY)
  aging(@Query() query: FilterQueryDto): Promise<AgingDto> {
    return this.metrics.aging(query);
  }
}
