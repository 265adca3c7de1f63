import { BadRequestException, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { seriesFilters, seriesInterval } from '../metrics/metrics.service';
import { bucketBounds, bucketStarts } from '../metrics/report-window';
import { RollupsService } from '../rollups/rollups.service';
import { AT_RISK_SHARE } from './sla.clock';
import { ComplianceQueryDto, SlaFilterDto, WatchQueryDto } from './sla.dto';

/** One open clock on the watch list. */
export interface WatchRow {
  source: string;
  externalId: string;
  priority: number;
  assignmentGroup: string | null;
  kind: 'response' | 'resolution';
  targetMinutes: number;
  elapsedMinutes: number;
  usedShare: number;
  dueAt: string | null;
  projectedBreachAt: string | null;
  breachedAt: string | null;
}

/** Rows per watch list. */
const WATCH_LIMIT = 500;

interface WatchSqlRow {
  source: string;
  external_id: string;
  priority: number;
  assignment_group: string | null;
  kind: 'response' | 'resolution';
  target: number;
  elapsed: number;
  due_at: Date | null;
  breached_at: Date | null;
  status: string;
  timezone: string;
  /** Clocks in this row's list (breached, or at risk) before the list is cut at WATCH_LIMIT. */
  total: number;
}

/** The compliance report's groups as the rollups' columns; priority is the incident's. */
const GROUP_KEYS = {
  priority: 'priority',
  assignmentGroup: 'assignment_group',
  category: 'category',
} as const;

/** The figures read from sla_evaluation: watch list, compliance by period, agreement with the source. */
@Injectable()
export class SlaReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rollups: RollupsService,
  ) {}

  /** Open clocks at risk (>= 75 % used) or already breached, as of the last refresh. */
  async watch(
    query: WatchQueryDto,
  ): Promise<{ refreshedAt: string | null; atRisk: WatchRow[]; breached: WatchRow[]; atRiskTotal: number; breachedTotal: number }> {
    // Each list is cut at WATCH_LIMIT on its own, so a long breached list never hides the at-risk.
    const rows: WatchSqlRow[] = await this.dataSource.query(
      `select * from (
         select s.name as source, e.external_id, i.priority, i.assignment_group, e.kind,
                e.target_minutes::float8 as target, e.elapsed_minutes::float8 as elapsed, e.due_at,
                e.breached_at, e.status, e.timezone,
                row_number() over (partition by e.status = 'breached'
                                   order by e.due_at nulls last, s.name, e.external_id, e.kind) as n,
                count(*) over (partition by e.status = 'breached')::int as total
         from sla_evaluation e
         join incident i on i.source_id = e.source_id and i.external_id = e.external_id
         join source s on s.id = e.source_id
         where e.stopped_at is null
           and (e.status = 'breached' or e.elapsed_minutes >= e.target_minutes * $1)
           and ($2::text is null or s.name = $2)
           and ($3::int is null or i.priority = $3)
           and ($4::text is null or i.assignment_group = $4)
       ) w
       where n <= $5
       order by n`,
      [AT_RISK_SHARE, query.source ?? null, query.priority ?? null, query.assignmentGroup ?? null, WATCH_LIMIT],
    );
    const [mark]: { refreshed_at: Date | null }[] = await this.dataSource.query(
      `select refreshed_at from derived_watermark where name = 'sla'`,
    );

    const toRow = (r: WatchSqlRow): WatchRow => {
      const breached = r.status === 'breached';
      return {
        source: r.source,
        externalId: r.external_id,
        priority: r.priority,
        assignmentGroup: r.assignment_group,
        kind: r.kind,
        targetMinutes: r.target,
        elapsedMinutes: r.elapsed,
        usedShare: r.elapsed / r.target,
        dueAt: localIso(r.due_at, r.timezone),
        projectedBreachAt: breached ? null : localIso(r.due_at, r.timezone),
        breachedAt: localIso(r.breached_at, r.timezone),
      };
    };
    const atRisk = rows.filter((r) => r.status !== 'breached');
    const breached = rows.filter((r) => r.status === 'breached');
    return {
      refreshedAt: mark?.refreshed_at ? new Date(mark.refreshed_at).toISOString() : null,
      atRisk: atRisk.map(toRow),
      breached: breached.map(toRow),
      // How many each list holds before its cut: the page said 500 where thousands were breached.
      atRiskTotal: atRisk[0]?.total ?? 0,
      breachedTotal: breached[0]?.total ?? 0,
    };
  }

  /** Met, breached and compliance per group and period of stopped clocks; null over none. */
  async compliance(query: ComplianceQueryDto) {
    const { lo, hi } = window(query);
    const interval = seriesInterval(query, 'periods');
    const buckets = bucketStarts(query, interval);
    // Clocks stopped per bucket and key from the rollups (a year at 1 M incidents took 1.6 s from
    // the evaluations joined to their incidents).
    const counted = await this.rollups.series({
      dates: bucketBounds(query, buckets),
      tz: query.tz,
      source: query.source,
      priority: query.priority,
      category: query.category,
      assignmentGroup: query.assignmentGroup,
      by: GROUP_KEYS[query.groupBy],
    });
    const rows = counted.rows
      .map((r) => ({
        bucket: buckets[r.k],
        key: r.key,
        met: query.kind === 'resolution' ? r.resolution_met : r.response_met,
        breached: query.kind === 'resolution' ? r.resolution_breached : r.response_breached,
      }))
      .filter((r) => r.met + r.breached > 0);
    // The engine's stops (see evaluateIncident), from a fixed pair of expressions.
    const stop =
      query.kind === 'resolution'
        ? 'coalesce(i.restored_at, i.closed_at)'
        : 'coalesce(i.acknowledged_at, i.restored_at, i.closed_at)';
    // Read through a partial index of just those incidents (sql/052), whose predicate this repeats.
    const gapFilter = filterSql(query, 3);
    const [gap] = await this.dataSource.query(
      `select count(*)::int as n
       from incident i join source s on s.id = i.source_id
       where ${stop} < i.opened_at and ${stop} >= $1 and ${stop} < $2
         ${gapFilter.sql}`,
      [lo, hi, ...gapFilter.params],
    );

    const keys = [...new Set(rows.map((r) => r.key))].sort((a, b) =>
      query.groupBy === 'priority' ? Number(a) - Number(b) : total(rows, b) - total(rows, a) || a.localeCompare(b),
    );
    const series = keys.map((key) => {
      const byBucket = new Map(rows.filter((r) => r.key === key).map((r) => [r.bucket, r]));
      const met = buckets.map((b) => byBucket.get(b)?.met ?? 0);
      const breached = buckets.map((b) => byBucket.get(b)?.breached ?? 0);
      return { key, met, breached, compliance: met.map((m, i) => share(m, m + breached[i])) };
    });
    const totals = series.map((s) => {
      const met = sum(s.met);
      const breached = sum(s.breached);
      return { key: s.key, met, breached, compliance: share(met, met + breached) };
    });
    // Incidents whose stop precedes their opening have no evaluation; they are counted here as
    // the data-quality gap they are, never as met or breached.
    const met = sum(totals.map((t) => t.met));
    const breached = sum(totals.map((t) => t.breached));
    return {
      interval,
      buckets,
      series,
      totals,
      overall: { met, breached, compliance: share(met, met + breached) },
      excluded: { stopBeforeOpened: gap.n },
    };
  }

  /**
   * Agreement of our resolution verdict with the source's own (ServiceNow made_sla), over the
   * clocks stopped in the window whose source has a verdict: the summary's counts from the rollups.
   */
  async agreement(query: SlaFilterDto) {
    window(query);
    const { sla } = await this.rollups.summary({ from: query.from, to: query.to, ...seriesFilters(query) }, { percentiles: false });
    const verdict = sla.sourceVerdict;
    return {
      n: verdict.n,
      // Counts are 0 over no verdicts, as compliance's met and breached are; only rates are null.
      agree: verdict.agree,
      disagree: verdict.disagree,
      agreementRate: verdict.agreementRate,
      ourCompliance: verdict.ourCompliance,
      sourceCompliance: verdict.sourceCompliance,
    };
  }

}

