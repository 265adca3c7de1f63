import { Injectable } from '@nestjs/common';
import { RefreshService } from '../refresh/refresh.service';
import { badParameter, FigureSql } from './figures.sql';
import {
  AgingDto,
  FilterQueryDto,
  FiguresDto,
  FiltersDto,
  FlowDto,
  SeriesQueryDto,
  SlaByPriorityDto,
  SummaryDto,
  VolumeDto,
  VolumeQueryDto,
} from './metrics.dto';
import {
  bucketCount,
  defaultInterval,
  Interval,
  MAX_BUCKETS,
  previousWindow,
} from './report-window';

/** One row of summary.sql: the figures of one window. */
interface SummaryRow {
  period: 'current' | 'previous';
  mtrs_mean_hours: number | null;
  mtrs_median_hours: number | null;
  mtrs_p90_hours: number | null;
  mtrs_n: number;
  mtta_mean_hours: number | null;
  mtta_median_hours: number | null;
  mtta_p90_hours: number | null;
  mtta_n: number;
  resolved: number;
  first_time: number;
  escalated: number;
  reopened: number;
  opened: number;
  backlog: number;
  resolution_met: number;
  resolution_breached: number;
  response_met: number;
  response_breached: number;
  verdict_n: number;
  verdict_source_met: number;
  verdict_agree: number;
  verdict_disagree: number;
}

/** `part / whole`, or null over nothing. */
function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/**
 * The bound parameters every figure query takes: the window (local dates in `tz`) and the
 * filters, null when not given. `prev_from`/`prev_to` are null unless the previous window is wanted.
 */
export function figureParams(query: FilterQueryDto): Record<string, unknown> {
  return {
    from: query.from,
    to: query.to,
    prev_from: null,
    prev_to: null,
    tz: query.tz,
    source: query.source ?? null,
    priority: query.priority ?? null,
    category: query.category ?? null,
    assignment_group: query.assignmentGroup ?? null,
  };
}

/** The figures of METRICS.md over a window and filters, each computed in PostgreSQL. */
@Injectable()
export class MetricsService {
  constructor(
    private readonly sql: FigureSql,
    private readonly refresh: RefreshService,
  ) {}

  /** Every headline figure for the window and for the window of equal length just before it. */
  async summary(query: FilterQueryDto): Promise<SummaryDto> {
    const previous = previousWindow(query);
    const [rows, refreshedAt] = await Promise.all([
      this.sql.query<SummaryRow>('summary.sql', {
        ...figureParams(query),
        prev_from: previous.from,
        prev_to: previous.to,
      }),
      this.refresh.lastRefreshedAt(),
    ]);
    const byPeriod = new Map(rows.map((row) => [row.period, row]));
    return {
      ...figures(byPeriod.get('current')!, { from: query.from, to: query.to, tz: query.tz }),
      previous: figures(byPeriod.get('previous')!, { ...previous, tz: query.tz }),
      refreshedAt: refreshedAt ? new Date(refreshedAt).toISOString() : null,
    };
  }

  /** Our resolution compliance beside the source's verdict, per priority. */
  async slaByPriority(query: FilterQueryDto): Promise<SlaByPriorityDto> {
    const rows = await this.sql.query<{
      priority: number;
      met: number;
      breached: number;
      compliance: number | null;
      source_met: number;
      source_n: number;
    }>('sla-by-priority.sql', figureParams(query));
    return {
      rows: rows.map((row) => ({
        priority: row.priority,
        met: row.met,
        breached: row.breached,
        compliance: row.compliance,
        sourceMet: row.source_met,
        sourceN: row.source_n,
      })),
    };
  }

  /** Incidents opened per bucket, split by one field. */
  async volume(query: VolumeQueryDto): Promise<VolumeDto> {
    const interval = seriesInterval(query);
    const params = { ...figureParams(query), interval, by: query.by, top: query.top };
    const [buckets, rows] = await Promise.all([
      this.buckets(query, interval),
      this.sql.query<{ key: string; counts: number[] }>('volume.sql', params),
    ]);
    return { interval, buckets, series: rows.map((row) => ({ key: row.key, counts: row.counts })) };
  }

