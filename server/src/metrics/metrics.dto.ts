import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsOptional,
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { Interval, INTERVALS } from './report-window';
import { EmptyIs, EmptyIsAbsent, IsIanaZone, IsLocalDate, isLocalDate, IsOneOf, IsText, LATEST_WINDOW_END, WholeNumberParam } from '../common/validation';
import { MAX_INDEXED_BYTES } from '../imports/import.limits';

/** A date after the date in `property` (only checked when both are valid dates). */
function IsAfterDate(property: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAfterDate',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [property],
      options: { message: `$property must be after ${property}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const other = (args.object as Record<string, unknown>)[property];
          if (!isLocalDate(value, LATEST_WINDOW_END) || !isLocalDate(other)) return true;
          return (value as string) > (other as string);
        },
      },
    });
}

/** The window and filters every figure endpoint takes. */
export class FilterQueryDto {
  @ApiProperty({
    description: 'First local date of the window (inclusive), YYYY-MM-DD.',
    example: '2016-03-01',
  })
  @IsLocalDate()
  from!: string;

  @ApiProperty({
    description: 'Local date after the window (exclusive), YYYY-MM-DD; after from.',
    example: '2016-04-01',
  })
  @IsLocalDate(undefined, LATEST_WINDOW_END)
  @IsAfterDate('from')
  to!: string;

  @ApiPropertyOptional({
    description: 'IANA zone of the window and of the periods.',
    default: 'UTC',
    example: 'Europe/Berlin',
  })
  @EmptyIs('UTC')
  @IsOptional()
  @IsIanaZone()
  tz: string = 'UTC';

  @ApiPropertyOptional({ description: 'Source name; empty means every source.' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsText({ max: 200 })
  source?: string;

  @WholeNumberParam({ min: 1, max: 5, description: 'Priority 1 (critical) .. 5 (planning).' })
  priority?: number;

  @ApiPropertyOptional({ description: 'Category, exact; empty means every category. As long as an import takes one.' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsText({ max: MAX_INDEXED_BYTES })
  category?: string;

  @ApiPropertyOptional({ description: 'Assignment group, exact; empty means every group. As long as an import takes one.' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsText({ max: MAX_INDEXED_BYTES })
  assignmentGroup?: string;
}

/** Filters plus the bucket size of a series. */
export class SeriesQueryDto extends FilterQueryDto {
  @ApiPropertyOptional({
    enum: INTERVALS,
    description: 'Bucket size; default day for windows up to 62 days, week up to 366, else month.',
  })
  @EmptyIsAbsent()
  @IsOptional()
  @IsOneOf(INTERVALS)
  interval?: Interval;
}

/** `top`: how many keys of a split are kept, 1..50. */
const TopKeys = (description: string, defaultValue: number): PropertyDecorator =>
  WholeNumberParam({ min: 1, max: 50, default: defaultValue, description });

export const VOLUME_KEYS = [
  'category',
  'priority',
  'assignmentGroup',
  'service',
  'detectionSource',
] as const;
export type VolumeKey = (typeof VOLUME_KEYS)[number];

/** A series split by one field, the largest `top` keys kept. */
export class VolumeQueryDto extends SeriesQueryDto {
  @ApiPropertyOptional({ enum: VOLUME_KEYS, default: 'category' })
  @IsOptional()
  @IsOneOf(VOLUME_KEYS)
  by: VolumeKey = 'category';

  @TopKeys('Keys kept before the rest is summed into "(other)".', 8)
  top: number = 8;
}

export const BREAKDOWN_KEYS = ['priority', 'category', 'assignmentGroup'] as const;
export type BreakdownKey = (typeof BREAKDOWN_KEYS)[number];

/** The window's figures per value of one field. */
export class BreakdownQueryDto extends FilterQueryDto {
  @ApiPropertyOptional({ enum: BREAKDOWN_KEYS, default: 'priority' })
  @IsOptional()
  @IsOneOf(BREAKDOWN_KEYS)
  by: BreakdownKey = 'priority';

  @TopKeys('Keys answered, those with most restorations in the window (every priority is always answered).', 10)
  top: number = 10;
}

// ---- Responses (for the OpenAPI document) ----

export class WindowDto {
  @ApiProperty({ example: '2016-03-01' }) from!: string;
  @ApiProperty({ example: '2016-04-01' }) to!: string;
  @ApiProperty({ example: 'UTC' }) tz!: string;
}

export class DurationFigureDto {
  @ApiProperty({ type: Number, nullable: true, description: 'Mean in hours; null when n is 0.' })
  meanHours!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Median (percentile_cont 0.5) in hours.',
  })
  medianHours!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '90th percentile (percentile_cont 0.9) in hours.',
  })
  p90Hours!: number | null;
  @ApiProperty() n!: number;
  @ApiProperty({
    enum: ['exact', 'histogram'],
    description:
      'How the median and p90 were computed: exactly from the incidents, or, when the window holds ' +
      'more than 50 000 restorations (acknowledgements for MTTA) whatever the filters, from ' +
      'log-bucketed histograms, within 0.1 % of the exact value.',
  })
  percentiles!: 'exact' | 'histogram';
}

export class FirstTimeResolutionDto {
  @ApiProperty({ type: Number, nullable: true, description: 'firstTime / resolved.' }) rate!:
    number | null;
  @ApiProperty() firstTime!: number;
  @ApiProperty({ description: 'Incidents restored in the window.' }) resolved!: number;
  @ApiProperty() escalated!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'escalated / resolved.' })
  escalationShare!: number | null;
  @ApiProperty() reopened!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'reopened / resolved.' }) reopenShare!:
    number | null;
}

export class ComplianceDto {
  @ApiProperty() met!: number;
  @ApiProperty() breached!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'met / (met + breached).' })
  compliance!: number | null;
}

export class SourceVerdictDto {
  @ApiProperty({
    description: 'Resolution evaluations stopped in the window whose source has a verdict.',
  })
  n!: number;
  @ApiProperty() sourceMet!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'sourceMet / n.' }) sourceCompliance!:
    number | null;
  @ApiProperty() agree!: number;
  @ApiProperty() disagree!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'agree / n.' }) agreementRate!:
    number | null;
  @ApiProperty({ description: 'Of the n, those our resolution clock says met.' }) ourMet!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'ourMet / n: ours over the same incidents.' })
  ourCompliance!: number | null;
}

export class SlaFiguresDto {
  @ApiProperty({ type: ComplianceDto }) resolution!: ComplianceDto;
  @ApiProperty({ type: ComplianceDto }) response!: ComplianceDto;
  @ApiProperty({ type: SourceVerdictDto }) sourceVerdict!: SourceVerdictDto;
}

export class VolumeFiguresDto {
  @ApiProperty() opened!: number;
  @ApiProperty() restored!: number;
}

export class BacklogFigureDto {
  @ApiProperty({ description: 'Open at the end of the window.' }) n!: number;
}

export class FiguresDto {
  @ApiProperty({ type: WindowDto }) window!: WindowDto;
  @ApiProperty({ type: DurationFigureDto }) mtrs!: DurationFigureDto;
  @ApiProperty({ type: DurationFigureDto }) mtta!: DurationFigureDto;
  @ApiProperty({ type: FirstTimeResolutionDto }) firstTimeResolution!: FirstTimeResolutionDto;
  @ApiProperty({ type: SlaFiguresDto }) sla!: SlaFiguresDto;
  @ApiProperty({ type: VolumeFiguresDto }) volume!: VolumeFiguresDto;
  @ApiProperty({ type: BacklogFigureDto }) backlog!: BacklogFigureDto;
}

export class SummaryDto extends FiguresDto {
  @ApiProperty({ type: FiguresDto, description: 'The same figures for the window just before.' })
  previous!: FiguresDto;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When derived figures last caught up.',
  })
  refreshedAt!: string | null;
}

export class SlaPriorityRowDto {
  @ApiProperty() priority!: number;
  @ApiProperty() met!: number;
  @ApiProperty() breached!: number;
  @ApiProperty({ type: Number, nullable: true }) compliance!: number | null;
  @ApiProperty({ description: 'Incidents the source itself says met.' }) sourceMet!: number;
  @ApiProperty({ description: 'Incidents with a source verdict.' }) sourceN!: number;
}

export class SlaByPriorityDto {
  @ApiProperty({ type: [SlaPriorityRowDto] }) rows!: SlaPriorityRowDto[];
}

export class BreakdownRowDto extends FiguresDto {
  @ApiProperty({ description: "The field's value: a priority as a string, or a name ('(none)' when missing)." })
  key!: string;
}

export class BreakdownDto {
  @ApiProperty({ enum: BREAKDOWN_KEYS }) by!: BreakdownKey;
  @ApiProperty({ type: [BreakdownRowDto] }) rows!: BreakdownRowDto[];
  @ApiProperty({
    description: 'Keys with restorations or openings in the window left out by `top`.',
  })
  omitted!: number;
  @ApiProperty({ nullable: true, type: String }) refreshedAt!: string | null;
}

export class VolumeSeriesDto {
  @ApiProperty() key!: string;
  @ApiProperty({ type: [Number] }) counts!: number[];
}

export class VolumeDto {
  @ApiProperty({ enum: INTERVALS }) interval!: Interval;
  @ApiProperty({ type: [String], description: 'First local date of each bucket.' })
  buckets!: string[];
  @ApiProperty({ type: [VolumeSeriesDto] }) series!: VolumeSeriesDto[];
}

export class FlowDto {
  @ApiProperty({ enum: INTERVALS }) interval!: Interval;
  @ApiProperty({ type: [String] }) buckets!: string[];
  @ApiProperty({ type: [Number] }) opened!: number[];
  @ApiProperty({ type: [Number] }) restored!: number[];
  @ApiProperty({ type: [Number], description: 'Backlog at the end of each bucket.' })
  backlog!: number[];
}

export class AgingBucketDto {
  @ApiProperty({ enum: ['<1d', '1-3d', '3-7d', '7-30d', '>30d'] }) bucket!: string;
  @ApiProperty() n!: number;
}

export class AgingDto {
  @ApiProperty({ description: 'The instant the backlog is taken at: the end of the window.' })
  at!: string;
  @ApiProperty({ type: [AgingBucketDto] }) buckets!: AgingBucketDto[];
}

export class SourceCountDto {
  @ApiProperty() name!: string;
  @ApiProperty() incidents!: number;
}

const NOT_FUTURE = 'The latest not after now (a time in the future is a mistake in the data), or the latest of all when every one is in the future.';

export class ExtentDto {
  @ApiProperty({ type: String, nullable: true }) openedFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, description: NOT_FUTURE }) openedTo!: string | null;
  @ApiProperty({ type: String, nullable: true }) restoredFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, description: NOT_FUTURE }) restoredTo!: string | null;
}

export class FiltersDto {
  @ApiProperty({ type: [SourceCountDto] }) sources!: SourceCountDto[];
  @ApiProperty({ type: [String] }) categories!: string[];
  @ApiProperty({ type: [String] }) assignmentGroups!: string[];
  @ApiProperty({ type: [Number] }) priorities!: number[];
  @ApiProperty({ type: ExtentDto }) extent!: ExtentDto;
}
