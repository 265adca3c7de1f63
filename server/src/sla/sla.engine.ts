/**
 * The SLA engine: evaluates the response and resolution clocks of incidents in batches and writes
 * them to sla_evaluation, which the dashboard's figures and the per-incident view both read.
 *
 * Why the clock is computed in TypeScript and not in SQL: a clock is a sequential walk over one
 * incident's status and priority history (pauses, restorations, reopens, target changes) on a
 * calendar whose working hours are local times in an IANA zone, plus a forward walk of working
 * time for the due instant. luxon turns local hours into real instants (23- and 25-hour days
 * included) with one well-tested implementation; the same in SQL needs a precomputed table of
 * working intervals per calendar and recursive queries for the forward walk, and keeps two copies
 * of the DST rules in step. The work per incident is a few microseconds; what costs at 10 M
 * incidents is I/O, so the engine never does per-incident queries: it reads keyset pages of
 * incidents with their events aggregated in the same query (PAGE_SIZE at a time), evaluates them
 * in memory, and writes each page with one multi-row upsert from arrays (unnest). The figures
 * themselves (compliance, agreement, watch) are then plain SQL over sla_evaluation.
 */
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildKeptIndexes, dropSecondaryIndexes, SessionQuery } from '../database/indexes';
import { isReadableInstant } from '../imports/import.time';
import { CalendarSpec } from './sla.calendar';
import { AT_RISK_SHARE, ClockEvent, ClockResult, evaluateClock, SlaKind, timelinesFromEvents } from './sla.clock';
import { PolicySpec, SlaRules } from './sla.model';
import {
  CHANGED_PAGE,
  DELETE_EVALUATIONS,
  LOAD_CALENDARS,
  LOAD_POLICIES,
  OPEN_PAGE,
  POLICY_PAGE,
  UPSERT_EVALUATIONS,
} from './sla.sql';

/** Incidents per page read and written. */
const PAGE_SIZE = 5_000;
/**
 * Pages written at once. At 1 M incidents a first pass took 52 s with one, 38 s of it in the
 * upserts.
 */
const WRITERS = 2;
const WATERMARK = 'sla';
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/**
 * Open clocks already breached are re-read for their elapsed time alone (nothing else can move
 * until their incident changes): every 10 minutes in their first day past the target, hourly in
 * their first week, then every 6 hours. So the elapsed time shown lags by at most ~4 % of the
 * time past the breach, while the clocks breached long ago (at 10 M generated incidents ~100 000
 * of them, 13 s to re-read) are read 6 to 36 times less often.
 */
export function breachedRecheckMs(sinceBreachMs: number): number {
  if (sinceBreachMs >= 7 * DAY_MS) return 6 * HOUR_MS;
  if (sinceBreachMs >= DAY_MS) return HOUR_MS;
  return 10 * MINUTE_MS;
}
/** Paused clocks below the at-risk share: only their projected due instant moves. */
const PAUSED_RECHECK_MS = HOUR_MS;

export interface IncidentRow {
  source_id: number;
  external_id: string;
  opened_at: Date;
  acknowledged_at: Date | null;
  restored_at: Date | null;
  closed_at: Date | null;
  priority: number;
  version: string;
  source: string;
  service: string | null;
  category: string | null;
  events: [number, string, string | null, string | null][];
}

export interface Evaluation {
  row: IncidentRow;
  kind: SlaKind;
  policy: PolicySpec;
  startedAt: number;
  stoppedAt: number | null;
  result: ClockResult;
}

@Injectable()
export class SlaEngine {
  private readonly logger = new Logger(SlaEngine.name);
  /** Incidents per page; a test makes pages small to have many. */
  pageSize = PAGE_SIZE;
  /**
   * Changed incidents from which a first pass (sla_evaluation empty, as after a large import)
   * drops the table's secondary indexes and builds them after its writes; a test lowers it.
   */
  deferIndexesFrom = 100_000;
  /** The instant open clocks are evaluated at; replaceable so tests can fix it. */
  now: () => number = () => Date.now();

  constructor(private readonly dataSource: DataSource) {}

