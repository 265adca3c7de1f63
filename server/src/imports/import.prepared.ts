import { copyLines } from './import.copy';
import { ImportItem, Rejection } from './import.types';

/**
 * A row read and mapped, as the import writes it: its COPY text (import.copy.ts) with the id and
 * line it needs to route the row, or a rejection. Reading up to here is the same whether it runs
 * on the importing thread or on a worker thread (import.worker.ts).
 */
export type PreparedItem =
  | { kind: 'row'; externalId: string; line: number; row: string; events: string }
  | { kind: 'rejection'; rejection: Rejection };

/** One item of a format with its record turned into COPY text. */
export function prepare(item: ImportItem): PreparedItem {
  if (item.kind === 'rejection') return item;
  const { row, events } = copyLines(item.record);
  return { kind: 'row', externalId: item.record.externalId, line: item.line, row, events };
}

/** A format's items, prepared. */
export async function* prepared(items: AsyncIterable<ImportItem>): AsyncGenerator<PreparedItem> {
  for await (const item of items) yield prepare(item);
}
