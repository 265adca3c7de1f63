import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { quoteIdent, SECONDARY_INDEXES } from '../database/indexes';
import { RefreshService } from '../refresh/refresh.service';
import {
  applyDaySql,
  applyFirstDaySql,
  applyHistSql,
  CELLS_SQL,
  CAN_WARM_SQL,
  CHANGED_SQL,
  FORGET_REMOVED_SQL,
  HIST_YEARS_FROM_MONTHS_SQL,
  deltaSql,
  FIRST_CELLS_SQL,
  FIRST_DELTA_SQL,
  REPLACE_CONTRIB_SQL,
  WARM_INDEXES_SQL,
} from './rollups.sql';
import { FiguresDto } from '../metrics/metrics.dto';
import { cellsSql, planWindow, RollupFilters, sourceAddsNothingSql, summarySql } from './rollups.summary';
import { SeriesKey, seriesCellsSql, SeriesRow, seriesSql } from './rollups.series';

/** The summary's filters: a window of local dates [from, to) in `tz`, and optional filters. */
export interface SummaryFilters {
  from: string;
  to: string;
  tz?: string;
  source?: string;
  priority?: number;
  category?: string;
  assignmentGroup?: string;
}

interface SummaryRow {
  opened: number;
  restored: number;
  first_time: number;
  escalated: number;
  reopened: number;
  mtrs_n: number;
  mtrs_mean_hours: number | null;
  mtrs_median_hours: number | null;
  mtrs_p90_hours: number | null;
  mtrs_histogram: boolean;
  mtta_n: number;
  mtta_mean_hours: number | null;
  mtta_median_hours: number | null;
  mtta_p90_hours: number | null;
  mtta_histogram: boolean;
  backlog: number;
  resolution_met: number;
  resolution_breached: number;
  response_met: number;
  response_breached: number;
  verdict_n: number;
  verdict_source_met: number;
  verdict_agree: number;
  verdict_met: number;
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/**
 * Runs one statement with a setting changed for it alone, then puts back the value the
 * transaction had. Names and values are the code's own, never a user's.
 */
async function withLocalSetting(runner: QueryRunner, name: string, value: string, sql: string): Promise<void> {
  const [{ before }] = await runner.query('select current_setting($1) as before', [name]);
  await runner.query('select set_config($1, $2, true)', [name, value]);
  await runner.query(sql);
  await runner.query('select set_config($1, $2, true)', [name, before]);
}

/** A series' buckets: their boundaries as local dates (bucket k is [dates[k], dates[k+1])). */
export interface SeriesFilters extends Omit<SummaryFilters, 'from' | 'to'> {
  dates: string[];
  /** Split by this dimension (rows per key), or not (key ''). */
  by?: SeriesKey;
  /** Also the backlog at the end of each bucket (without a split only). */
  backlog?: boolean;
}

/** What the bounds query of a read returns: the instants, the source and the watermark. */
interface Bounds {
  instants: string[];
  source_id: number | null;
  mark_version: string;
  mark_at: string | null;
  pending: boolean;
}

/**
 * The local dates as instants, the source's id, the rollups' watermark and whether any incident
 * changed since it (for SLA clocks, slaChangedSince's). max() reads the end of an
 * index; exists (...) with the watermark as a correlated value was planned as a scan of every row.
 */
const BOUNDS_SQL = `
  select array(select (d::timestamp at time zone $2) from unnest($1::date[]) with ordinality as u (d, n) order by n) as instants,
         (select id from source where name = $3) as source_id,
         coalesce(m.version, 0)::text as mark_version, m.refreshed_at::text as mark_at,
         coalesce((select max(version) from incident) > coalesce(m.version, 0), false)
           or coalesce((select max(computed_at) from sla_evaluation where stopped_at is not null) >= m.refreshed_at, false)
           or coalesce((select max(removed_at) from sla_evaluation_removed) >= m.refreshed_at, false)
             as pending
    from (select 1) one left join rollup_state m on true`;

/**
 * Keeps the rollup tables up to date with the incidents (registered with RefreshService, after
 * the SLA evaluations) and answers the summary's figures from them.
 */
@Injectable()
export class RollupsService implements OnModuleInit {
  private readonly logger = new Logger(RollupsService.name);
  /**
   * Percentiles of a window holding at most this many restorations (acknowledgements for MTTA),
   * whatever the filters, are computed exactly from the incident rows: a scan of that many index
   * entries is cheap. Above it they come from the histograms, within 0.1 %.
   */
  exactPercentileLimit = 50_000;
  /**
   * Past this many changed incidents a refresh is a mass change (a first build, a policy edit): it
   * gathers statistics on its temporary tables and reads the SLA clocks by hash joins. A test
   * lowers it.
   */
  manyChanged = 20_000;
  /** Changed incidents from which a refresh builds rollup_contrib's indexes again; a test lowers it. */
  rebuildContribIndexesFrom = 100_000;

