// Where the import's time goes: `node scripts/import-profile.cjs FILE STAGE... [--db URL]`, after
// `npm run build:server`. Stages, each a separate pass over the file, printed as they finish:
//   parse   read and split the CSV into rows
//   map     parse + map each row to an incident record (the generic format)
//   lines   map + the COPY text and content hash of each record
//   copy    a plain COPY of the file into an unlogged table of its shape (the benchmark's baseline)
//   copylogged  the same into a logged table
//   import  ImportService.run on the database, without the refresh that the CLI runs after it
//   reset   empty the database's incidents (before an import that should insert everything)
// The database (default postgres://postgres@127.0.0.1:5432/ia_imp_profile) is migrated first;
// IMPORT_BATCH=N sets the import's batch size.
// Prints figures only; nothing here is a test.
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { Client } = require('pg');

const dist = path.join(__dirname, '..', 'dist', 'server');
const args = process.argv.slice(2);
const dbAt = args.indexOf('--db');
const url = dbAt >= 0 ? args.splice(dbAt, 2)[1] : 'postgres://postgres@127.0.0.1:5432/ia_imp_profile';
const [file, ...stages] = args;
if (!file || stages.length === 0) {
  process.stderr.write('usage: node scripts/import-profile.cjs FILE parse|map|lines|copy|copylogged|import|reset ... [--db URL]\n');
  process.exit(2);
}

const { openInput, openCsv } = require(path.join(dist, 'imports/import.input'));
const { detectFile, readItems } = require(path.join(dist, 'imports/import.read'));
const { copyLines } = require(path.join(dist, 'imports/import.copy'));
const { TimeReader } = require(path.join(dist, 'imports/import.time'));

function mb(bytes) {
  return Math.round(bytes / 1048576);
}

async function items(file) {
  const detected = await detectFile(file, 'generic');
  return readItems(file, 'generic', detected, new TimeReader('UTC'));
}

const STAGES = {
  async parse() {
    const { rows } = await openCsv(openInput(file), ',');
    let n = 0;
    for await (const row of rows) n += row.values.length > 0 ? 1 : 0;
    return `${n} rows`;
  },
  async map() {
    let n = 0;
    for await (const item of await items(file)) n += item.kind === 'record' ? 1 : 0;
    return `${n} records`;
  },
  async lines() {
    let n = 0;
    let bytes = 0;
    for await (const item of await items(file)) {
      if (item.kind !== 'record') continue;
      n++;
      bytes += copyLines(item.record).row.length;
    }
    return `${n} records, ${mb(bytes)} MB of COPY text`;
  },
  // The benchmark's baseline (bench.baselines.ts plainCopy), on a table of the file's own shape:
  // unlogged as the benchmark's is, and logged as the incident table is.
  copy: () => plainCopy('unlogged'),
  copylogged: () => plainCopy(''),
  async reset() {
    await withClient((c) => c.query('truncate incident cascade; truncate import_run cascade'));
    return 'incident emptied';
  },
  async import() {
    const { ImportService } = require(path.join(dist, 'imports/import.service'));
    const { Pool } = require('pg');
    const pool = new Pool({ connectionString: url, max: 2 });
    // The service needs a query runner's client and plain queries; nothing else of TypeORM.
    const dataSource = {
      createQueryRunner: () => {
        let client;
        return {
          connect: async () => (client = await pool.connect()),
          release: async () => client.release(),
        };
      },
      query: async (text, params) => (await pool.query(text, params)).rows,
    };
    const service = new ImportService(dataSource, { dataDir: path.join(require('node:os').tmpdir(), 'ia-import-profile') });
    try {
      const r = await service.run({ file, format: 'generic', batchSize: Number(process.env.IMPORT_BATCH) || undefined });
      const { PROFILE } = require(path.join(dist, 'imports/import.service'));
      if (PROFILE) for (const [k, v] of Object.entries(PROFILE)) process.stdout.write(`  ${k}: ${(v / 1000).toFixed(2)} s\n`);
      return `read ${r.rowsRead}, inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}, rejected ${r.rejected}, durationMs ${r.durationMs}`;
    } finally {
      await pool.end();
    }
  },
};

async function plainCopy(kind) {
  const { RECORD_COLUMNS } = require(path.join(dist, 'incidents/incident.record'));
  const { pipeline } = require('node:stream/promises');
  const { from: copyFrom } = require('pg-copy-streams');
  const fs = require('node:fs');
  return withClient(async (client) => {
    await client.query(`drop table if exists profile_copy;
      create ${kind} table profile_copy as select ${RECORD_COLUMNS.join(', ')} from incident with no data`);
    const started = performance.now();
    await pipeline(fs.createReadStream(file), client.query(copyFrom('copy profile_copy from stdin with (format csv, header true)')));
    const ms = performance.now() - started;
    await client.query('drop table profile_copy');
    return `plain COPY into a${kind ? 'n ' + kind : ' logged'} table: ${(ms / 1000).toFixed(2)} s`;
  });
}

async function withClient(work) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function main() {
  const name = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`create database "${name.replace(/"/g, '')}"`);
  await admin.end();
  const { runMigrations } = require(path.join(dist, 'database/migrations'));
  await runMigrations(url, path.join(__dirname, '..', 'sql'));

  // The largest figures of process.memoryUsage() seen, sampled every 200 ms.
  const peak = {};
  const sampler = setInterval(() => {
    for (const [k, v] of Object.entries(process.memoryUsage())) peak[k] = Math.max(peak[k] ?? 0, v);
  }, 200);
  sampler.unref();
  for (const stage of stages) {
    if (!STAGES[stage]) throw new Error(`unknown stage ${stage}`);
    const started = performance.now();
    const what = await STAGES[stage]();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const rss = mb(process.resourceUsage().maxRSS * 1024);
    process.stdout.write(`${stage.padEnd(7)} ${seconds.padStart(7)} s  peak RSS so far ${rss} MB  ${what}\n`);
    process.stdout.write(`        peaks so far (MB): ${Object.entries(peak).map(([k, v]) => `${k} ${mb(v)}`).join(', ')}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
