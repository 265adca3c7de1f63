import { BadRequestException, Inject, Injectable, Logger } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { badParameter } from '../common/validation';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { bindParameters, SqlFiles, SqlParams } from '../database/sql-file';

/** A figure query slower than this is logged. */
const SLOW_QUERY_MS = 2000;

/** Runs the SQL files of sql/figures with named, bound parameters. */
@Injectable()
export class FigureSql {
  private readonly logger = new Logger(FigureSql.name);
  private readonly files: SqlFiles;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.files = new SqlFiles(path.join(config.sqlDir, 'figures'));
  }

  /** Rows of `file` run with `params`; `slots` fill its include paths (fixed values only). */
  async query<T>(
    file: string,
    params: SqlParams,
    slots: Record<string, string> = {},
  ): Promise<T[]> {
    const sql = this.files.get(file, slots);
    const values = bindParameters(sql, params);

    // The figure queries are many small aggregates whose cost estimate crosses jit_above_cost:
    // on 2 million incidents JIT spent 2.2 s compiling a summary that runs in about 2 s. Turned
    // off for this transaction only, so other features keep the server's setting.
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('set local jit = off');
      const started = Date.now();
      const rows = await runner.query(sql.text, values);
      await runner.commitTransaction();
      const durationMs = Date.now() - started;
      // Only the slow ones: a line per request would drown the log.
      if (durationMs >= SLOW_QUERY_MS) {
        this.logger.warn({
          event: 'slow figure query',
          file,
          slots,
          durationMs,
          rows: rows.length,
        });
      }
      return rows;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw unknownZone(error, params.tz) ?? error;
    } finally {
      await runner.release();
    }
  }
}

/** A 400 naming tz when PostgreSQL does not know a zone that luxon accepted. */
export function unknownZone(error: unknown, tz: unknown): BadRequestException | undefined {
  const { code, message } = error as { code?: string; message?: string };
  if (code !== '22023' || !/time zone/i.test(message ?? '')) return undefined;
  const problem = `the database does not know the time zone "${String(tz)}"`;
  return badParameter('tz', problem);
}
