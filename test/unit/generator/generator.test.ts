import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { parseGenerateArgs, runGenerate, writeIncidents, GenerateOptions } from '../../../server/src/generator/generate.command';
import { IncidentGenerator } from '../../../server/src/generator/incident.generator';
import { GAP_SHARES, PRIORITY_SHARES, SHARES } from '../../../server/src/generator/generator.profile';
import { csvCell, GENERIC_COLUMNS } from '../../../server/src/generator/generator.writer';
import { Prng } from '../../../server/src/generator/prng';
import { priorityFromMatrix } from '../../../server/src/incidents/incident.record';

async function generate(options: Partial<GenerateOptions>): Promise<string> {
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on('data', (part: Buffer) => parts.push(part));
  await writeIncidents(
    { incidents: 1000, seed: 1, out: null, format: 'csv', start: new Date('2025-01-01T00:00:00Z'), months: 12, ...options },
    stream,
  );
  stream.end();
  return Buffer.concat(parts).toString('utf8');
}

/** Draws `n` incidents and counts how many satisfy `test`. */
function share(n: number, test: (r: ReturnType<IncidentGenerator['next']>) => boolean, seed = 7): number {
  const generator = new IncidentGenerator({ incidents: n, seed, start: new Date('2025-01-01T00:00:00Z'), months: 12, events: true });
  let hits = 0;
  for (const record of generator.incidents()) if (test(record)) hits++;
  return hits / n;
}

const N = 40_000;

describe('Prng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('is uniform enough: the mean of 100 000 draws in [0,1) is 0.5 within 0.01', () => {
    // The standard error of the mean of U(0,1) over 1e5 draws is sqrt(1/12/1e5) ~ 0.0009.
    const prng = new Prng(3);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) sum += prng.next();
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.01);
  });
});

