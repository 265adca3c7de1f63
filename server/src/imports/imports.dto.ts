import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsOneOf, IsText, WholeNumberParam } from '../common/validation';
import { ENCODINGS } from './import.input';
import { FORMAT_NAMES } from './import.types';

/** The form fields of an upload, beside the `file` (and optional `events`) parts. */
export class ImportUploadDto {
  @ApiPropertyOptional({ enum: FORMAT_NAMES, description: 'Format; detected from the header when absent.' })
  @IsOptional()
  @IsOneOf(FORMAT_NAMES)
  format?: string;

  @ApiPropertyOptional({ description: 'Source name; default the format name.', example: 'servicenow' })
  @IsOptional()
  @IsText({ max: 200 })
  source?: string;

  @ApiPropertyOptional({ description: 'IANA zone for times written without one.', default: 'UTC', example: 'Europe/Berlin' })
  @IsOptional()
  @IsText({ max: 64, empty: true })
  timezone?: string;

  @ApiPropertyOptional({ enum: ENCODINGS, default: 'utf8', description: 'How the file is read: UTF-8, or Latin-1 (ISO-8859-1).' })
  @IsOptional()
  @IsOneOf(ENCODINGS)
  encoding?: string;
}

/** The multipart body as OpenAPI shows it. */
export class ImportUploadBodyDto extends ImportUploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The export (CSV, JSON, or either gzipped).' })
  file!: unknown;

  @ApiPropertyOptional({ type: 'string', format: 'binary', description: 'BPI 2014 activity log for a Detail_Incident.csv.' })
  events?: unknown;
}

export class RejectionDto {
  @ApiProperty({ description: 'File the row came from (the export or its activity log).' })
  file!: string;

  @ApiProperty({ type: 'integer', description: '1-based line of the row (for an event log, of the incident row at fault).' })
  line!: number;

  @ApiProperty({ nullable: true, type: String, description: 'Field at fault, as the source names it.' })
  field!: string | null;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ nullable: true, type: String })
  externalId!: string | null;
}

export class ImportResultDto {
  @ApiProperty({ type: 'integer', description: 'Import run id.' })
  id!: number;

  @ApiProperty()
  source!: string;

  @ApiProperty({ enum: FORMAT_NAMES })
  format!: string;

  @ApiProperty({ description: 'Zone in which times without one were read.' })
  timezone!: string;

  @ApiProperty({ type: 'integer', description: 'Records read: rows, or incidents for an event log.' })
  rowsRead!: number;

  @ApiProperty({ type: 'integer' })
  inserted!: number;

  @ApiProperty({ type: 'integer' })
  updated!: number;

  @ApiProperty({ type: 'integer' })
  unchanged!: number;

  @ApiProperty({ type: 'integer' })
  rejected!: number;

  @ApiProperty({ type: [RejectionDto], description: 'The first 100 rejections.' })
  rejections!: RejectionDto[];
}

export class ImportRunDto {
  @ApiProperty({ type: 'integer' })
  id!: number;

  @ApiProperty({ nullable: true, type: String })
  source!: string | null;

  @ApiProperty()
  file!: string;

  @ApiProperty({ nullable: true, type: String })
  eventsFile!: string | null;

  @ApiProperty()
  format!: string;

  @ApiProperty()
  timezone!: string;

  @ApiProperty({ enum: ['running', 'finished', 'failed'] })
  status!: string;

  @ApiProperty({ type: 'integer' })
  rowsRead!: number;

  @ApiProperty({ type: 'integer' })
  inserted!: number;

  @ApiProperty({ type: 'integer' })
  updated!: number;

  @ApiProperty({ type: 'integer' })
  unchanged!: number;

  @ApiProperty({ type: 'integer' })
  rejected!: number;

  @ApiProperty({ nullable: true, type: String })
  error!: string | null;

  @ApiProperty()
  startedAt!: string;

  @ApiProperty({ nullable: true, type: String })
  finishedAt!: string | null;
}

/** How many of a run's rejections to answer, first in file and line order; all when not given. */
export class RejectionsQueryDto {
  @WholeNumberParam({ min: 1, max: 1_000_000, description: 'At most this many, the first in file and line order; all when not given.' })
  limit?: number;
}