  /** Loads every policy and calendar (a handful of rows). */
  async loadRules(): Promise<SlaRules> {
    const [policies, calendars] = await Promise.all([
      this.dataSource.query(LOAD_POLICIES),
      this.dataSource.query(LOAD_CALENDARS),
    ]);
    return new SlaRules(policies.map(toPolicySpec), calendars.map(toCalendarSpec));
  }

  /**
   * One refresh: recomputes policies that changed, evaluates incidents changed since the
   * watermark, and re-evaluates the open clocks due for a recheck, so that their status and
   * breach follow the clock.
   */
  async refresh(): Promise<Record<string, number>> {
    // A first pass cut off (a killed process) left its indexes dropped: build them before any page
    // reads the table through them.
    await this.buildDeferredIndexes();
    // The queue is read before the rules: a change committed after this read stays queued for
    // the next run, and one committed before it is in the rules loaded here.
    // requested_at as text: a JS Date would drop the microseconds and never match it again.
    const pending: { policy_id: number; requested_at: string }[] = await this.dataSource.query(
      'select policy_id, requested_at::text from sla_recompute order by policy_id',
    );
    const rules = await this.loadRules();
    const now = this.now();
    const counts = { recomputed: 0, changed: 0, open: 0, evaluations: 0, removed: 0 };
    for (const { policy_id: policyId, requested_at: requestedAt } of pending) {
      counts.recomputed += await this.pages(POLICY_PAGE, 'key', [policyId], rules, now, counts);
      // A change requested while this ran stays queued for the next run.
      await this.dataSource.query('delete from sla_recompute where policy_id = $1 and requested_at <= $2::timestamptz', [
        policyId,
        requestedAt,
      ]);
    }

    const [{ version: watermark }] = await this.dataSource.query(
      `insert into derived_watermark (name) values ($1)
       on conflict (name) do update set name = excluded.name returning version::text`,
      [WATERMARK],
    );
    const [{ max }] = await this.dataSource.query(`select coalesce(max(version), 0)::text as max from incident`);
    const deferred = await this.deferIndexes(BigInt(max) - BigInt(watermark));
    try {
      counts.changed = await this.pages(CHANGED_PAGE, 'version', [watermark, max], rules, now, counts);
    } catch (error) {
      // The pass's error is the news; a build that fails too leaves the definitions for the next run.
      if (deferred) {
        await this.buildDeferredIndexes().catch((build: unknown) =>
          this.logger.error({ event: 'sla index rebuild failed', error: build }),
        );
      }
      throw error;
    }
    // Before the open clocks: their pages read the table through its recheck index.
    if (deferred) await this.buildDeferredIndexes();
    counts.open = await this.pages(OPEN_PAGE, 'key', [new Date(now).toISOString()], rules, now, counts);

    await this.dataSource.query(
      `update derived_watermark set version = greatest(version, $2::bigint), refreshed_at = now() where name = $1`,
      [WATERMARK, max],
    );
    return counts;
  }