describe('generator output', () => {
  it('is byte for byte the same for the same seed, and differs for another seed', async () => {
    const first = await generate({ seed: 11 });
    const second = await generate({ seed: 11 });
    const other = await generate({ seed: 12 });
    expect(second).toBe(first);
    expect(other).not.toBe(first);
  });

  it('writes a header with the generic columns and one line per incident', async () => {
    const text = await generate({ incidents: 2_345 });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(GENERIC_COLUMNS.join(','));
    // 1 header + 2 345 incidents; no generated value contains a line break.
    expect(lines.length).toBe(1 + 2_345);
    expect(lines[1].split(',').length).toBeGreaterThanOrEqual(GENERIC_COLUMNS.length);
  });

  it('writes ISO 8601 times in UTC with Z', async () => {
    const text = await generate({ incidents: 50 });
    const opened = text.split('\n')[1].split(',')[1];
    expect(opened).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('writes a JSON array of incidents with events', async () => {
    const parsed = JSON.parse(await generate({ incidents: 200, format: 'json' })) as { external_id: string; events: { kind: string }[] }[];
    expect(parsed.length).toBe(200);
    expect(parsed.every((incident) => incident.events.length >= 1)).toBe(true);
    expect(parsed.some((incident) => incident.events.some((e) => e.kind === 'assignment'))).toBe(true);
  });
});

describe('generated shares follow the profile', () => {
  // Bounds are wide (a factor of about 2) but each fails if the feature is missing (share 0).
  it('keeps P1 rare and P4 the most common', () => {
    const p1 = share(N, (r) => r.priority === 1);
    const p4 = share(N, (r) => r.priority === 4);
    // Profile: P1 1 % (+ a third of the 1 % in bursts), P4 50 %.
    expect(p1).toBeGreaterThan(PRIORITY_SHARES[0] * 0.5);
    expect(p1).toBeLessThan(PRIORITY_SHARES[0] * 2.5);
    expect(p4).toBeGreaterThan(0.4);
    expect(p4).toBeLessThan(0.6);
  });

  it('skews configuration items: the most common one takes far more than 1/2000 of incidents', () => {
    const generator = new IncidentGenerator({ incidents: N, seed: 5, start: new Date('2025-01-01T00:00:00Z'), months: 12, events: false });
    const counts = new Map<string, number>();
    for (const r of generator.incidents()) counts.set(r.configurationItem ?? '', (counts.get(r.configurationItem ?? '') ?? 0) + 1);
    const top = Math.max(...counts.values());
    // Zipf s=1.05 over 2000 items: rank 1 gets about 1/H(2000,1.05) ~ 1/7.3 ~ 14 %; uniform would be 0.05 %.
    expect(top / N).toBeGreaterThan(0.05);
  });

  it('makes restoration times log-normal by priority: P1 median well below P5 median', () => {
    const generator = new IncidentGenerator({ incidents: N, seed: 9, start: new Date('2025-01-01T00:00:00Z'), months: 12, events: false });
    const ttr: Record<number, number[]> = { 1: [], 5: [] };
    for (const r of generator.incidents()) {
      if (r.restoredAt && r.restoredAt >= r.openedAt && (r.priority === 1 || r.priority === 5)) {
        ttr[r.priority].push((r.restoredAt.getTime() - r.openedAt.getTime()) / 3_600_000);
      }
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // Profile medians: P1 2.5 h, P5 96 h.
    expect(median(ttr[1])).toBeGreaterThan(1);
    expect(median(ttr[1])).toBeLessThan(6);
    expect(median(ttr[5])).toBeGreaterThan(50);
    expect(median(ttr[5])).toBeLessThan(150);
  });

  it('opens more incidents on weekdays and in working hours', () => {
    const weekend = share(N, (r) => [0, 6].includes(r.openedAt.getUTCDay()));
    const night = share(N, (r) => r.openedAt.getUTCHours() < 5);
    // Uniform would give 2/7 ~ 0.286 weekend and 5/24 ~ 0.208 night; the profile gives ~0.09 and ~0.035.
    expect(weekend).toBeLessThan(0.18);
    expect(night).toBeLessThan(0.1);
  });

  it('has reassignments, reopenings, open incidents and pauses', () => {
    expect(share(N, (r) => r.reassignmentCount > 0)).toBeGreaterThan(SHARES.reassigned / 2);
    expect(share(N, (r) => r.reopenCount > 0)).toBeGreaterThan(SHARES.reopened / 2);
    expect(share(N, (r) => r.restoredAt === null)).toBeGreaterThan(0.001);
    expect(share(N, (r) => r.events.some((e) => e.to === 'Awaiting User Info'))).toBeGreaterThan(SHARES.awaitingUser / 2);
  });

  it('repeats failures of a burst configuration item', () => {
    // 1 % of incidents fall in bursts of 3 CIs: ~0.33 % each, while a Zipf CI of rank > 100 gets < 0.1 %.
    expect(share(N, (r) => r.configurationItem === 'ci-sap-prd-01')).toBeGreaterThan(0.0015);
  });

  it('has a small share of every data-quality gap', () => {
    const asOf = new Date('2026-01-01T00:00:00Z');
    const within = (value: number, expected: number) => {
      expect(value).toBeGreaterThan(expected / 3);
      expect(value).toBeLessThan(expected * 3);
    };
    within(share(N, (r) => r.category === null), GAP_SHARES.missingCategory);
    within(share(N, (r) => ['other', 'misc', 'general', 'unknown'].includes(r.category ?? '')), GAP_SHARES.vagueCategory);
    within(share(N, (r) => r.configurationItem === null), GAP_SHARES.missingCiOrService);
    within(share(N, (r) => !!r.restoredAt && r.restoredAt < r.openedAt), GAP_SHARES.restoredBeforeOpened);
    within(share(N, (r) => !!r.closedAt && !!r.restoredAt && r.closedAt < r.restoredAt), GAP_SHARES.closedBeforeRestored);
    within(share(N, (r) => !!r.acknowledgedAt && r.acknowledgedAt < r.openedAt), GAP_SHARES.ackBeforeOpened);
    within(share(N, (r) => !!r.closedAt && r.closedAt > asOf), GAP_SHARES.futureTime);
    within(share(N, (r) => r.impact !== null && priorityFromMatrix(r.impact, r.urgency!) !== r.priority), GAP_SHARES.priorityAgainstMatrix);
    within(share(N, (r) => !!r.restoredAt && r.closureCode === null), GAP_SHARES.restoredWithoutClosure);
  });

  it('repeats some external ids', () => {
    const generator = new IncidentGenerator({ incidents: N, seed: 2, start: new Date('2025-01-01T00:00:00Z'), months: 12, events: false });
    const seen = new Set<string>();
    let duplicates = 0;
    for (const r of generator.incidents()) {
      if (seen.has(r.externalId)) duplicates++;
      seen.add(r.externalId);
    }
    // 0.2 % of 40 000 = 80 expected.
    expect(duplicates).toBeGreaterThan(25);
    expect(duplicates).toBeLessThan(250);
  });
});

describe('options and cells', () => {
  it('rejects a bad option naming it', () => {
    expect(() => parseGenerateArgs(['--incidents', 'x'])).toThrow(/--incidents/);
    expect(() => parseGenerateArgs(['--incidents', '5', '--format', 'xml'])).toThrow(/--format/);
    expect(parseGenerateArgs(['--incidents', '1_000']).incidents).toBe(1000);
  });

  it('writes --out relative to where npm was run (INIT_CWD), not to the package root', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-generate-out-'));
    const name = `generated-${process.pid}.csv`;
    const saved = process.env.INIT_CWD;
    process.env.INIT_CWD = dir;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runGenerate(['--incidents', '3', '--out', name])).toBe(0);
      // The header and one line for each of the 3 incidents, in the user's directory only.
      expect(fs.readFileSync(path.join(dir, name), 'utf8').trimEnd().split('\n')).toHaveLength(1 + 3);
      expect(fs.existsSync(path.resolve(name))).toBe(false);
    } finally {
      stderr.mockRestore();
      if (saved === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('quotes cells and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell(null)).toBe('');
  });
});
