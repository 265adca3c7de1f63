import { BadRequestException, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { badParameter } from '../metrics/figures.sql';
import { bucketCount, MAX_BUCKETS } from '../metrics/report-window';
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
}

/**
 * Group keys of the compliance report, each a fixed SQL expression (never user text). Priority is
 * the incident's, as the dashboard's rollups group it, so both give the same counts.
 */
const GROUP_KEYS = {
  priority: `i.priority::text`,
  assignmentGroup: `coalesce(i.assignment_group, '(none)')`,
  category: `coalesce(i.category, '(none)')`,
} as const;

/** The figures read from sla_evaluation: watch list, compliance by period, agreement with the source. */
@Injectable()
export class SlaReportService {
  constructor(private readonly dataSource: DataSource) {}

  /** Open clocks at risk (>= 75 % used) or already breached, as of the last refresh. */
  async watch(query: WatchQueryDto): Promise<{ refreshedAt: string | null; atRisk: WatchRow[]; breached: WatchRow[] }> {
    // Each list is cut at WATCH_LIMIT on its own, so a long breached list never hides the at-risk.
    const rows: WatchSqlRow[] = await this.dataSource.query(
      `select * from (
         select s.name as source, e.external_id, i.priority, i.assignment_group, e.kind,
                e.target_minutes::float8 as target, e.elapsed_minutes::float8 as elapsed, e.due_at,
                e.breached_at, e.status, e.timezone,
                row_number() over (partition by e.status = 'breached'
                                   order by e.due_at nulls last, s.name, e.external_id, e.kind) as n
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
    return {
      refreshedAt: mark?.refreshed_at ? new Date(mark.refreshed_at).toISOString() : null,
      atRisk: rows.filter((r) => r.status !== 'breached').map(toRow),
      breached: rows.filter((r) => r.status === 'breached').map(toRow),
    };
  }

  /** Met, breached and compliance per group and period of stopped clocks; null over none. */
  async compliance(query: ComplianceQueryDto) {
    const { lo, hi } = window(query);
    const interval = query.interval ?? defaultInterval(query.from, query.to);
    const periods = bucketCount(query, interval);
    if (periods > MAX_BUCKETS) {
      throw badParameter(
        'interval',
        `${interval} makes ${periods} periods, more than ${MAX_BUCKETS}; choose a longer interval or a shorter window`,
      );
    }
    const filter = filterSql(query, 6);
    const rows: { bucket: string; key: string; met: number; breached: number }[] = await this.dataSource.query(
      `select to_char(date_trunc($5, e.stopped_at at time zone $4), 'YYYY-MM-DD') as bucket,
              ${GROUP_KEYS[query.groupBy]} as key,
              count(*) filter (where e.status = 'met')::int as met,
              count(*) filter (where e.status = 'breached')::int as breached
       from sla_evaluation e
       join incident i on i.source_id = e.source_id and i.external_id = e.external_id
       join source s on s.id = e.source_id
       where e.kind = $1 and e.stopped_at >= $2 and e.stopped_at < $3 and e.status in ('met', 'breached')
         ${filter.sql}
       group by 1, 2`,
      [query.kind, lo, hi, query.tz, interval, ...filter.params],
    );
    // The engine's stops (see evaluateIncident), from a fixed pair of expressions.
    const stop =
      query.kind === 'resolution'
        ? 'coalesce(i.restored_at, i.closed_at)'
        : 'coalesce(i.acknowledged_at, i.restored_at, i.closed_at)';
    const gapFilter = filterSql(query, 3);
    const [gap] = await this.dataSource.query(
      `select count(*)::int as n
       from incident i join source s on s.id = i.source_id
       where ${stop} < i.opened_at and ${stop} >= $1 and ${stop} < $2
         ${gapFilter.sql}`,
      [lo, hi, ...gapFilter.params],
    );

    const buckets = periodStarts(query.from, query.to, query.tz, interval);
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

  /** Agreement of our resolution verdict with the source's own (ServiceNow made_sla). */
  async agreement(query: SlaFilterDto) {
    const { lo, hi } = window(query);
    const filter = filterSql(query, 4);
    const [r] = await this.dataSource.query(
      `select count(*)::int as n,
              count(*) filter (where (e.status = 'met') = i.source_sla_met)::int as agree,
              count(*) filter (where e.status = 'met')::int as our_met,
              count(*) filter (where i.source_sla_met)::int as source_met
       from sla_evaluation e
       join incident i on i.source_id = e.source_id and i.external_id = e.external_id
       join source s on s.id = e.source_id
       where e.kind = $1 and e.stopped_at >= $2 and e.stopped_at < $3 and e.status in ('met', 'breached')
         and i.source_sla_met is not null
         ${filter.sql}`,
      ['resolution', lo, hi, ...filter.params],
    );
    return {
      n: r.n,
      agree: r.n === 0 ? null : r.agree,
      disagree: r.n === 0 ? null : r.n - r.agree,
      agreementRate: share(r.agree, r.n),
      ourCompliance: share(r.our_met, r.n),
      sourceCompliance: share(r.source_met, r.n),
    };
  }
}

/** Subset filters as bound parameters numbered from `first`; the SQL text is fixed. */
function filterSql(query: SlaFilterDto, first: number): { sql: string; params: unknown[] } {
  const [a, b, c, d] = [first, first + 1, first + 2, first + 3];
  return {
    sql: `and ($${a}::text is null or s.name = $${a})
          and ($${b}::int is null or i.priority = $${b})
          and ($${c}::text is null or i.assignment_group = $${c})
          and ($${d}::text is null or i.category = $${d})`,
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

/** day up to 62 days, week up to 366, else month (the API contract). */
export function defaultInterval(from: string, to: string): 'day' | 'week' | 'month' {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  return days <= 62 ? 'day' : days <= 366 ? 'week' : 'month';
}

/** Local start dates of the periods that meet [from, to), ISO weeks starting Monday. */
export function periodStarts(from: string, to: string, tz: string, interval: 'day' | 'week' | 'month'): string[] {
  const end = DateTime.fromISO(to, { zone: tz });
  const unit = interval === 'week' ? 'week' : interval === 'month' ? 'month' : 'day';
  const starts: string[] = [];
  for (let d = DateTime.fromISO(from, { zone: tz }).startOf(unit); d < end; d = d.plus({ [`${unit}s`]: 1 })) {
    starts.push(d.toISODate()!);
  }
  return starts;
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
