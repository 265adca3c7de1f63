import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsOneOf, IsText, WholeNumberParam } from '../common/validation';
import { FilterQueryDto } from '../metrics/metrics.dto';
import {
  INCIDENT_FIGURE_NAMES,
  INCIDENT_SORTS,
  IncidentFigure,
  IncidentSort,
} from './incident-figures';

/**
 * One incident named in the query rather than the path: an id such as `..` or `.` cannot travel
 * as a path segment (clients and proxies resolve it), whatever its encoding.
 */
export class IncidentKeyQueryDto {
  @ApiProperty({ description: 'Source name.' })
  @IsText({ max: 200 })
  source!: string;

  @ApiProperty({ description: 'The id in the source tool.' })
  @IsText({ max: 500 })
  externalId!: string;
}

/** The figure whose incidents to list, its window and filters, and the page. */
export class IncidentListQueryDto extends FilterQueryDto {
  @ApiProperty({ enum: INCIDENT_FIGURE_NAMES, description: 'The figure whose incidents to list.' })
  @IsOneOf(INCIDENT_FIGURE_NAMES)
  figure!: IncidentFigure;

  @WholeNumberParam({ min: 1, max: 500, default: 50 })
  limit: number = 50;

  @WholeNumberParam({ min: 0, max: 1_000_000_000, default: 0 })
  offset: number = 0;

  @ApiPropertyOptional({
    enum: INCIDENT_SORTS,
    default: 'openedAt',
    description: "A leading '-' sorts descending.",
  })
  @IsOptional()
  @IsOneOf(INCIDENT_SORTS)
  sort: IncidentSort = 'openedAt';
}

export class IncidentListItemDto {
  @ApiProperty() source!: string;
  @ApiProperty() externalId!: string;
  @ApiProperty() openedAt!: string;
  @ApiProperty({ type: String, nullable: true }) restoredAt!: string | null;
  @ApiProperty() priority!: number;
  @ApiProperty({ type: String, nullable: true }) category!: string | null;
  @ApiProperty({ type: String, nullable: true }) assignmentGroup!: string | null;
  @ApiProperty({ type: String, nullable: true }) status!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'restoredAt - openedAt; null when not restored or restored before opening.',
  })
  ttrHours!: number | null;
}

export class IncidentListDto {
  @ApiProperty({ enum: INCIDENT_FIGURE_NAMES }) figure!: IncidentFigure;
  @ApiProperty({
    description: "Incidents behind the figure in all; equals the figure's n in the summary.",
  })
  total!: number;
  @ApiProperty({ type: [IncidentListItemDto] }) items!: IncidentListItemDto[];
}

export class IncidentEventDto {
  @ApiProperty() seq!: number;
  @ApiProperty() at!: string;
  @ApiProperty({ enum: ['status', 'assignment', 'priority', 'escalation', 'update'] })
  kind!: string;
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: String, nullable: true }) to!: string | null;
}

export class SlaEvaluationDto {
  @ApiProperty() targetMinutes!: number;
  @ApiProperty() elapsedMinutes!: number;
  @ApiProperty() pausedMinutes!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "Due time with the calendar zone's offset.",
    example: '2018-11-04T11:00:00.000-02:00',
  })
  dueAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2018-11-04T13:00:00.000Z' }) dueAtUtc!:
    string | null;
  @ApiProperty({ enum: ['met', 'breached', 'running', 'paused'] }) status!: string;
  @ApiProperty({ type: String, nullable: true }) breachedAt!: string | null;
  @ApiProperty({ description: "IANA zone of the policy's calendar." }) timezone!: string;
  @ApiProperty({ type: Number, nullable: true }) policyId!: number | null;
}

export class IncidentSlaDto {
  @ApiProperty({ type: SlaEvaluationDto, nullable: true }) response!: SlaEvaluationDto | null;
  @ApiProperty({ type: SlaEvaluationDto, nullable: true }) resolution!: SlaEvaluationDto | null;
  @ApiProperty({
    description: 'The incident changed after these evaluations were computed; the next refresh recomputes them.',
  })
  pending!: boolean;
}

/** The incident as stored: every column camelCased (sourceId replaced by the source name). */
export class IncidentDetailDto {
  @ApiProperty() source!: string;
  @ApiProperty() externalId!: string;
  @ApiProperty() openedAt!: string;
  @ApiProperty({ type: String, nullable: true }) detectedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) acknowledgedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) restoredAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) status!: string | null;
  @ApiProperty({ type: Number, nullable: true }) impact!: number | null;
  @ApiProperty({ type: Number, nullable: true }) urgency!: number | null;
  @ApiProperty() priority!: number;
  @ApiProperty({ enum: ['stated', 'matrix'] }) priorityOrigin!: string;
  @ApiProperty({ type: String, nullable: true }) category!: string | null;
  @ApiProperty({ type: String, nullable: true }) subcategory!: string | null;
  @ApiProperty({ type: String, nullable: true }) service!: string | null;
  @ApiProperty({ type: String, nullable: true }) configurationItem!: string | null;
  @ApiProperty({ type: String, nullable: true }) assignmentGroup!: string | null;
  @ApiProperty() reassignmentCount!: number;
  @ApiProperty() hierarchicalEscalation!: boolean;
  @ApiProperty() reopenCount!: number;
  @ApiProperty() isMajor!: boolean;
  @ApiProperty({ type: String, nullable: true }) detectionSource!: string | null;
  @ApiProperty({ type: String, nullable: true }) workaround!: string | null;
  @ApiProperty({ type: String, nullable: true }) knowledgeArticle!: string | null;
  @ApiProperty({ type: String, nullable: true }) supplier!: string | null;
  @ApiProperty({ type: String, nullable: true }) closureCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) resolutionNotes!: string | null;
  @ApiProperty({ type: String, nullable: true }) problemId!: string | null;
  @ApiProperty({ type: String, nullable: true }) relatedChange!: string | null;
  @ApiProperty({ type: String, nullable: true }) causedByChange!: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) sourceSlaMet!: boolean | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) attributes!: Record<string, unknown>;
  @ApiProperty() contentHash!: string;
  @ApiProperty({ description: 'Bumped on every change of the incident.' }) version!: number;
  @ApiProperty() firstImportedAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: [IncidentEventDto] }) events!: IncidentEventDto[];
  @ApiProperty({ type: IncidentSlaDto }) sla!: IncidentSlaDto;
}
