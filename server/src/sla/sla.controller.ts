import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { MultipartProblemsNamed } from '../common/multipart';
import { ApiIdParam, badParameter, IdPipe, refuseRepeated, TakesNoQuery } from '../common/validation';
import { SlaReportService } from './sla-report.service';
import { SlaRulesService } from './sla-rules.service';
import { CalendarDto, ComplianceQueryDto, PolicyDto, SlaFilterDto, WatchQueryDto } from './sla.dto';

/** Largest iCalendar file accepted for a holiday import. */
const MAX_ICS_BYTES = 2 * 1024 * 1024;

@ApiTags('sla')
@Controller('sla')
export class SlaController {
  constructor(
    private readonly rules: SlaRulesService,
    private readonly reports: SlaReportService,
  ) {}

  /** Every policy with its targets, pausing and stop statuses. */
  @Get('policies')
  @TakesNoQuery()
  @ApiOkResponse({ description: 'Policies with per-priority targets and the statuses that pause the clock.' })
  listPolicies() {
    return this.rules.listPolicies();
  }

  /** Creates a policy; the incidents it governs are evaluated under it. */
  @Post('policies')
  @TakesNoQuery()
  @ApiOperation({ summary: 'Create a policy' })
  createPolicy(@Body() body: PolicyDto) {
    return this.rules.createPolicy(body);
  }

  /** Replaces a policy; bumps its version and recomputes the evaluations it affects. */
  @Put('policies/:id')
  @TakesNoQuery()
  @ApiIdParam()
  @ApiOperation({ summary: 'Replace a policy and recompute what it affects' })
  updatePolicy(@Param('id', IdPipe) id: number, @Body() body: PolicyDto) {
    return this.rules.updatePolicy(id, body);
  }

  /** Every calendar with its weekly hours and holidays. */
  @Get('calendars')
  @TakesNoQuery()
  listCalendars() {
    return this.rules.listCalendars();
  }

  /** One calendar with its weekly hours and holidays, as the list shows it. */
  @Get('calendars/:id')
  @TakesNoQuery()
  @ApiIdParam()
  @ApiOperation({ summary: 'One calendar, as the list shows it' })
  @ApiOkResponse({ description: 'The calendar: id, name, zone, kind, weekly hours, holidays and version.' })
  @ApiNotFoundResponse({ description: 'No calendar with this id.' })
  getCalendar(@Param('id', IdPipe) id: number) {
    return this.rules.calendar(id);
  }

  @Post('calendars')
  @TakesNoQuery()
  @ApiOperation({ summary: 'Create a calendar' })
  createCalendar(@Body() body: CalendarDto) {
    return this.rules.createCalendar(body);
  }

  @Put('calendars/:id')
  @TakesNoQuery()
  @ApiIdParam()
  @ApiOperation({ summary: 'Replace a calendar and recompute the policies that use it' })
  updateCalendar(@Param('id', IdPipe) id: number, @Body() body: CalendarDto) {
    return this.rules.updateCalendar(id, body);
  }

  /** Adds holidays from an iCalendar file, sent as a text/calendar body or a multipart `file`. */
  @Post('calendars/:id/holidays')
  @TakesNoQuery()
  @ApiIdParam()
  @HttpCode(200)
  @UseInterceptors(new MultipartProblemsNamed(['file']), FileInterceptor('file', { limits: { fileSize: MAX_ICS_BYTES } }))
  @ApiConsumes('text/calendar', 'multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  async importHolidays(
    @Param('id', IdPipe) id: number,
    @Req() request: Request,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ) {
    // A multipart request's text fields, which multer leaves in the body: the import takes none.
    if (request.is('multipart/form-data')) refuseRepeated((request.body ?? {}) as object, null, ['file']);
    const text = file ? file.buffer.toString('utf8') : await readText(request);
    if (!text.trim()) throw fileProblem('send an iCalendar file as text/calendar or as multipart field "file"');
    return this.rules.importHolidays(id, text);
  }

  /** Open incidents at risk (>= 75 % of the target used) and already breached. */
  @Get('watch')
  watch(@Query() query: WatchQueryDto) {
    return this.reports.watch(query);
  }

  /** Compliance by priority, assignment group or category and period, in the report's zone. */
  @Get('compliance')
  compliance(@Query() query: ComplianceQueryDto) {
    return this.reports.compliance(query);
  }

  /** How often our resolution verdict agrees with the source's own (ServiceNow made_sla). */
  @Get('agreement')
  agreement(@Query() query: SlaFilterDto) {
    return this.reports.agreement(query);
  }
}

/** The raw body of a non-multipart request, which Nest's JSON parser leaves unread. */
async function readText(request: Request): Promise<string> {
  if (typeof request.body === 'string') return request.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_ICS_BYTES) throw fileProblem(`larger than ${MAX_ICS_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function fileProblem(problem: string): BadRequestException {
  return badParameter('file', problem);
}
