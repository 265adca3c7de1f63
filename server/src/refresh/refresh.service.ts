import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Something derived from incidents (SLA evaluations, rollups) that catches up with what changed. */
export interface DerivedRefresher {
  /** Short name used in logs and job records, e.g. 'sla' or 'rollups'. */
  name: string;
  /** Lower runs first; SLA evaluations (10) before the rollups that count them (20). */
  order: number;
  /** Absorbs every incident changed since its last run; returns counts for the log line. */
  refresh(): Promise<Record<string, number>>;
}

export interface RefreshOutcome {
  status: 'succeeded' | 'failed' | 'skipped';
  durationMs: number;
  steps: Record<string, Record<string, number>>;
  /** Why a failed run failed. */
  error?: string;
}

/** The last refresh, when it failed: figures stay as of the last success until one succeeds. */
export interface RefreshFailure {
  at: Date;
  error: string;
}

/**
 * Arbitrary constant: only one process refreshes derived figures at a time. Writers of incidents
 * hold it shared for each transaction (see lockOutRefresh), so a refresh never runs while a
 * transaction that drew incident versions is uncommitted: otherwise a version below the
 * watermark a refresh just recorded could commit after it and never be absorbed.
 */
export const REFRESH_LOCK = 7_301_002;

/** Call first in any transaction that writes incidents (and so draws incident versions). */
export const LOCK_OUT_REFRESH_SQL = `select pg_advisory_xact_lock_shared(${REFRESH_LOCK})`;

/**
 * Runs every registered refresher in order, under an advisory lock so that several server
 * instances (and an import command) against one database refresh once, and records the outcome
 * of each run in job_run.
 */
@Injectable()
export class RefreshService {
  private readonly logger = new Logger(RefreshService.name);
  private readonly refreshers: DerivedRefresher[] = [];

  constructor(private readonly dataSource: DataSource) {}

  register(refresher: DerivedRefresher): void {
    this.refreshers.push(refresher);
    this.refreshers.sort((a, b) => a.order - b.order);
  }

  async refreshAll(trigger: string): Promise<RefreshOutcome> {
    const started = Date.now();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query('select pg_try_advisory_lock($1) as locked', [REFRESH_LOCK]);
      if (!locked) return { status: 'skipped', durationMs: Date.now() - started, steps: {} };

      const [{ id }] = await runner.query(
        `insert into job_run (job, status, detail) values ('refresh', 'running', $1) returning id`,
        [{ trigger }],
      );
      const steps: Record<string, Record<string, number>> = {};
      try {
        for (const refresher of this.refreshers) steps[refresher.name] = await refresher.refresh();
      } catch (error) {
        const durationMs = Date.now() - started;
        await runner.query(
          `update job_run set status = 'failed', finished_at = now(), detail = detail || $2 where id = $1`,
          [id, { steps, error: (error as Error).message, durationMs }],
        );
        this.logger.error({ event: 'refresh failed', jobRunId: id, trigger, durationMs, error });
        return { status: 'failed', durationMs, steps, error: (error as Error).message };
      }
      const durationMs = Date.now() - started;
      await runner.query(
        `update job_run set status = 'succeeded', finished_at = now(), detail = detail || $2 where id = $1`,
        [id, { steps, durationMs }],
      );
      this.logger.log({ event: 'refresh finished', jobRunId: id, trigger, durationMs, steps });
      return { status: 'succeeded', durationMs, steps };
    } finally {
      await runner.query('select pg_advisory_unlock($1)', [REFRESH_LOCK]).catch(() => undefined);
      await runner.release();
    }
  }

  /** The last finished refresh if it failed (no success since), else null. */
  async lastFailure(): Promise<RefreshFailure | null> {
    const [last] = await this.dataSource.query(
      `select status, finished_at as at, detail->>'error' as error from job_run
        where job = 'refresh' and status in ('succeeded', 'failed') order by id desc limit 1`,
    );
    return last?.status === 'failed' ? { at: last.at, error: last.error ?? 'unknown error' } : null;
  }

  /** When derived figures last caught up successfully, or null if never. */
  async lastRefreshedAt(): Promise<Date | null> {
    const rows = await this.dataSource.query(
      `select max(finished_at) as at from job_run where job = 'refresh' and status = 'succeeded'`,
    );
    return rows[0]?.at ?? null;
  }
}