  constructor(
    private readonly dataSource: DataSource,
    private readonly refreshService: RefreshService,
  ) {}

  onModuleInit(): void {
    this.refreshService.register({ name: 'rollups', order: 20, refresh: () => this.refresh() });
  }

  /**
   * Absorbs every incident changed since the last refresh: subtracts what it contributed before,
   * adds what it contributes now, and moves the watermark, all in one transaction.
   */
  async refresh(): Promise<Record<string, number>> {
    const started = Date.now();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let rebuilt: string[] = [];
    try {
      // One snapshot for the changed set and the new watermark.
      await runner.query('begin isolation level repeatable read');
      // The grouping-sets aggregate spills to disk at the default 4 MB.
      await runner.query(`set local work_mem = '256MB'`);
      // Aggregated rows find their cell by a hash join; PostgreSQL otherwise sorts both sides on
      // the null-safe key expressions for a merge join, a fifth of a small refresh's time.
      await runner.query('set local enable_mergejoin = off');
      // The rollups are unlogged and rebuilt after a crash: the commit need not wait for its WAL.
      await runner.query('set local synchronous_commit = off');
      // The watermark row is missing after a crash emptied the (unlogged) rollups: start over.
      await runner.query('insert into rollup_state default values on conflict do nothing');
      // The watermark's time as text, to the microsecond: as a JavaScript Date it lost the
      // microseconds, and SLA clocks recomputed in the millisecond before it were absorbed twice.
      const [mark] = await runner.query('select version, refreshed_at::text as refreshed_at from rollup_state for update');
      const [{ max }] = await runner.query('select coalesce(max(version), 0)::text as max from incident');
      const [{ now }] = await runner.query('select now()::text as now');
      await runner.query(CHANGED_SQL, [mark?.version ?? 0, mark?.refreshed_at ?? null]);
      const [{ changed }] = await runner.query('select count(*)::int as changed from rollup_changed');
      // Statistics matter for the big delta of a first build or a mass change (with them, the
      // delta of 1 M changed incidents reads the incidents' SLA evaluations by a hash join instead
      // of two million index probes: 11 to 5 s); for a few thousand rows the planner's estimate
      // from the table's size serves as well, 7 ms sooner.
      if (changed > this.manyChanged) await runner.query('analyze rollup_changed');
      // Empty tables (a first build or a rebuild) take plain inserts instead of upserts, and a
      // delta whose rows carry their cells. Nothing changed (most scheduled runs): no need to ask.
      const empty =
        changed > 0 &&
        (
          await runner.query(
            `select not exists (select from rollup_day) and not exists (select from rollup_hist)
                    and not exists (select from rollup_contrib) as empty`,
          )
        )[0].empty;
      // A few thousand cells; without fresh statistics PostgreSQL may join every aggregated row
      // to every cell in a nested loop instead of hashing them. Only new cells change them.
      const registerCells = async (sql: string) => {
        const cells = await runner.query(sql, [], true);
        if ((cells.affected ?? 0) > 0) await runner.query('analyze rollup_cell');
      };
      if (empty) {
        await registerCells(FIRST_CELLS_SQL);
        // PostgreSQL estimates the join of every incident to its cell (four null-safe equalities)
        // at one row and then loops over the rest for each: a first build at 1 M ran for minutes.
        // Every join of this delta is a bulk one; hashed, it takes 3.6 s at 1 M.
        await withLocalSetting(runner, 'enable_nestloop', 'off', FIRST_DELTA_SQL);
      } else {
        await runner.query(deltaSql(changed <= this.manyChanged), [mark?.version ?? 0]);
      }
      if (changed > 0) {
        if (changed > this.manyChanged) await runner.query('analyze rollup_delta');
        if (empty) {
          // Its per-cell sums hold ~0.5 KB per cell and day: 0.8 M groups at 10 M incidents, past
          // what 256 MB lets PostgreSQL plan to hash, and sorting their 60 M input rows on disk
          // took 5 min.
          await withLocalSetting(runner, 'work_mem', '512MB', applyFirstDaySql());
        } else {
          await registerCells(CELLS_SQL);
          await runner.query(applyDaySql());
        }
        await runner.query(applyHistSql(empty));
        if (empty) await runner.query(HIST_YEARS_FROM_MONTHS_SQL);
        rebuilt = await this.replaceContributions(runner, changed);
      }
      if (changed > 0) await runner.query(FORGET_REMOVED_SQL, [now]);
      await runner.query('update rollup_state set version = $1, refreshed_at = $2', [max, now]);
      await runner.query('commit');
      const durationMs = Date.now() - started;
      const warmed = rebuilt.length > 0 ? await this.warm(runner, rebuilt) : undefined;
      this.logger.log({ event: 'rollups refreshed', changed, version: Number(max), durationMs, ...(warmed && { warmed }) });
      return { changed, durationMs };
    } catch (error) {
      await runner.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Replaces the changed incidents' recorded contributions. For many of them (a first build, a
   * rebuild, a policy change) the table's four secondary indexes are dropped and built again
   * after: kept up row by row, they made inserting 1 M records take 29 s, against 3 s for the rows
   * and the indexes built after. Readers of rollup_contrib wait meanwhile (the dropped indexes are
   * locked until the refresh commits), which this step's few seconds allow.
   */
  private async replaceContributions(runner: QueryRunner, changed: number): Promise<string[]> {
    const indexes: { name: string; definition: string }[] =
      changed >= this.rebuildContribIndexesFrom ? await runner.query(SECONDARY_INDEXES, ['rollup_contrib']) : [];
    for (const { name } of indexes) await runner.query(`drop index ${quoteIdent(name)}`);
    for (const sql of REPLACE_CONTRIB_SQL) await runner.query(sql);
    if (indexes.length === 0) return [];
    await runner.query(`set local maintenance_work_mem = '512MB'`);
    for (const { definition } of indexes) await runner.query(definition);
    return indexes.map(({ name }) => name);
  }

  /**
   * Reads indexes just built again into shared buffers (WARM_INDEXES_SQL), after the refresh
   * committed. Optional: without pg_prewarm, or if it fails, they start cold and nothing else
   * changes.
   */
  private async warm(runner: QueryRunner, indexes: string[]): Promise<{ blocks: number; ms: number } | undefined> {
    const started = Date.now();
    try {
      const [{ ok }] = await runner.query(CAN_WARM_SQL);
      if (!ok) return undefined;
      const [{ blocks }] = await runner.query(WARM_INDEXES_SQL, [indexes]);
      return { blocks: Number(blocks), ms: Date.now() - started };
    } catch (error) {
      this.logger.warn({ event: 'rollup indexes not warmed', indexes, reason: (error as Error).message });
      return undefined;
    }
  }

  /** Drops every rollup and absorbs all incidents again (after deletions, or to check agreement). */
  async rebuild(): Promise<Record<string, number>> {
    await this.dataSource.query(
      `truncate rollup_day, rollup_hist, rollup_contrib, rollup_cell restart identity;
       update rollup_state set version = 0, refreshed_at = null`,
    );
    return this.refresh();
  }

  /**
   * Counts per bucket (and key, when split) of a series, as of now: opened, restored, SLA clocks
   * stopped met and breached by kind, and the backlog at each bucket's end when asked. From the
   * rollups like the summary, in one snapshot with their watermark.
   */
  async series(filters: SeriesFilters): Promise<{ rows: SeriesRow[]; backlog: number[] | null }> {
    const tz = filters.tz ?? 'UTC';
    return this.snapshot(async (query) => {
      const [bounds] = await query<Bounds>(BOUNDS_SQL, [filters.dates, tz, filters.source ?? null]);
      const rollupFilters = await this.withoutIdleSource(query, this.rollupFilters(filters, bounds), bounds, filters.by !== undefined);
      const cells = seriesCellsSql(rollupFilters, filters.by);
      const [{ ids, keys }] = await query<{ ids: number[]; keys: string[] }>(cells.text, cells.values);
      const { text, values } = seriesSql(
        bounds.instants.map((at) => new Date(at)),
        rollupFilters,
        {
          absorbedVersion: bounds.mark_version,
          absorbedAt: bounds.mark_at,
          pending: bounds.pending,
          ids,
          keys,
          by: filters.by,
          backlog: filters.backlog === true && filters.by === undefined,
        },
      );
      const [row] = await query<{ counts: SeriesRow[]; backlog: number[] | null }>(text, values);
      return { rows: row.counts, backlog: row.backlog };
    });
  }

  /**
   * Runs `read` in one read-only repeatable-read transaction, so that the watermark and the rollup
   * tables it describes come from one snapshot (a refresh committing in between would otherwise
   * count its incidents twice). JIT is off: compiling a summary statement cost more than running
   * it (300 of 660 ms at 1 M). The transaction opens in one round trip.
   */
  private async snapshot<T>(read: (query: <R>(text: string, values?: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('begin isolation level repeatable read read only; set local jit = off');
      const result = await read(<R>(text: string, values?: unknown[]) => runner.query(text, values) as Promise<R[]>);
      await runner.query('commit');
      return result;
    } catch (error) {
      await runner.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** The filters as the rollups take them; an unknown source matches nothing (id -1 never exists). */
  private rollupFilters(filters: Omit<SummaryFilters, 'from' | 'to'>, bounds: Bounds): RollupFilters {
    return {
      sourceId: filters.source === undefined ? undefined : (bounds.source_id ?? -1),
      priority: filters.priority,
      category: filters.category,
      assignmentGroup: filters.assignmentGroup,
    };
  }

  /** The last incident version the rollups absorbed (their watermark), as text: '0' before the first refresh. */
  async absorbedVersion(): Promise<string> {
    const [row] = await this.dataSource.query('select coalesce((select version from rollup_state), 0)::text as version');
    return row.version;
  }

  /**
   * The filters without their source when it takes nothing away from the others
   * (sourceAddsNothingSql; `split` for a series split by another dimension): the same incidents,
   * read from the others' own level.
   */
  private async withoutIdleSource(
    query: <R>(text: string, values?: unknown[]) => Promise<R[]>,
    filters: RollupFilters,
    bounds: Bounds,
    split = false,
  ): Promise<RollupFilters> {
    const check = sourceAddsNothingSql(filters, bounds.mark_version, split);
    if (check === null) return filters;
    const [{ adds_nothing }] = await query<{ adds_nothing: boolean }>(check.text, check.values);
    return adds_nothing ? { ...filters, sourceId: undefined } : filters;
  }

  /**
   * The summary's figures for one window and filters, as of now: from the rollups, the window's
   * edges and the incidents changed since the last refresh.
   */
  async summary(filters: SummaryFilters, options: { percentiles?: boolean } = {}): Promise<FiguresDto> {
    const tz = filters.tz ?? 'UTC';
    // One snapshot for the watermark and the rollup tables it describes: a refresh committing
    // in between would otherwise count its incidents twice.
    const row = await this.snapshot(async (query) => {
      const [bounds] = await query<Bounds>(BOUNDS_SQL, [[filters.from, filters.to], tz, filters.source ?? null]);
      const plan = planWindow(new Date(bounds.instants[0]), new Date(bounds.instants[1]));
      const rollupFilters = await this.withoutIdleSource(query, this.rollupFilters(filters, bounds), bounds);
      const cellQuery = cellsSql(rollupFilters);
      const [{ cells, all_cells, finest_cells }] = await query<{ cells: number[]; all_cells: number[]; finest_cells: number[] }>(
        cellQuery.text,
        cellQuery.values,
      );
      const { text, values } = summarySql(plan, rollupFilters, {
        exactPercentileLimit: this.exactPercentileLimit,
        absorbedVersion: bounds.mark_version,
        absorbedAt: bounds.mark_at,
        pending: bounds.pending,
        cells,
        allCells: all_cells,
        finestCells: finest_cells,
        percentiles: options.percentiles,
      });
      const [summary] = await query<SummaryRow>(text, values);
      return summary;
    });
    const resolution = row.resolution_met + row.resolution_breached;
    const response = row.response_met + row.response_breached;
    return {
      window: { from: filters.from, to: filters.to, tz },
      mtrs: {
        meanHours: row.mtrs_mean_hours,
        medianHours: row.mtrs_median_hours,
        p90Hours: row.mtrs_p90_hours,
        n: row.mtrs_n,
        percentiles: row.mtrs_histogram ? 'histogram' : 'exact',
      },
      mtta: {
        meanHours: row.mtta_mean_hours,
        medianHours: row.mtta_median_hours,
        p90Hours: row.mtta_p90_hours,
        n: row.mtta_n,
        percentiles: row.mtta_histogram ? 'histogram' : 'exact',
      },
      firstTimeResolution: {
        rate: share(row.first_time, row.restored),
        firstTime: row.first_time,
        resolved: row.restored,
        escalated: row.escalated,
        escalationShare: share(row.escalated, row.restored),
        reopened: row.reopened,
        reopenShare: share(row.reopened, row.restored),
      },
      sla: {
        resolution: { met: row.resolution_met, breached: row.resolution_breached, compliance: share(row.resolution_met, resolution) },
        response: { met: row.response_met, breached: row.response_breached, compliance: share(row.response_met, response) },
        sourceVerdict: {
          n: row.verdict_n,
          sourceMet: row.verdict_source_met,
          sourceCompliance: share(row.verdict_source_met, row.verdict_n),
          agree: row.verdict_agree,
          disagree: row.verdict_n - row.verdict_agree,
          agreementRate: share(row.verdict_agree, row.verdict_n),
          ourMet: row.verdict_met,
          ourCompliance: share(row.verdict_met, row.verdict_n),
        },
      },
      volume: { opened: row.opened, restored: row.restored },
      backlog: { n: row.backlog },
    };
  }
}
