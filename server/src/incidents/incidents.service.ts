import { Injectable, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { FigureSql, unknownZone } from '../metrics/figures.sql';
import { figureParams, seriesFilters } from '../metrics/metrics.service';
import { RollupsService } from '../rollups/rollups.service';
import { INCIDENT_FIGURES, WALK_BOUNDS } from './incident-figures';
import {
  IncidentDetailDto,
  IncidentEventDto,
  IncidentListDto,
  IncidentListQueryDto,
  SlaEvaluationDto,
} from './incidents.dto';

interface ListRow {
  source: string;
  external_id: string;
  opened_at: Date;
  restored_at: Date | null;
  priority: number;
  category: string | null;
  assignment_group: string | null;
  status: string | null;
  ttr_hours: number | null;
}

/** Incidents walked at most in the list's order to find a page (incident-list.sql). */
const MAX_WALK = 40_000;

/**
 * How many incidents within the filters incident-list.sql walks in the list's order to find the
 * page, or 0 to read the whole population: four times what the page needs if the population were
 * spread evenly over the incidents, taken as those opened in the window when there are more of
 * them than the population has rows. Each one walked is a lookup of its clock or row (10-20 us
 * cached, up to 0.2 ms not), so a walk longer than MAX_WALK is not tried: the population is then
 * a small part of the incidents (less than one in 200 for a page of 50), and is read whole.
 */
function walkLength(query: IncidentListQueryDto, total: number, opened: number): number {
  // The backlog reads its own short index ranges (populations/backlog.sql), whole in 31-41 ms
  // for a year's end at 10 M incidents, while walks from the data's start met incidents long
  // restored (0.46-0.79 s in all).
  if (INCIDENT_FIGURES[query.figure].population === 'backlog') return 0;
  const length = Math.ceil((4 * (query.offset + query.limit) * Math.max(opened, total)) / total);
  return length <= MAX_WALK ? Math.max(length, 200) : 0;
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
  constructor(
    private readonly sql: FigureSql,
    private readonly rollups: RollupsService,
  ) {}

  /**
   * One page of the incidents counted by `query.figure`, with their total: the figure's n in the
   * summary, from the rollups (exact as of now, as the page is). Counting the population's rows
   * took most of a year's SLA list at 10 M incidents (6.3 s of a breached list's 15 s). The page
   * is read only when it can hold a row.
   */
  async list(query: IncidentListQueryDto): Promise<IncidentListDto> {
    const { population, tag, n } = INCIDENT_FIGURES[query.figure];
    const summary = await this.rollups
      .summary({ from: query.from, to: query.to, ...seriesFilters(query) }, { percentiles: false })
      .catch((error: unknown) => {
        throw unknownZone(error, query.tz) ?? error;
      });
    const total = n(summary);
    const bounds = WALK_BOUNDS[population];
    const slaVersion = bounds.opened === 'before-clocks' ? await this.slaVersion() : null;
    const page = (walk: number, fallback: boolean) =>
      this.sql.query<ListRow>(
        'incident-list.sql',
        {
          ...figureParams(query),
          tag,
          sort: query.sort,
          limit: query.limit,
          offset: query.offset,
          walk,
          fallback,
          walk_opened: bounds.opened,
          walk_restored: bounds.restored,
          walk_opened_from: bounds.openedFrom,
          sla_version: slaVersion,
        },
        { population },
      );
    let rows: ListRow[] = [];
    if (query.offset < total) {
      // A walk as long as the population's share of the incidents suggests, then longer ones, up
      // to MAX_WALK, then the whole population: the population is sparser at the data's ends (a
      // year's breached clocks newest first: 10 000 incidents walked were too few, 30 000 enough;
      // by priority down, the P5s opened last restore after the year's end).
      const walk = walkLength(query, total, summary.volume.opened);
      const walks = walk === 0 ? [0] : [...new Set([walk, Math.min(MAX_WALK, 16 * walk), MAX_WALK])];
      const wanted = Math.min(query.limit, total - query.offset);
      for (const [i, length] of walks.entries()) {
        rows = await page(length, i === walks.length - 1);
        if (rows.length >= wanted) break;
      }
    }
    return {
      figure: query.figure,
      total,
      items: rows.map((row) => ({
        source: row.source,
        externalId: row.external_id,
        openedAt: iso(row.opened_at)!,
        restoredAt: iso(row.restored_at),
        priority: row.priority,
        category: row.category,
        assignmentGroup: row.assignment_group,
        status: row.status,
        ttrHours: row.ttr_hours,
      })),
    };
  }

  /** The last incident version the SLA engine has evaluated (its watermark), as text; '0' before its first pass. */
  private async slaVersion(): Promise<string> {
    const [row] = await this.sql.query<{ version: string }>('sla-version.sql', {});
    return row.version;
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
