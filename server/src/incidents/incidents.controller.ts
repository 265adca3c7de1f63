import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { IncidentDetailDto, IncidentKeyQueryDto, IncidentListDto, IncidentListQueryDto } from './incidents.dto';
import { IncidentsService } from './incidents.service';
import { TakesNoQuery } from '../common/validation';

@ApiTags('incidents')
@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @ApiOperation({
    summary: "The incidents behind a figure; total equals the figure's n in the summary.",
  })
  @ApiOkResponse({ type: IncidentListDto })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid; the answer names it.' })
  list(@Query() query: IncidentListQueryDto): Promise<IncidentListDto> {
    return this.incidents.list(query);
  }

  @Get('lookup')
  @ApiOperation({
    summary: 'One incident, as GET /api/incidents/{source}/{externalId} gives it, named in the query: for any id, `..` too.',
  })
  @ApiOkResponse({ type: IncidentDetailDto })
  @ApiBadRequestResponse({ description: 'source or externalId is missing or too long.' })
  @ApiNotFoundResponse({ description: 'No such source, or no such incident in it.' })
  lookup(@Query() query: IncidentKeyQueryDto): Promise<IncidentDetailDto> {
    return this.incidents.detail(query.source, query.externalId);
  }

  @Get(':source/:externalId')
  @TakesNoQuery()
  @ApiOperation({ summary: 'One incident as stored, with its events and SLA evaluations.' })
  @ApiParam({ name: 'source', description: 'Source name.' })
  @ApiParam({ name: 'externalId', description: 'The id in the source tool.' })
  @ApiOkResponse({ type: IncidentDetailDto })
  @ApiNotFoundResponse({ description: 'No such source, or no such incident in it.' })
  detail(
    @Param('source') source: string,
    @Param('externalId') externalId: string,
  ): Promise<IncidentDetailDto> {
    return this.incidents.detail(source, externalId);
  }
}