/**
 * Subset filters as bound parameters numbered from `first`; the SQL text is fixed. The group or
 * category '(none)' (a series' key for missing values) matches incidents without one, as the
 * other figures' filters do.
 */
function filterSql(query: SlaFilterDto, first: number): { sql: string; params: unknown[] } {
  const [a, b, c, d] = [first, first + 1, first + 2, first + 3];
  return {
    sql: `and ($${a}::text is null or s.name = $${a})
          and ($${b}::int is null or i.priority = $${b})
          and ($${c}::text is null or i.assignment_group = $${c}
               or ($${c} = '(none)' and i.assignment_group is null))
          and ($${d}::text is null or i.category = $${d} or ($${d} = '(none)' and i.category is null))`,
    params: [query.source ?? null, query.priority ?? null, query.assignmentGroup ?? null, query.category ?? null],
  };
}

/** [from 00:00, to 00:00) in the report's zone, as instants. */
function window(query: SlaFilterDto): { lo: string; hi: string } {
  const lo = DateTime.fromISO(query.from, { zone: query.tz });
  const hi = DateTime.fromISO(query.to, { zone: query.tz });
  if (hi <= lo) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: 'to: must be after from',
      parameters: [{ parameter: 'to', problems: ['must be after from'] }],
    });
  }
  return { lo: lo.toUTC().toISO()!, hi: hi.toUTC().toISO()! };
}

/** An instant as ISO 8601 with the offset of the given zone. */
export function localIso(value: Date | string | null, timezone: string): string | null {
  if (value === null || value === undefined) return null;
  return DateTime.fromJSDate(new Date(value), { zone: timezone }).toISO();
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function total(rows: { key: string; met: number; breached: number }[], key: string): number {
  return rows.filter((r) => r.key === key).reduce((a, r) => a + r.met + r.breached, 0);
}
