import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ReadError } from './import.input';
import { PreparedItem } from './import.prepared';
import { ImportRequestError } from './import.types';
import type { FailureMessage, ReadJob, WorkerMessage } from './import.worker';

/**
 * The worker's script, compiled: dist/server/imports/import.worker.js from the project's root.
 * Tests run the TypeScript sources of everything else, so they need a build first (npm test
 * builds); the path is the same from server/src/imports and from dist/server/imports.
 */
export const WORKER_SCRIPT = path.resolve(__dirname, '..', '..', '..', 'dist', 'server', 'imports', 'import.worker.js');

/**
 * The worker's young generation, where its rows live and die. V8's default let the import's peak
 * RSS reach 216 MB at 1 M rows and 254 MB at 10 M; 16 MB gave 198 MB at 1 M for the same time,
 * while 8 MB took 17 % longer (more frequent collections).
 */
const WORKER_YOUNG_MB = 16;

/** True when the worker's script is there to start. */
export function canReadInWorker(): boolean {
  return fs.existsSync(WORKER_SCRIPT);
}

/** A file being read: its items, and what ends the reading (read to the end or not). */
export interface Reading {
  items: AsyncIterable<PreparedItem>;
  close(): Promise<void>;
}

function rebuilt(failure: FailureMessage): Error {
  if (failure.kind === 'read') return new ReadError(failure.line, failure.reason, failure.at);
  if (failure.kind === 'request') return new ImportRequestError(failure.message);
  const error = new Error(failure.message);
  if (failure.stack) error.stack = failure.stack;
  return error;
}

/**
 * Reads and maps the file on a worker thread, giving the same items in the same order as
 * prepared(readItems(...)) on this one: on two cores the parsing and the writing then overlap.
 * Resolves once the header is read (and rejects as readItems would when it cannot be); the
 * worker stays at most a few messages ahead of what this thread has taken, so memory stays flat.
 * close() ends the worker, read to the end or not; the caller calls it however the import ends.
 */
export async function readInWorker(
  job: ReadJob,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
): Promise<Reading> {
  const worker = new Worker(WORKER_SCRIPT, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let ended: Error | null = null;
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    ended = error;
    wake?.();
  });
  worker.on('exit', (code) => {
    ended ??= new Error(`the import's reading thread stopped (exit code ${code})`);
    wake?.();
  });
  const next = async (): Promise<WorkerMessage> => {
    while (queue.length === 0) {
      if (ended) throw ended;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    return queue.shift()!;
  };

  try {
    const first = await next();
    if (first.type === 'error') throw rebuilt(first);
    if (first.type !== 'ready') throw new Error(`the import's reading thread sent ${first.type} before it was ready`);
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  async function* items(): AsyncGenerator<PreparedItem> {
    for (;;) {
      const message = await next();
      if (message.type === 'error') throw rebuilt(message);
      if (message.type === 'ready') continue;
      if (message.progress) onProgress?.(message.progress[0], message.progress[1]);
      if (message.type === 'end') return;
      // Taken: the worker may read one message further while these rows are routed.
      worker.postMessage(0);
      const { kinds, ids, lines, rows, events, rejections } = message;
      for (let i = 0, r = 0, j = 0; i < kinds.length; i++) {
        if (kinds[i] === 1) {
          yield { kind: 'row', externalId: ids[r], line: lines[r], row: rows[r], events: events[r] };
          r++;
        } else {
          yield { kind: 'rejection', rejection: rejections[j++] };
        }
      }
    }
  }
  return { items: items(), close: async () => void (await worker.terminate()) };
}
