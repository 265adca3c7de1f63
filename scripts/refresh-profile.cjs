// Where a small refresh of the rollups spends its time: `node scripts/refresh-profile.cjs
// [--data DIR | --db URL] [--rounds N] [--changes N] [--reads]`, after `npm run build:server`.
// Each round moves N random restored incidents (default 1 000) by an hour, as the benchmark does,
// then times RollupsService.refresh() and each statement it sends. With --reads, after each
// statement it also asks which tables and indexes it read from outside shared buffers (counted
// for the transaction so far, so each line shows the difference): slower, for finding cache misses.
// With --whole, each round times the server's whole refresh (the SLA clocks, then the rollups)
// instead of the rollups' alone.
// The database is the embedded one under DIR (default .data, as the CLI's) or URL; it must hold
// incidents; what is pending is refreshed first, untimed. Prints figures only; nothing here is a test.
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const dist = path.join(__dirname, '..', 'dist', 'server');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const rounds = Number(option('--rounds', 5));
const changes = Number(option('--changes', 1000));
const reads = args.includes('--reads');
const whole = args.includes('--whole');

const READS_SQL = `
  select relname as name, pg_stat_get_xact_blocks_fetched(oid) - pg_stat_get_xact_blocks_hit(oid) as read
    from pg_class where relkind in ('r', 'i') and relnamespace = 'public'::regnamespace`;

async function main() {
  const { loadConfig } = require(path.join(dist, 'config/app.config'));
  const { openEmbeddedDatabase } = require(path.join(dist, 'database/embedded-postgres'));
  const { createApp } = require(path.join(dist, 'app'));
  const { RollupsService } = require(path.join(dist, 'rollups/rollups.service'));
  const { PostgresQueryRunner } = require('typeorm/driver/postgres/PostgresQueryRunner');

  const config = loadConfig();
  const url = option('--db', undefined);
  const handle = url
    ? { url, release: async () => undefined }
    : await openEmbeddedDatabase(path.resolve(option('--data', config.dataDir)), config.embeddedPgPort);
  const app = await createApp({ ...config, databaseUrl: handle.url }, handle, { logger: false, schedule: false });
  await app.init();
  const rollups = app.get(RollupsService);
  // Whatever is pending first (after an import with --no-refresh, the first build), untimed.
  const { RefreshService } = require(path.join(dist, 'refresh/refresh.service'));
  const refreshService = app.get(RefreshService);
  const first = await refreshService.refreshAll('profile');
  process.stdout.write(`pending refresh: ${JSON.stringify(first.steps)}\n`);

  // Every statement's time, and with --reads the blocks it read from outside shared buffers.
  let timings = [];
  const query = PostgresQueryRunner.prototype.query;
  let before = new Map();
  PostgresQueryRunner.prototype.query = async function timed(text, parameters, structured) {
    const started = performance.now();
    const result = await query.call(this, text, parameters, structured);
    const ms = performance.now() - started;
    let missed = '';
    if (reads && text !== READS_SQL && /^\s*(insert|delete|update|create temp|select)/i.test(text)) {
      const now = new Map((await query.call(this, READS_SQL)).map((r) => [r.name, Number(r.read)]));
      missed = [...now]
        .map(([name, n]) => [name, n - (before.get(name) ?? 0)])
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => `${name} ${n}`)
        .join(', ');
      before = now;
    }
    if (/^\s*(commit|begin)/i.test(text)) before = new Map();
    timings.push({ ms, what: text.replace(/\s+/g, ' ').trim().slice(0, 90), missed });
    return result;
  };

  const { DataSource } = require('typeorm');
  const dataSource = app.get(DataSource);
  const totals = [];
  for (let round = 1; round <= rounds; round++) {
    await dataSource.query(
      `update incident set restored_at = restored_at + interval '1 hour', version = nextval('incident_version_seq')
        where (source_id, external_id) in (
          select source_id, external_id from incident where restored_at is not null order by random() limit ${changes})`,
    );
    timings = [];
    const started = performance.now();
    if (whole) process.stdout.write(`  steps: ${JSON.stringify((await refreshService.refreshAll('profile')).steps)}\n`);
    else await rollups.refresh();
    const total = performance.now() - started;
    totals.push(total);
    process.stdout.write(`round ${round}: ${total.toFixed(1)} ms\n`);
    for (const t of timings.filter((t) => t.ms >= 2)) {
      process.stdout.write(`  ${t.ms.toFixed(1).padStart(7)} ms  ${t.what}${t.missed ? `\n             read: ${t.missed}` : ''}\n`);
    }
  }
  const sorted = [...totals].sort((a, b) => a - b);
  process.stdout.write(`median of ${rounds}: ${sorted[Math.floor((rounds - 1) / 2)].toFixed(1)} ms\n`);
  await app.close();
  await handle.release();
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
