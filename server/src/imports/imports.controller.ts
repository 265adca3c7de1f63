import {
  BadRequestException,
  Body,
  CallHandler,
  Controller,
  ExecutionContext,
  Get,
  HttpCode,
  HttpException,
  Injectable,
  NestInterceptor,
  NotFoundException,
  Param,
  Post,
  Query,
  UnprocessableEntityException,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import { ApiBadRequestResponse, ApiBody, ApiUnprocessableEntityResponse, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { diskStorage } from 'multer';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { MultipartProblemsNamed } from '../common/multipart';
import { ApiIdParam, badParameter, IdPipe, refuseRepeated, TakesNoQuery } from '../common/validation';
import { RefreshService } from '../refresh/refresh.service';
import { ImportRequestError, ImportService } from './import.service';
import { ImportResultDto, ImportRunDto, ImportUploadBodyDto, ImportUploadDto, RejectionDto, RejectionsQueryDto } from './imports.dto';

/** Largest upload taken, in bytes (1 GB). */
export const UPLOAD_LIMIT_BYTES = 1024 ** 3;

/** Where uploads wait while they are imported; each is removed when its import ends. */
export const UPLOAD_DIR = path.join(os.tmpdir(), 'incident-analytics-uploads');

/** The file parts an upload takes. */
const FILE_PARTS = ['file', 'events'];

/**
 * Refuses an upload with a field it takes given twice, naming it: multer makes the field a list,
 * which the fields' checks then refused as no string of at most 64 characters. So is a text field
 * named as a file part (`file=hello`), which the whitelist told should not exist. A field it does
 * not take is left to the whitelist, however often given. Runs after multer has stored the
 * files, and removes them (Nest removes them only when a pipe refuses the request).
 */
@Injectable()
class RepeatedFieldsRefused implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request & { files?: Record<string, Express.Multer.File[]> }>();
    try {
      refuseRepeated((request.body ?? {}) as object, ImportUploadDto, FILE_PARTS);
    } catch (error) {
      for (const part of Object.values(request.files ?? {}).flat()) await fs.promises.rm(part.path, { force: true });
      throw error;
    }
    return next.handle();
  }
}

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly imports: ImportService,
    private readonly refresh: RefreshService,
  ) {}

  /** Imports an uploaded export through the same pipeline as `npm run import`. */
  @Post()
  @TakesNoQuery()
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportUploadBodyDto })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiBadRequestResponse({
    description: 'No file, unknown format, zone or encoding, an empty file, a format that cannot be told, a header without the required columns, JSON that is no array.',
  })
  @ApiUnprocessableEntityResponse({
    description: 'The import failed, or the file could not be read to its end (the rows before the cut are written; the answer carries the counts).',
  })
  @UseInterceptors(
    new MultipartProblemsNamed(FILE_PARTS, ImportUploadDto),
    FileFieldsInterceptor(
      FILE_PARTS.map((name) => ({ name, maxCount: 1 })),
      // Streamed to a temporary file, never held in memory.
      { storage: diskStorage({ destination: UPLOAD_DIR }), limits: { fileSize: UPLOAD_LIMIT_BYTES } },
    ),
    RepeatedFieldsRefused,
  )
  async upload(
    @UploadedFiles() files: { file?: Express.Multer.File[]; events?: Express.Multer.File[] } | undefined,
    @Body() body: ImportUploadDto,
  ): Promise<ImportResultDto> {
    const file = files?.file?.[0];
    const events = files?.events?.[0];
    try {
      if (!file) throw badParameter('file', 'a multipart part named "file" is required');
      const result = await this.imports.run({
        file: file.path,
        fileName: file.originalname,
        format: body.format,
        source: body.source,
        timezone: body.timezone,
        encoding: body.encoding,
        eventsFile: events?.path,
        eventsFileName: events?.originalname,
      });
      // Rows read before a cut are written either way, so the figures are brought up to date.
      await this.refresh.refreshAll('import');
      const { id, source, format, timezone, rowsRead, inserted, updated, unchanged, rejected, rejections } = result;
      const answer = { id, source, format, timezone, rowsRead, inserted, updated, unchanged, rejected, rejections };
      if (result.error !== null) throw new UnprocessableEntityException({ statusCode: 422, message: result.error, ...answer });
      return answer;
    } catch (error) {
      if (error instanceof HttpException) throw error;
      if (error instanceof ImportRequestError) throw refused(error);
      // The run is recorded as failed with this message (GET /api/imports); the upload says why.
      throw new UnprocessableEntityException({ statusCode: 422, message: uploadMessage(error, file, events) });
    } finally {
      for (const part of [file, events]) if (part) await fs.promises.rm(part.path, { force: true });
    }
  }

  /** The most recent import runs, newest first. */
  @Get()
  @TakesNoQuery()
  @ApiOkResponse({ type: [ImportRunDto] })
  runs(): Promise<ImportRunDto[]> {
    return this.imports.recentRuns();
  }

  /**
   * The rejections of one import run, in file and line order: every one, or the first `limit`
   * (the dashboard asks for the first thousand; a run of 100 000 bad rows answered 11 MB).
   */
  @Get(':id/rejections')
  @ApiIdParam()
  @ApiOkResponse({ type: [RejectionDto] })
  @ApiNotFoundResponse({ description: 'No import run with this id.' })
  async rejections(@Param('id', IdPipe) id: number, @Query() query: RejectionsQueryDto): Promise<RejectionDto[]> {
    const rejections = await this.imports.rejections(id, query.limit);
    if (rejections === null) throw new NotFoundException(`no import run ${id}`);
    return rejections;
  }
}

/**
 * An import's refusal as a 400: one of a single field or part names it in `parameters`, in the
 * shape of every other parameter refusal: a field (a zone the database reads as another), or the
 * `file` or `events` part whose content is refused (an empty file, a header without the format's
 * columns), its problem then naming the file as uploaded. A refusal of no one part says what is
 * wrong alone.
 */
function refused(error: ImportRequestError): BadRequestException {
  if (error.parameter !== undefined) return badParameter(error.parameter, error.problem);
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: error.message });
}

/** An import failure's message with the uploaded files' temporary names replaced by their original ones. */
function uploadMessage(error: unknown, ...parts: (Express.Multer.File | undefined)[]): string {
  let message = error instanceof Error ? error.message : String(error);
  for (const part of parts) {
    if (!part) continue;
    message = message.split(part.path).join(part.originalname).split(part.filename).join(part.originalname);
  }
  return message;
}