  /** Opened, restored and the backlog at the end of each bucket. */
  async flow(query: SeriesQueryDto): Promise<FlowDto> {
    const interval = seriesInterval(query);
    const rows = await this.sql.query<{
      period: string;
      opened: number;
      restored: number;
      backlog: number;
    }>('flow.sql', { ...figureParams(query), interval });
    return {
      interval,
      buckets: rows.map((row) => row.period),
      opened: rows.map((row) => row.opened),
      restored: rows.map((row) => row.restored),
      backlog: rows.map((row) => row.backlog),
    };
  }

  /** The backlog at the end of the window by age. */
  async aging(query: FilterQueryDto): Promise<AgingDto> {
    const rows = await this.sql.query<{ bucket: string; n: number; at: Date }>(
      'aging.sql',
      figureParams(query),
    );
    return {
      at: new Date(rows[0].at).toISOString(),
      buckets: rows.map((row) => ({ bucket: row.bucket, n: row.n })),
    };
  }

  /** What the filter bar offers, and the extent of the data. */
  async filters(): Promise<FiltersDto> {
    const [row] = await this.sql.query<{
      sources: { name: string; incidents: number }[];
      categories: string[];
      assignment_groups: string[];
      opened_from: Date | null;
      opened_to: Date | null;
      restored_from: Date | null;
      restored_to: Date | null;
    }>('filters.sql', {});
    const iso = (at: Date | null) => (at ? new Date(at).toISOString() : null);
    return {
      sources: row.sources,
      categories: row.categories,
      assignmentGroups: row.assignment_groups,
      priorities: [1, 2, 3, 4, 5],
      extent: {
        openedFrom: iso(row.opened_from),
        openedTo: iso(row.opened_to),
        restoredFrom: iso(row.restored_from),
        restoredTo: iso(row.restored_to),
      },
    };
  }

  private async buckets(query: FilterQueryDto, interval: Interval): Promise<string[]> {
    const rows = await this.sql.query<{ period: string }>('bucket-list.sql', {
      from: query.from,
      to: query.to,
      tz: query.tz,
      interval,
    });
    return rows.map((row) => row.period);
  }
}

/** The interval asked for, or the default for the window; 400 when it makes too many buckets. */
function seriesInterval(query: SeriesQueryDto): Interval {
  const interval = query.interval ?? defaultInterval(query);
  const count = bucketCount(query, interval);
  if (count > MAX_BUCKETS) {
    throw badParameter(
      'interval',
      `${interval} makes ${count} buckets, more than ${MAX_BUCKETS}; choose a longer interval or a shorter window`,
    );
  }
  return interval;
}

function figures(row: SummaryRow, window: { from: string; to: string; tz: string }): FiguresDto {
  const resolutionTotal = row.resolution_met + row.resolution_breached;
  const responseTotal = row.response_met + row.response_breached;
  return {
    window,
    mtrs: {
      meanHours: row.mtrs_mean_hours,
      medianHours: row.mtrs_median_hours,
      p90Hours: row.mtrs_p90_hours,
      n: row.mtrs_n,
    },
    mtta: {
      meanHours: row.mtta_mean_hours,
      medianHours: row.mtta_median_hours,
      p90Hours: row.mtta_p90_hours,
      n: row.mtta_n,
    },
    firstTimeResolution: {
      rate: share(row.first_time, row.resolved),
      firstTime: row.first_time,
      resolved: row.resolved,
      escalated: row.escalated,
      escalationShare: share(row.escalated, row.resolved),
      reopened: row.reopened,
      reopenShare: share(row.reopened, row.resolved),
    },
    sla: {
      resolution: {
        met: row.resolution_met,
        breached: row.resolution_breached,
        compliance: share(row.resolution_met, resolutionTotal),
      },
      response: {
        met: row.response_met,
        breached: row.response_breached,
        compliance: share(row.response_met, responseTotal),
      },
      sourceVerdict: {
        n: row.verdict_n,
        sourceMet: row.verdict_source_met,
        sourceCompliance: share(row.verdict_source_met, row.verdict_n),
        agree: row.verdict_agree,
        disagree: row.verdict_disagree,
        agreementRate: share(row.verdict_agree, row.verdict_n),
      },
    },
    volume: { opened: row.opened, restored: row.resolved },
    backlog: { n: row.backlog },
  };
}
