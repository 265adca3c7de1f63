import { Injectable, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { FigureSql } from '../metrics/figures.sql';
import { figureParams } from '../metrics/metrics.service';
import { INCIDENT_FIGURES } from './incident-figures';
import {
  IncidentDetailDto,
  IncidentEventDto,
  IncidentListDto,
  IncidentListQueryDto,
  SlaEvaluationDto,
} from './incidents.dto';

interface ListRow {
  total: number;
  source: string | null;
  external_id: string | null;
  opened_at: Date | null;
  restored_at: Date | null;
  priority: number | null;
  category: string | null;
  assignment_group: string | null;
  status: string | null;
  ttr_hours: number | null;
}

/** An sla_evaluation as incident-detail.sql returns it (JSON: times are strings). */
interface EvaluationJson {
  targetMinutes: number;
  elapsedMinutes: number;
  pausedMinutes: number;
  dueAt: string | null;
  status: string;
  breachedAt: string | null;
  timezone: string;
  policyId: number | null;
}

/** Columns of incident-detail.sql that are not shown as they are. */
const HIDDEN_COLUMNS = new Set(['source_id', 'events', 'sla', 'sla_pending']);

const camel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const iso = (at: Date | string | null) => (at === null ? null : new Date(at).toISOString());

/** The incidents behind each figure, and one incident with its history and SLA clocks. */
@Injectable()
export class IncidentsService {
  constructor(private readonly sql: FigureSql) {}

  /** One page of the incidents counted by `query.figure`, with their total. */
  async list(query: IncidentListQueryDto): Promise<IncidentListDto> {
    const { population, tag } = INCIDENT_FIGURES[query.figure];
    const rows = await this.sql.query<ListRow>(
      'incident-list.sql',
      { ...figureParams(query), tag, sort: query.sort, limit: query.limit, offset: query.offset },
      { population },
    );
    return {
      figure: query.figure,
      total: rows[0]?.total ?? 0,
      items: rows
        .filter((row) => row.external_id !== null)
        .map((row) => ({
          source: row.source!,
          externalId: row.external_id!,
          openedAt: iso(row.opened_at)!,
          restoredAt: iso(row.restored_at),
          priority: row.priority!,
          category: row.category,
          assignmentGroup: row.assignment_group,
          status: row.status,
          ttrHours: row.ttr_hours,
        })),
    };
  }

  /** The incident as stored, its events in order and its SLA evaluations; 404 when unknown. */
  async detail(source: string, externalId: string): Promise<IncidentDetailDto> {
    const [row] = await this.sql.query<Record<string, unknown>>('incident-detail.sql', {
      source,
      external_id: externalId,
    });
    if (!row) throw new NotFoundException(`No incident ${externalId} in source ${source}`);

    const incident: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      if (HIDDEN_COLUMNS.has(column)) continue;
      incident[camel(column)] = value instanceof Date ? value.toISOString() : value;
    }
    incident.version = Number(row.version);

    const events = (
      row.events as {
        seq: number;
        at: string;
        kind: string;
        from: string | null;
        to: string | null;
      }[]
    ).map((event): IncidentEventDto => ({ ...event, at: iso(event.at)! }));
    const sla = (row.sla ?? {}) as Record<string, EvaluationJson>;
    return {
      ...(incident as unknown as IncidentDetailDto),
      events,
      sla: { response: evaluation(sla.response), resolution: evaluation(sla.resolution), pending: row.sla_pending === true },
    };
  }
}

/** An evaluation with its due time shown in the calendar's own zone (and in UTC). */
function evaluation(json: EvaluationJson | undefined): SlaEvaluationDto | null {
  if (!json) return null;
  const due = json.dueAt === null ? null : DateTime.fromISO(json.dueAt, { setZone: true });
  return {
    targetMinutes: Number(json.targetMinutes),
    elapsedMinutes: Number(json.elapsedMinutes),
    pausedMinutes: Number(json.pausedMinutes),
    dueAt: due ? due.setZone(json.timezone).toISO() : null,
    dueAtUtc: due ? due.toUTC().toISO() : null,
    status: json.status,
    breachedAt: iso(json.breachedAt),
    timezone: json.timezone,
    policyId: json.policyId,
  };
}
