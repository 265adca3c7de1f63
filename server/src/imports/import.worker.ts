import { parentPort, workerData } from 'node:worker_threads';
import { Detected } from './import.detect';
import { Encoding, ReadError } from './import.input';
import { prepare } from './import.prepared';
import { readItems } from './import.read';
import { TimeReader } from './import.time';
import { FormatName, ImportRequestError, Rejection } from './import.types';

/**
 * The reading half of an import on a thread of its own: the file is read, parsed, mapped and
 * turned into COPY text here while the importing thread routes the rows and PostgreSQL writes
 * them (import.parallel.ts). Started with ReadJob as its workerData.
 */
export interface ReadJob {
  file: string;
  format: FormatName;
  detected: Detected;
  zone: string;
  encoding: Encoding;
}

/** Items in file order: `kinds` says which list the next one comes from (1 a row, 0 a rejection). */
export interface ItemsMessage {
  type: 'items';
  kinds: number[];
  ids: string[];
  lines: number[];
  rows: string[];
  events: string[];
  rejections: Rejection[];
  /** Bytes read of the file and its size, when they moved on. */
  progress: [number, number] | null;
}

/** Why reading stopped, rebuilt as the same error on the importing thread. */
export type FailureMessage =
  | { type: 'error'; kind: 'read'; line: number; reason: string; at: number }
  | { type: 'error'; kind: 'request' | 'other'; message: string; stack?: string };

/**
 * `ready` once the file is open and its header read (what fails before it fails the start of
 * reading, as on the importing thread), then items, then `end` or an error.
 */
export type WorkerMessage =
  | { type: 'ready' }
  | ItemsMessage
  | FailureMessage
  | { type: 'end'; progress: [number, number] | null };

/** Items per message: large enough that posting costs little per row, small enough to stream. */
export const ITEMS_PER_MESSAGE = 1_000;
/** Messages posted and not yet taken, at most: the reader stays this far ahead, no further. */
export const MESSAGES_AHEAD = 4;

function emptyMessage(): ItemsMessage {
  return { type: 'items', kinds: [], ids: [], lines: [], rows: [], events: [], rejections: [], progress: null };
}

export function failureMessage(error: unknown): FailureMessage {
  if (error instanceof ReadError) return { type: 'error', kind: 'read', line: error.line, reason: error.reason, at: error.at };
  if (error instanceof ImportRequestError) return { type: 'error', kind: 'request', message: error.message };
  const e = error instanceof Error ? error : new Error(String(error));
  return { type: 'error', kind: 'other', message: e.message, stack: e.stack };
}

async function run(job: ReadJob): Promise<void> {
  const port = parentPort!;
  let ahead = 0;
  let resume: (() => void) | null = null;
  port.on('message', () => {
    ahead--;
    resume?.();
    resume = null;
  });
  let progress: [number, number] | null = null;
  const post = async (message: ItemsMessage | { type: 'end'; progress: [number, number] | null }) => {
    message.progress = progress;
    progress = null;
    while (ahead >= MESSAGES_AHEAD) await new Promise<void>((wake) => (resume = wake));
    ahead++;
    port.postMessage(message);
  };

  let message = emptyMessage();
  try {
    const time = new TimeReader(job.zone);
    const onProgress = (read: number, size: number) => (progress = [read, size]);
    const items = await readItems(job.file, job.format, job.detected, time, onProgress, job.encoding);
    port.postMessage({ type: 'ready' } satisfies WorkerMessage);
    // prepare() here rather than through prepared(): one async generator fewer a row.
    for await (const read of items) {
      const item = prepare(read);
      if (item.kind === 'row') {
        message.kinds.push(1);
        message.ids.push(item.externalId);
        message.lines.push(item.line);
        message.rows.push(item.row);
        message.events.push(item.events);
      } else {
        message.kinds.push(0);
        message.rejections.push(item.rejection);
      }
      if (message.kinds.length >= ITEMS_PER_MESSAGE) {
        await post(message);
        message = emptyMessage();
      }
    }
    if (message.kinds.length > 0) await post(message);
    await post({ type: 'end', progress: null });
  } catch (error) {
    // The rows read before a cut are good: they go first.
    if (message.kinds.length > 0) await post(message);
    port.postMessage(failureMessage(error));
  }
}

if (parentPort !== null && workerData !== undefined) void run(workerData as ReadJob);
