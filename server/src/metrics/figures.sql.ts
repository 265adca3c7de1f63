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
  async query<T>(file: string, params: SqlParams, slots: Record<string, string> = {}): Promise<T[]> {
    const sql = this.files.get(file, slots);
    return this.dataSource.query(sql.text, bindParameters(sql, params));
  }
}
