import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

/** The value at quantile q (0..1) of a sample, by nearest rank; null for an empty sample. */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function median(values: number[]): number | null {
  return quantile(values, 0.5);
}

/** product / baseline, or null when either was not measured. */
export function ratio(product: number | null, baseline: number | null): number | null {
  return product === null || baseline === null || baseline === 0 ? null : round(product / baseline, 3);
}

export function round(value: number | null, digits = 1): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface ChildRun {
  exitCode: number;
  durationMs: number;
  peakRssMb: number | null;
  stderrTail: string;
}

/**
 * Runs the product's import as a child process and reports its wall time and peak resident
 * memory: from GNU time when present, else by sampling VmHWM in /proc while it runs.
 */
export async function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  const gnuTime = fs.existsSync('/usr/bin/time');
  const argv = gnuTime ? ['-v', command, ...args] : args;
  const started = performance.now();
  const child = spawn(gnuTime ? '/usr/bin/time' : command, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (part: Buffer) => {
    stderr = (stderr + part.toString('utf8')).slice(-20_000);
  });

  let sampledKb = 0;
  const sampler = gnuTime
    ? undefined
    : setInterval(() => {
        try {
          const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
          const match = /VmHWM:\s+(\d+) kB/.exec(status);
          if (match) sampledKb = Math.max(sampledKb, Number(match[1]));
        } catch {
          // The process has just ended.
        }
      }, 50);
  const exitCode: number = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  if (sampler) clearInterval(sampler);
  const durationMs = performance.now() - started;

  let peakKb: number | null = sampledKb || null;
  if (gnuTime) {
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    peakKb = match ? Number(match[1]) : null;
    // GNU time reports the wrapped command's own status on failure.
    stderr = stderr.replace(/\n?(Command exited with non-zero status \d+\n)?\s*Command being timed:[\s\S]*$/, '');
  }
  return { exitCode, durationMs, peakRssMb: peakKb === null ? null : peakKb / 1024, stderrTail: stderr.slice(-2000) };
}

/**
 * Gzipped size of the dashboard's initial JavaScript: index.html's entry scripts and the
 * modules they import statically (Vite also lists these as modulepreload links).
 */
export function initialJsGzKb(clientDir: string): number | null {
  const index = path.join(clientDir, 'index.html');
  if (!fs.existsSync(index)) return null;
  const html = fs.readFileSync(index, 'utf8');
  const queue: string[] = [];
  for (const match of html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)) queue.push(match[1]);
  for (const match of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)) queue.push(match[1]);

  const seen = new Set<string>();
  let bytes = 0;
  while (queue.length > 0) {
    const url = queue.shift()!;
    const file = path.join(clientDir, url.replace(/^\//, ''));
    if (seen.has(file) || !fs.existsSync(file)) continue;
    seen.add(file);
    const code = fs.readFileSync(file);
    bytes += gzipSync(code, { level: 9 }).length;
    // Static imports only (`import ... from "./x.js"` and `import "./x.js"`); dynamic import() is lazy.
    const text = code.toString('utf8');
    for (const match of text.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+\.js)["']/g)) {
      queue.push(path.posix.join(path.posix.dirname(url), match[1]));
    }
  }
  return bytes / 1024;
}
