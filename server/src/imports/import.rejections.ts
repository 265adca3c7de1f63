import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PoolClient } from 'pg';
import { INSERT_REJECTIONS } from './import.sql';
import { MAX_SHORT_TEXT, storableText } from './import.limits';
import { Rejection } from './import.types';

/** How many rejections an import's answer carries; the rest are in the table and the report. */
export const REJECTIONS_IN_ANSWER = 100;

export interface FileRejection extends Rejection {
  file: string;
}

/** A CSV cell that no spreadsheet runs as a formula, quoted when it needs to be. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Collects an import's rejections: written to import_rejection with each batch, appended to a CSV
 * report (file,line,field,reason) opened at the first one, and the first ones kept for the answer.
 */
export class RejectionLog {
  readonly first: FileRejection[] = [];
  total = 0;
  reportPath: string | null = null;
  private pending: FileRejection[] = [];
  private report: fs.WriteStream | null = null;

  constructor(
    private readonly runId: number,
    private readonly reportDir: string,
    private readonly reportName: string,
  ) {}

  /** Rejections added since the last flush. */
  get pendingCount(): number {
    return this.pending.length;
  }

  add(given: FileRejection): void {
    // An id too long to be one (the reason says how long) is not repeated in the report. What a
    // rejection quotes from the row may hold a NUL or a lone surrogate, which PostgreSQL would
    // refuse (and fail the batch): replaced by U+FFFD.
    const tooLong = given.externalId !== null && given.externalId.length > MAX_SHORT_TEXT;
    const rejection = {
      ...given,
      field: given.field === null ? null : storableText(given.field),
      reason: storableText(given.reason),
      externalId: tooLong || given.externalId === null ? null : storableText(given.externalId),
    };
    this.total++;
    if (this.first.length < REJECTIONS_IN_ANSWER) this.first.push(rejection);
    this.pending.push(rejection);
  }

  /** Writes what came since the last flush, inside the caller's transaction. */
  async flush(client: PoolClient): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];

    const byFile = new Map<string, FileRejection[]>();
    for (const r of batch) {
      const rows = byFile.get(r.file);
      if (rows) rows.push(r);
      else byFile.set(r.file, [r]);
    }
    for (const [file, rows] of byFile) {
      await client.query(INSERT_REJECTIONS, [
        this.runId,
        file,
        rows.map((r) => r.line),
        rows.map((r) => r.field),
        rows.map((r) => r.reason),
        rows.map((r) => r.externalId),
      ]);
    }
    await this.write(batch.map((r) => [r.file, r.line, r.field, r.reason].map(csvCell).join(',') + '\n').join(''));
  }

  async close(): Promise<void> {
    const report = this.report;
    if (!report) return;
    await new Promise<void>((resolve, reject) => report.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }

  private async write(text: string): Promise<void> {
    if (!this.report) {
      fs.mkdirSync(this.reportDir, { recursive: true });
      this.reportPath = path.join(this.reportDir, this.reportName);
      this.report = fs.createWriteStream(this.reportPath);
      this.report.write('file,line,field,reason\n');
    }
    const report = this.report;
    if (!report.write(text)) await new Promise<void>((resolve) => report.once('drain', () => resolve()));
  }
}
