import { median, quantile } from './bench.measure';

/** One request of the fixed summary workload: a window in local dates, a zone and filters. */
export interface SummaryCase {
  from: string;
  to: string;
  tz: string;
  filters: Record<string, string>;
}

/**
 * A fixed mix over the generated year: the whole year, quarters, a month and a week, in UTC and
 * in zones that cut UTC days (including a half-hour zone), with and without each filter.
 */
export function summaryCases(year: number): SummaryCase[] {
  const windows: [string, string][] = [
    [`${year}-01-01`, `${year + 1}-01-01`],
    [`${year}-04-01`, `${year}-07-01`],
    [`${year}-10-01`, `${year + 1}-01-01`],
    [`${year}-03-01`, `${year}-04-01`],
    [`${year}-06-09`, `${year}-06-16`],
  ];
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
  const filters: Record<string, string>[] = [
    {},
    { priority: '2' },
    { priority: '4' },
    { category: 'network' },
    { assignmentGroup: 'group-01' },
    { source: 'bench' },
    { priority: '3', category: 'application' },
  ];
  const cases: SummaryCase[] = [];
  windows.forEach(([from, to], w) => {
    filters.forEach((filter, f) => cases.push({ from, to, tz: zones[(w + f) % zones.length], filters: filter }));
  });
  return cases;
}

export function summaryPath(c: SummaryCase): string {
  const query = new URLSearchParams({ from: c.from, to: c.to, tz: c.tz, ...c.filters });
  return `/api/metrics/summary?${query.toString()}`;
}

export interface LatencyResult {
  status: number;
  p50: number | null;
  p95: number | null;
  samples: number[];
}

/** Latency of the summary endpoint over HTTP on loopback: one warm-up round, then `rounds`. */
export async function measureSummaryEndpoint(base: string, cases: SummaryCase[], rounds: number): Promise<LatencyResult> {
  const first = await fetch(`${base}${summaryPath(cases[0])}`);
  await first.arrayBuffer();
  if (first.status !== 200) return { status: first.status, p50: null, p95: null, samples: [] };
  for (const c of cases) await (await fetch(`${base}${summaryPath(c)}`)).arrayBuffer();

  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      const started = performance.now();
      const response = await fetch(`${base}${summaryPath(c)}`);
      await response.arrayBuffer();
      samples.push(performance.now() - started);
    }
  }
  return { status: 200, p50: median(samples), p95: quantile(samples, 0.95), samples };
}

/**
 * Time to answer "one year by priority" through the endpoint: one breakdown request (every
 * priority's figures for the window). Also the answer's n of MTRS per priority, to compare with
 * the baselines'.
 */
export async function measureQuestionEndpoint(
  base: string,
  year: number,
  runs: number,
): Promise<{ times: number[]; rows: { priority: number; n: number }[] }> {
  const times: number[] = [];
  let rows: { priority: number; n: number }[] = [];
  const query = new URLSearchParams({ from: `${year}-01-01`, to: `${year + 1}-01-01`, tz: 'UTC', by: 'priority' });
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const response = await fetch(`${base}/api/metrics/breakdown?${query}`);
    const body = (await response.json()) as { rows: { key: string; mtrs: { n: number } }[] };
    if (response.status !== 200) return { times: [], rows: [] };
    times.push(performance.now() - started);
    rows = body.rows.filter((row) => row.mtrs.n > 0).map((row) => ({ priority: Number(row.key), n: row.mtrs.n }));
  }
  return { times, rows };
}
