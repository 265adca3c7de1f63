import { copyLines } from './import.copy';
import { Rejection, ImportItem } from './import.types';

/**
 * A row read and mapped, as the import writes it: its COPY text (import.copy.ts) with the id and line it needs to route the row, or a rejection. Reading up to here is the same whether it runs
 * on the importing thread or on a worker thread (import.worker.ts).
 */
export type PreparedItem =
  | { kind: 'row'; externalId: string; line: number; row: string; events: string }
  | { kind: 'rejection'; rejection: Rejection };

/** A format's items with each record turned into its COPY text. */
export async function* prepared(items: AsyncIterable<ImportItem>): AsyncGenerator<PreparedItem> {
  for await (const item of items) {
    if (item.kind === 'rejection') {
      yield item;
      continue;
    }
    const { row, events } = copyLines(item.record);
    yield { kind: 'row', externalId: item.record.externalId, line: item.line, row, events };
  }
}
