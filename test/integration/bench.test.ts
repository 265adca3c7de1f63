import * as fs from 'node:fs';
import { once } from 'node:events';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbQuestion, loadIncidentsFromCopy, plainCopy, plainPgQuestion } from '../../server/src/bench/bench.baselines';
import { writeIncidents } from '../../server/src/generator/generate.command';
import { createTestDatabase, TestDatabase } from '../support/db';

// The benchmark's baselines on a small generated file: nothing is timed here, only that the
// plain COPY takes the generator's CSV as it is (its columns drifted once) and that the two
// baselines answer the same question with the same counts.

describe('benchmark baselines', () => {
  let db: TestDatabase;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-bench-test-'));
    file = path.join(dir, 'incidents.csv');
    const out = fs.createWriteStream(file);
    await writeIncidents(
      { incidents: 400, seed: 3, out: file, format: 'csv', start: new Date('2025-01-01T00:00:00Z'), months: 12 },
      out,
    );
    out.end();
    await once(out, 'finish');
  });

  afterAll(async () => {
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies every line of the generated CSV into a table of the incident columns', async () => {
    await plainCopy(db.url, file);
    // 400 incidents written, one line each after the header.
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').length - 1;
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('select count(*)::int as n from bench_copy');
    await client.end();
    expect(lines).toBe(400);
    expect(rows[0].n).toBe(400);
  });

  it('DuckDB and PostgreSQL count the same restorations per priority in the question', async () => {
    const loaded = await loadIncidentsFromCopy(db.url);
    // The generator's ids are unique, so every copied line becomes one incident.
    expect(loaded).toBe(400);
    const question = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') };
    // The reference, written here: restorations at or after opening in 2025, per priority.
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows: want } = await client.query(
      `select priority::int as priority, count(*)::int as n from bench_copy
        where restored_at >= $1 and restored_at < $2 and restored_at >= opened_at
        group by priority order by priority`,
      [question.from, question.to],
    );
    await client.end();
    expect(want.length).toBeGreaterThan(1);
    const pg = await plainPgQuestion(db.url, question, 1);
    const duck = await duckdbQuestion(file, question, 1);
    expect(pg.rows).toEqual(want);
    expect(duck.rows).toEqual(want);
  });
});
