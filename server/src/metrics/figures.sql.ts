import { Inject, Injectable } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { bindParameters, SqlFiles, SqlParams } from '../database/sql-file';

/** Runs the SQL files of sql/figures with named, bound parameters. */
@Injectable()
export class FigureSql {
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
      const rows = await runner.query(sql.text, values);
      await runner.commitTransaction();
      return rows;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }
}
