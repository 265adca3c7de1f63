import { Injectable } from '@nestjs/common';
import { RefreshService } from '../refresh/refresh.service';
import { RollupsService } from '../rollups/rollups.service';
import { badParameter } from '../common/validation';
import { FigureSql } from './figures.sql';
import {
  AgingDto,
  BreakdownDto,
  BreakdownQueryDto,
  FiguresDto,
  FilterQueryDto,
  FiltersDto,
  FlowDto,
  SeriesQueryDto,
  SlaByPriorityDto,
  SummaryDto,
  VolumeDto,
  VolumeQueryDto,
} from './metrics.dto';
import { SeriesKey } from '../rollups/rollups.series';
import {
  bucketBounds,
  bucketCount,
  bucketStarts,
  DateWindow,
  defaultInterval,
  Interval,
  MAX_BUCKETS,
  previousWindow,
} from './report-window';

/**
 * The bound parameters every figure query takes: the window (local dates in `tz`) and the
 * filters, null when not given.
 */
export function figureParams(query: FilterQueryDto): Record<string, unknown> {
  return {
    from: query.from,
    to: query.to,
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
    private readonly rollups: RollupsService,
  ) {}

  /**
   * Every headline figure for the window and for the window of equal length just before it,
   * answered by the rollups (exact as of now; see docs/performance.md).
   */
  async summary(query: FilterQueryDto): Promise<SummaryDto> {
    const filters = {
      tz: query.tz,
      source: query.source,
      priority: query.priority,
      category: query.category,
      assignmentGroup: query.assignmentGroup,
    };
    const previous = previousWindow(query);
    const [current, before, refreshedAt] = await Promise.all([
      this.rollups.summary({ ...filters, from: query.from, to: query.to }),
      this.rollups.summary({ ...filters, ...previous }),
      this.refresh.lastRefreshedAt(),
    ]);
    return {
      ...current,
      previous: before,
      refreshedAt: refreshedAt ? new Date(refreshedAt).toISOString() : null,
    };
  }

  /**
   * The summary's figures for the window (without the previous one) per value of one field: every
   * priority, or the `top` categories or assignment groups with most restorations in the window
   * (then most openings, then by name). When fewer than `top` had either, the others that exist
   * fill the table by name, kept if they have anything to show (a backlog, a clock stopped): a
   * quiet window still shows where the open work sits. One summary per key from the rollups, in
   * parallel.
   */
  async breakdown(query: BreakdownQueryDto): Promise<BreakdownDto> {
    const filters = seriesFilters(query);
    let keys: string[];
    let fill: string[] = [];
    let omitted = 0;
    if (query.by === 'priority') {
      keys = (query.priority !== undefined ? [query.priority] : [1, 2, 3, 4, 5]).map(String);
    } else if (query[query.by] !== undefined) {
      // A filter on the same field leaves that one value.
      keys = [query[query.by]!];
    } else {
      const { rows } = await this.rollups.series({ ...filters, dates: [query.from, query.to], by: ROLLUP_KEYS[query.by] });
      const active = rows
        .filter((row) => row.opened + row.restored > 0)
        .sort((a, b) => b.restored - a.restored || b.opened - a.opened || byKey(a.key, b.key));
      keys = active.slice(0, query.top).map((row) => row.key);
      omitted = active.length - keys.length;
      if (keys.length < query.top) {
        const { categories, assignmentGroups } = await this.filters();
        const known = new Set(keys);
        const others = (query.by === 'category' ? categories : assignmentGroups).filter((key) => !known.has(key));
        fill = others.slice(0, query.top - keys.length);
        keys = [...keys, ...fill];
      }
    }
    const field = query.by === 'priority' ? 'priority' : query.by;
    const [figures, refreshedAt] = await Promise.all([
      Promise.all(
        keys.map((key) =>
          this.rollups.summary({
            ...filters,
            from: query.from,
            to: query.to,
            [field]: query.by === 'priority' ? Number(key) : key,
          }),
        ),
      ),
      this.refresh.lastRefreshedAt(),
    ]);
    const filled = new Set(fill);
    return {
      by: query.by,
      rows: figures.map((figure, i) => ({ key: keys[i], ...figure })).filter((row) => !filled.has(row.key) || hasAny(row)),
      omitted,
      refreshedAt: refreshedAt ? new Date(refreshedAt).toISOString() : null,
    };
  }

  /** Our resolution compliance beside the source's verdict, per priority. */
  async slaByPriority(query: FilterQueryDto): Promise<SlaByPriorityDto> {
    // The summary's SLA counts once per priority, from the rollups (a year at 1 M incidents: 5 s
    // from the rows before), without the percentiles it does not need.
    const priorities = query.priority !== undefined ? [query.priority] : [1, 2, 3, 4, 5];
    const figures = await Promise.all(
      priorities.map((priority) =>
        this.rollups.summary(
          {
            from: query.from,
            to: query.to,
            tz: query.tz,
            source: query.source,
            priority,
            category: query.category,
            assignmentGroup: query.assignmentGroup,
          },
          { percentiles: false },
        ),
      ),
    );
    return {
      rows: figures.map(({ sla }, i) => ({
        priority: priorities[i],
        met: sla.resolution.met,
        breached: sla.resolution.breached,
        compliance: sla.resolution.compliance,
        sourceMet: sla.sourceVerdict.sourceMet,
        sourceN: sla.sourceVerdict.n,
      })),
    };
  }

  /**
   * Incidents opened per bucket, split by one field: from the rollups for priority, category and
   * assignment group, from the incident rows for the fields they do not keep.
   */
  async volume(query: VolumeQueryDto): Promise<VolumeDto> {
    const interval = seriesInterval(query);
    const buckets = bucketStarts(query, interval);
    const by = ROLLUP_KEYS[query.by];
    const counts: { k: number; key: string; n: number }[] = [];
    if (by) {
      const { rows } = await this.rollups.series({ ...seriesFilters(query), dates: bucketBounds(query, buckets), by });
      for (const row of rows) if (row.opened > 0) counts.push({ k: row.k, key: row.key, n: row.opened });
    } else {
      const index = new Map(buckets.map((b, k) => [b, k]));
      const rows = await this.sql.query<{ period: string; key: string; n: number }>('volume.sql', {
        ...figureParams(query),
        interval,
        by: query.by,
      });
      for (const row of rows) counts.push({ k: index.get(row.period)!, key: row.key, n: row.n });
    }
    return { interval, buckets, series: foldKeys(counts, buckets.length, query.top) };
  }

  /** Opened, restored and the backlog at the end of each bucket, from the rollups. */
  async flow(query: SeriesQueryDto): Promise<FlowDto> {
    const interval = seriesInterval(query);
    const buckets = bucketStarts(query, interval);
    const { rows, backlog } = await this.rollups.series({
      ...seriesFilters(query),
      dates: bucketBounds(query, buckets),
      backlog: true,
    });
    const opened = buckets.map(() => 0);
    const restored = buckets.map(() => 0);
    for (const row of rows) {
      opened[row.k] += row.opened;
      restored[row.k] += row.restored;
    }
    return { interval, buckets, opened, restored, backlog: backlog! };
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
    }>('filters.sql', { absorbed: await this.rollups.absorbedVersion() });
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
}

