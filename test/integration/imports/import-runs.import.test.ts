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
});
