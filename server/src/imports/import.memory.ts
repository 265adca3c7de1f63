import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets its heap grow past what a full collection left alive, in percent, while an
 * import runs. By default V8 picks up to 4x when collections are cheap, and an import's stream of
 * short-lived rows makes them cheap: at 1 M rows the import command's heap then swung between
 * 32 MB alive and 140-170 MB, peak RSS 243-248 MB. At 30 % it stays under 60 MB (peak RSS 155 MB)
 * for the same time. The flag is read at every collection, so setting it at run time takes
 * effect; 0 gives V8 its own choice back.
 */
const HEAP_GROWING_PERCENT = 30;

let running = 0;

/** Runs `work` with the heap kept tight; the setting is V8's own again once no import runs. */
export async function withTightHeap<T>(work: () => Promise<T>): Promise<T> {
  if (running++ === 0) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  try {
    return await work();
  } finally {
    if (--running === 0) setFlagsFromString('--heap-growing-percent=0');
  }
}