/** The interval asked for, or the default for the window; 400 when it makes too many buckets. */
export function seriesInterval(query: DateWindow & { interval?: Interval }, buckets = 'buckets'): Interval {
  const interval = query.interval ?? defaultInterval(query);
  const count = bucketCount(query, interval);
  if (count > MAX_BUCKETS) {
    // Month is the longest interval: past 305 years only a shorter window helps.
    const remedy = interval === 'month' ? 'choose a shorter window' : 'choose a longer interval or a shorter window';
    throw badParameter('interval', `${interval} makes ${count} ${buckets}, more than ${MAX_BUCKETS}; ${remedy}`);
  }
  return interval;
}

/** The split fields the rollups keep, as their columns; the others read the incident rows. */
const ROLLUP_KEYS = {
  priority: 'priority',
  category: 'category',
  assignmentGroup: 'assignment_group',
  service: undefined,
  detectionSource: undefined,
} as const satisfies Record<VolumeQueryDto['by'], SeriesKey | undefined>;

/** The filters of a series query as the rollups take them. */
export function seriesFilters(query: FilterQueryDto) {
  return {
    tz: query.tz,
    source: query.source,
    priority: query.priority,
    category: query.category,
    assignmentGroup: query.assignmentGroup,
  };
}

/**
 * Counts per bucket index and key as one series per key: the `top` keys with most incidents over
 * the window (ties by key) keep their own, the rest are summed into '(other)', which comes last.
 * Keys without any incident are left out; every series has a count for every bucket.
 */
export function foldKeys(counts: { k: number; key: string; n: number }[], buckets: number, top: number) {
  const totals = new Map<string, number>();
  for (const { key, n } of counts) totals.set(key, (totals.get(key) ?? 0) + n);
  const ranked = [...totals.entries()]
    .filter(([, total]) => total > 0)
    .sort(([a, x], [b, y]) => y - x || byKey(a, b))
    .map(([key]) => key);
  const kept = new Set(ranked.slice(0, top));
  const series = new Map<string, number[]>();
  for (const key of [...ranked.slice(0, top), ...(ranked.length > top ? ['(other)'] : [])]) {
    series.set(key, Array.from({ length: buckets }, () => 0));
  }
  for (const { k, key, n } of counts) {
    const into = series.get(kept.has(key) ? key : '(other)');
    if (into) into[k] += n;
  }
  return [...series.entries()].map(([key, values]) => ({ key, counts: values }));
}

/** Whether a key's figures count anything: an opening, a restoration, a backlog, a clock stopped. */
function hasAny(figures: FiguresDto): boolean {
  const { volume, backlog, mtta, sla } = figures;
  return (
    volume.opened + volume.restored + backlog.n + mtta.n + sla.resolution.met + sla.resolution.breached +
      sla.response.met + sla.response.breached >
    0
  );
}

/** Ties between keys go by code point, the same on every machine whatever its locale. */
function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
