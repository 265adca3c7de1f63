import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RECORD_COLUMNS } from '../incidents/incident.record';

/**
 * The plain COPY baseline's table: the generic CSV's columns (the generator writes exactly
 * RECORD_COLUMNS) with the incident table's types, unlogged and without indexes.
 */
export const COPY_TABLE_DDL = `
  create unlogged table if not exists bench_copy as
  select ${RECORD_COLUMNS.join(', ')} from incident where false`;

/** Plain COPY of the CSV into bench_copy through pg + pg-copy-streams; returns milliseconds. */
export async function plainCopy(url: string, file: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(COPY_TABLE_DDL);
    await client.query('truncate bench_copy');
    const started = performance.now();
    await pipeline(
      fs.createReadStream(file),
      client.query(copyFrom('copy bench_copy from stdin with (format csv, header true)')),
    );
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

/**
 * Loads incidents from bench_copy straight into the incident table, for when the product's
 * importer is not available: the rest of the benchmark still needs the data.
 */
export async function loadIncidentsFromCopy(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `insert into source (name, format) values ('bench', 'generic')
         on conflict (name) do update set format = excluded.format returning id`,
    );
    const result = await client.query(
      `insert into incident (source_id, external_id, opened_at, detected_at, acknowledged_at, restored_at,
         closed_at, status, impact, urgency, priority, category, subcategory, service, configuration_item,
         assignment_group, reassignment_count, hierarchical_escalation, reopen_count, is_major,
         detection_source, workaround, knowledge_article, supplier, closure_code, resolution_notes, content_hash)
       select distinct on (external_id) $1, external_id, opened_at, detected_at, acknowledged_at, restored_at,
         closed_at, status, impact, urgency, priority, category, subcategory, service, configuration_item,
         assignment_group, reassignment_count, hierarchical_escalation, reopen_count, is_major,
         detection_source, workaround, knowledge_article, supplier, closure_code, resolution_notes,
         md5(b::text)
       from bench_copy b order by external_id, opened_at desc`,
      [rows[0].id],
    );
    await client.query('analyze incident');
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/** The question both baselines answer: a one-year summary by priority, restored in [from, to). */
export interface Question {
  from: Date;
  to: Date;
}

const PG_QUESTION = `
  select priority,
         count(*) filter (where restored_at >= opened_at) as n,
         avg(extract(epoch from restored_at - opened_at) / 3600) filter (where restored_at >= opened_at) as mean_hours,
         percentile_cont(0.5) within group (order by extract(epoch from restored_at - opened_at) / 3600)
           filter (where restored_at >= opened_at) as median_hours,
         percentile_cont(0.9) within group (order by extract(epoch from restored_at - opened_at) / 3600)
           filter (where restored_at >= opened_at) as p90_hours,
         count(*) filter (where reassignment_count = 0 and reopen_count = 0)::float8 / count(*) as ftr_rate
    from incident
   where restored_at >= $1 and restored_at < $2
   group by priority
   order by priority`;

/** One answer row of the question (the rest of its columns are not compared). */
export interface QuestionRow {
  priority: number;
  n: number;
}

/** The question as one plain PostgreSQL query, `runs` times: run times and the last answer. */
export async function plainPgQuestion(
  url: string,
  question: Question,
  runs: number,
): Promise<{ times: number[]; rows: QuestionRow[] }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const times: number[] = [];
    let rows: QuestionRow[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const result = await client.query(PG_QUESTION, [question.from, question.to]);
      times.push(performance.now() - started);
      rows = result.rows.map((row) => ({ priority: Number(row.priority), n: Number(row.n) }));
    }
    return { times, rows };
  } finally {
    await client.end();
  }
}

/** DuckDB in memory: load time, and the question's run times. */
export async function duckdbQuestion(
  file: string,
  question: Question,
  runs: number,
): Promise<{ loadMs: number; times: number[]; rows: QuestionRow[] }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const loadStarted = performance.now();
    // The file path is our own temporary file, never user input; quotes are doubled regardless.
    await connection.run(
      `create table incident as select * from read_csv('${file.replace(/'/g, "''")}', header = true,
         types = {'opened_at': 'TIMESTAMPTZ', 'restored_at': 'TIMESTAMPTZ', 'acknowledged_at': 'TIMESTAMPTZ'})`,
    );
    const loadMs = performance.now() - loadStarted;
    const sql = `
      select priority,
             count(*) filter (where restored_at >= opened_at) as n,
             avg((epoch(restored_at) - epoch(opened_at)) / 3600) filter (where restored_at >= opened_at) as mean_hours,
             quantile_cont((epoch(restored_at) - epoch(opened_at)) / 3600, 0.5) filter (where restored_at >= opened_at) as median_hours,
             quantile_cont((epoch(restored_at) - epoch(opened_at)) / 3600, 0.9) filter (where restored_at >= opened_at) as p90_hours,
             count(*) filter (where reassignment_count = 0 and reopen_count = 0) / count(*) as ftr_rate
        from incident
       where restored_at >= '${question.from.toISOString()}'::timestamptz
         and restored_at < '${question.to.toISOString()}'::timestamptz
       group by priority order by priority`;
    const times: number[] = [];
    let rows: QuestionRow[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const reader = await connection.runAndReadAll(sql);
      times.push(performance.now() - started);
      rows = reader.getRowObjects().map((row) => ({ priority: Number(row.priority), n: Number(row.n) }));
    }
    return { loadMs, times, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