  /**
   * A first pass over many incidents writes into an empty table: keeping its five secondary
   * indexes up to date row by row cost more than building each with one sort afterwards. Drops
   * them (their definitions kept in sla_deferred_index) when the table is empty and at least
   * deferIndexesFrom incidents changed; true when it did. The refresh lock keeps any other pass
   * out meanwhile; readers of the table go on without the indexes, more slowly.
   */
  private async deferIndexes(changed: bigint): Promise<boolean> {
    if (changed < BigInt(this.deferIndexesFrom)) return false;
    return this.onSession(async (query) => {
      await query('begin');
      try {
        const [{ empty }] = await query('select not exists (select from sla_evaluation) as empty');
        const dropped = empty ? await dropSecondaryIndexes(query, 'sla_evaluation', 'sla_deferred_index') : 0;
        await query('commit');
        return dropped > 0;
      } catch (error) {
        await query('rollback').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Builds the indexes deferIndexes dropped (or a pass cut off left dropped), if any. */
  private async buildDeferredIndexes(): Promise<void> {
    const started = Date.now();
    const built = await this.onSession((query) => buildKeptIndexes(query, 'sla_deferred_index'));
    if (built > 0) this.logger.log({ event: 'sla indexes built', built, durationMs: Date.now() - started });
  }

  /** Runs `work` on one pooled session (a transaction, a session setting). */
  private async onSession<T>(work: (query: SessionQuery) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      return await work((text, values) => runner.query(text, values));
    } finally {
      await runner.release();
    }
  }

  /**
   * Reads, evaluates and writes one kind of page until it runs dry; returns incidents seen. The
   * next page is read while the current ones are written, and up to WRITERS pages are written at
   * once, each on a pool connection of its own: pages hold different incidents, and a first pass
   * over a million incidents is bound by PostgreSQL's upserts, which then use both cores.
   * Keysets never reach back to rows being written.
   */
  private async pages(
    sql: string,
    keyset: 'version' | 'key',
    extra: unknown[],
    rules: SlaRules,
    now: number,
    counts: { evaluations: number; removed: number },
  ): Promise<number> {
    const read = (after: IncidentRow | null): Promise<IncidentRow[]> => {
      if (keyset === 'version') return this.dataSource.query(sql, [after?.version ?? extra[0], extra[1], this.pageSize]);
      return this.dataSource.query(sql, [after?.source_id ?? 0, after?.external_id ?? '', this.pageSize, ...extra]);
    };

    let seen = 0;
    const writing: Promise<void>[] = [];
    let failure: unknown = null;
    try {
      let rows = await read(null);
      while (rows.length > 0) {
        const batch = evaluateBatch(rows, rules, now);
        const next = rows.length < this.pageSize ? Promise.resolve([]) : read(rows[rows.length - 1]);
        writing.push(
          this.writeBatch(batch, rules, now).then(
            ({ written, removed }) => {
              counts.evaluations += written;
              counts.removed += removed;
            },
            (error: unknown) => {
              failure ??= error;
            },
          ),
        );
        if (writing.length >= WRITERS) await writing.shift();
        if (failure !== null) {
          // The page read ahead is not wanted; its failure, if any, is not news.
          next.catch(() => undefined);
          break;
        }
        seen += rows.length;
        rows = await next;
      }
    } finally {
      // No write may outlive the refresh that started it.
      await Promise.all(writing);
    }
    if (failure !== null) throw failure;
    return seen;
  }

  /** Writes an evaluated page with one upsert and one delete. */
  private async writeBatch(
    { evaluations, removals }: { evaluations: Evaluation[]; removals: [number, string, SlaKind][] },
    rules: SlaRules,
    now: number,
  ): Promise<{ written: number; removed: number }> {
    if (evaluations.length > 0) {
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      await this.dataSource.query(UPSERT_EVALUATIONS, [
        evaluations.map((e) => e.row.source_id),
        evaluations.map((e) => e.row.external_id),
        evaluations.map((e) => e.kind),
        evaluations.map((e) => e.policy.id),
        evaluations.map((e) => e.policy.version),
        evaluations.map((e) => e.result.calendarId),
        evaluations.map((e) => e.result.priority),
        evaluations.map((e) => e.result.targetMinutes),
        evaluations.map((e) => e.result.elapsedMinutes),
        evaluations.map((e) => e.result.pausedMinutes),
        evaluations.map((e) => iso(e.startedAt)),
        evaluations.map((e) => iso(e.stoppedAt)),
        evaluations.map((e) => iso(e.result.dueAt)),
        evaluations.map((e) => rules.timezone(e.result.calendarId)),
        evaluations.map((e) => e.result.status),
        evaluations.map((e) => iso(e.result.breachedAt)),
        evaluations.map((e) => e.row.version),
        evaluations.map((e) => iso(recheckAt(e, now))),
      ]);
    }
    if (removals.length > 0) {
      await this.dataSource.query(DELETE_EVALUATIONS, [
        removals.map((r) => r[0]),
        removals.map((r) => r[1]),
        removals.map((r) => r[2]),
      ]);
    }
    return { written: evaluations.length, removed: removals.length };
  }
}

/** Both clocks of every incident of a page: evaluations to write, and clocks with none. */
function evaluateBatch(rows: IncidentRow[], rules: SlaRules, now: number) {
  const evaluations: Evaluation[] = [];
  const removals: [number, string, SlaKind][] = [];
  for (const row of rows) {
    for (const kind of ['response', 'resolution'] as const) {
      const evaluation = evaluateIncident(row, kind, rules, now);
      if (evaluation) evaluations.push(evaluation);
      else removals.push([row.source_id, row.external_id, kind]);
    }
  }
  return { evaluations, removals };
}

/**
 * When an open clock must be evaluated again for its status, breach and watch-list figures to
 * follow the clock: every refresh while at risk; at the instant it will reach the at-risk share
 * while running below it (nothing visible changes before); every breachedRecheckMs once
 * breached and every PAUSED_RECHECK_MS while paused (only elapsed or the projection moves).
 * An incident that changes is evaluated anyway, through its version.
 */
function recheckAt(e: Evaluation, now: number): number | null {
  const { result } = e;
  if (e.stoppedAt !== null) return null;
  if (result.status === 'breached') return now + breachedRecheckMs(now - (result.breachedAt ?? now));
  if (result.elapsedMinutes >= result.targetMinutes * AT_RISK_SHARE) return now;
  if (result.status === 'paused') return now + PAUSED_RECHECK_MS;
  return result.atRiskAt;
}

/**
 * One clock of one incident, or null when it gets no evaluation: no policy or target applies,
 * or its stop precedes its opening (a data-quality gap, left out of compliance).
 */
export function evaluateIncident(row: IncidentRow, kind: SlaKind, rules: SlaRules, now: number): Evaluation | null {
  const policy = rules.policyFor(row.source, row.service, row.category);
  if (!policy) return null;

  const openedAt = row.opened_at.getTime();
  // Resolution stops at the last restoration; a record closed with no restoration time (1,556 of
  // the UCI ServiceNow incidents) stops at its closure rather than run for ever. Response stops
  // at the acknowledgement, or, when there is none, at that same stop.
  const resolutionStop = (row.restored_at ?? row.closed_at)?.getTime() ?? null;
  const acknowledgedAt = row.acknowledged_at?.getTime() ?? null;
  const stopAt = kind === 'response' ? acknowledgedAt ?? resolutionStop : resolutionStop;
  if (stopAt !== null && stopAt < openedAt) return null;
  // Imports refuse times outside 1900-2999, but a database written by an earlier version may hold
  // some (a year 9999 typo). Such a clock gets no evaluation, as a stop before opening gets none:
  // its due instant could pass year 9999, which PostgreSQL refuses, failing every refresh.
  if (!isReadableInstant(openedAt) || (stopAt !== null && !isReadableInstant(stopAt))) return null;

  const byPriority = new Map(policy.targets.map((t) => [t.priority, t]));
  const fallback = byPriority.get(row.priority);
  if (!fallback) return null;
  const events: ClockEvent[] = row.events.map(([at, eventKind, from, to]) => ({ at: Number(at), kind: eventKind, from, to }));

  const result = evaluateClock({
    openedAt,
    stopAt,
    now,
    ...timelinesFromEvents(openedAt, row.priority, events),
    pauseStatuses: rules.pauseStatuses(policy.id),
    stopStatuses: rules.stopStatuses(policy.id),
    targetFor: (priority) => {
      // A priority the policy has no target for is measured against the recorded priority's.
      const target = byPriority.get(priority) ?? fallback;
      return {
        minutes: kind === 'response' ? target.responseMinutes : target.resolutionMinutes,
        calendarId: target.calendarId,
      };
    },
    calendar: (id) => rules.calendar(id),
  });
  return { row, kind, policy, startedAt: openedAt, stoppedAt: stopAt, result };
}

export function toPolicySpec(row: {
  id: number;
  name: string;
  applies_source: string | null;
  applies_service: string | null;
  applies_category: string | null;
  pause_statuses: string[];
  stop_statuses: string[];
  version: number;
  targets: PolicySpec['targets'];
}): PolicySpec {
  const appliesTo: PolicySpec['appliesTo'] = {};
  if (row.applies_source !== null) appliesTo.source = row.applies_source;
  if (row.applies_service !== null) appliesTo.service = row.applies_service;
  if (row.applies_category !== null) appliesTo.category = row.applies_category;
  return {
    id: row.id,
    name: row.name,
    appliesTo,
    targets: row.targets,
    pauseStatuses: row.pause_statuses,
    stopStatuses: row.stop_statuses,
    version: row.version,
  };
}

export function toCalendarSpec(row: {
  id: number;
  name: string;
  timezone: string;
  kind: '24x7' | 'weekly';
  weekly: CalendarSpec['weekly'];
  version: number;
  holidays: string[];
}): CalendarSpec {
  return { ...row };
}
