import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../unit/imports/fixtures';
import { useImportHarness } from './import-context';

/** The two-key advisory lock an import holds on its run (class 7301004, the run's id). */
const RUN_LOCK = 7_301_004;

describe('the list of import runs', () => {
  const h = useImportHarness();

  it('marks a run whose process ended before it did as failed, and leaves a live one running', async () => {
    // Two runs left 'running': one by a process killed mid-import (nobody holds its lock), one by
    // an import still at work in another process (which holds it).
    const [lost] = await h.sql<{ id: string }>(
      `insert into import_run (file_name, format, timezone) values ('killed.csv', 'generic', 'UTC') returning id`,
    );
    const [live] = await h.sql<{ id: string }>(
      `insert into import_run (file_name, format, timezone) values ('live.csv', 'generic', 'UTC') returning id`,
    );
    const other = new Client({ connectionString: h.db.url });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock($1, $2)', [RUN_LOCK, Number(live.id)]);
      const runs = await h.imports.recentRuns();
      const byFile = new Map(runs.map((r) => [r.file, r]));
      expect(byFile.get('killed.csv')).toMatchObject({
        status: 'failed',
        error: 'stopped before its end: the importing process ended (killed or crashed)',
      });
      expect(byFile.get('killed.csv')!.finishedAt).not.toBeNull();
      expect(byFile.get('live.csv')).toMatchObject({ status: 'running', error: null, finishedAt: null });
    } finally {
      await other.end();
    }
    expect(Number(lost.id)).toBeLessThan(Number(live.id));
  });

  it('lets go of a finished run: its lock is free and it stays finished', async () => {
    const result = await h.imports.run({ file: path.join(FIXTURES, 'generic.csv'), source: 'runs' });
    const other = new Client({ connectionString: h.db.url });
    await other.connect();
    try {
      const [{ free }] = (await other.query('select pg_try_advisory_lock($1, $2) as free', [RUN_LOCK, result.id])).rows;
      expect(free).toBe(true);
    } finally {
      await other.end();
    }
    const run = (await h.imports.recentRuns()).find((r) => r.id === result.id);
    expect(run).toMatchObject({ status: 'finished', inserted: 3, rejected: 3 });
  });

  it('shows the counts of the batches committed while the run is still going', async () => {
    // 25 rows in batches of 10; a trigger holds the insert of X-25 (third batch) until this test
    // lets go of an advisory lock. Meanwhile the run shows its two committed batches: 20 rows read,
    // 20 inserted, and 1 rejection (X-5, priority 9, line 6: in the first batch).
    const file = path.join(h.dataDir, 'held.csv');
    const rows = ['external_id,opened_at,priority'];
    for (let i = 1; i <= 25; i++) rows.push(`X-${i},2025-01-01T00:00:00Z,${i === 5 ? 9 : 3}`);
    fs.writeFileSync(file, rows.join('\n') + '\n');
    await h.sql(`create function hold_x25() returns trigger language plpgsql as $$
      begin if new.external_id = 'X-25' then perform pg_advisory_xact_lock(7301999); end if; return new; end $$`);
    await h.sql('create trigger hold_x25 before insert on incident for each row execute function hold_x25()');
    const holder = new Client({ connectionString: h.db.url });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock(7301999)');
      const running = h.imports.run({ file, source: 'held', batchSize: 10 });
      const committed = async () =>
        (
          await h.sql<{ rows_read: number; inserted: number; rejected: number; status: string }>(
            `select r.rows_read, r.inserted, r.rejected, r.status from import_run r join source s on s.id = r.source_id
              where s.name = 'held'`,
          )
        )[0];
      // Wait (at most 10 s) until the third batch is held: its rows are read, the first two written.
      let seen = await committed();
      for (let i = 0; i < 200 && seen?.rows_read !== 20; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = await committed();
      }
      // Batch 1: X-1..X-10 (X-5 rejected), batch 2: X-11..X-20.
      expect(seen).toEqual({ rows_read: 20, inserted: 19, rejected: 1, status: 'running' });
      await holder.query('select pg_advisory_unlock(7301999)');
      const result = await running;
      expect(result).toMatchObject({ rowsRead: 25, inserted: 24, rejected: 1 });
    } finally {
      await holder.end();
      await h.sql('drop trigger hold_x25 on incident');
    }
  });

  it('gives the rejections of each batch together, before its repeats, however long a batch takes', async () => {
    // Batches of 3. Batch 1: R-1 (line 2), R-1 again (line 3, a repeat), R-2 (line 4); batch 2:
    // R-3 with priority 9 (line 5, rejected), R-4, R-5. While batch 1 is written (its R-2 held
    // 300 ms), batch 2 is read: its rejection must still come after batch 1's repeat.
    const file = path.join(h.dataDir, 'order.csv');
    const lines = ['external_id,opened_at,priority', 'R-1,2025-01-01T00:00:00Z,3', 'R-1,2025-01-02T00:00:00Z,3',
      'R-2,2025-01-01T00:00:00Z,3', 'R-3,2025-01-01T00:00:00Z,9', 'R-4,2025-01-01T00:00:00Z,3', 'R-5,2025-01-01T00:00:00Z,3'];
    fs.writeFileSync(file, lines.join('\n') + '\n');
    await h.sql(`create function slow_r2() returns trigger language plpgsql as $$
      begin if new.external_id = 'R-2' then perform pg_sleep(0.3); end if; return new; end $$`);
    await h.sql('create trigger slow_r2 before insert on incident for each row execute function slow_r2()');
    try {
      const result = await h.imports.run({ file, source: 'order', batchSize: 3 });
      expect(result.rejections.map((r) => [r.line, r.field])).toEqual([[3, 'external_id'], [5, 'priority']]);
      const report = fs.readFileSync(result.reportPath!, 'utf8').trim().split('\n');
      expect(report.map((row) => row.split(',')[1])).toEqual(['line', '3', '5']);
    } finally {
      await h.sql('drop trigger slow_r2 on incident');
    }
  });
});
