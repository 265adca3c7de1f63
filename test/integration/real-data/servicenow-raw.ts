/**
 * The UCI ServiceNow event log read the plain way, for the tests' own figures: lines split on
 * commas (SOURCE.md: no quoted fields), rows grouped by `number` (an incident's rows sit together).
 * Nothing here imports product code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { createGunzip } from 'node:zlib';
import { DATASETS } from './spreadsheet';

export const SERVICENOW_FILE = path.join(DATASETS, 'servicenow-uci-incident-event-log', 'incident_event_log.csv.gz');

/** SOURCE.md: `d/m/yyyy HH:MM` with no zone, read as UTC; epoch milliseconds, null for `?`. */
export function serviceNowInstant(text: string): number | null {
  if (text === '?') return null;
  const [date, time] = text.split(' ');
  const [d, m, y] = date.split('/').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return Date.UTC(y, m - 1, d, hh, mm);
}

/** One incident's rows in file order, with the header's column positions. */
export interface ServiceNowRows {
  number: string;
  rows: string[][];
  col: Record<string, number>;
}

/** The event log's incidents, one at a time, as their rows. */
export async function* serviceNowIncidents(file = SERVICENOW_FILE): AsyncGenerator<ServiceNowRows> {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(createGunzip()) });
  let col: Record<string, number> = {};
  let current: ServiceNowRows | null = null;
  for await (const line of lines) {
    const v = line.split(',');
    if (v[0] === 'number') {
      col = Object.fromEntries(v.map((name, i) => [name, i]));
      continue;
    }
    if (current === null || v[col.number] !== current.number) {
      if (current !== null) yield current;
      current = { number: v[col.number], rows: [], col };
    }
    current.rows.push(v);
  }
  if (current !== null) yield current;
}

/**
 * SOURCE.md's acknowledgement: the earliest sys_updated_at of a row whose incident_state is off
 * "New" (the invalid `-100` is no state) or whose assigned_to is set; null when none is.
 */
export function serviceNowAcknowledged({ rows, col }: ServiceNowRows): number | null {
  let ack: number | null = null;
  for (const v of rows) {
    const state = v[col.incident_state];
    if ((state !== 'New' && state !== '-100') || v[col.assigned_to] !== '?') {
      const at = serviceNowInstant(v[col.sys_updated_at])!;
      if (ack === null || at < ack) ack = at;
    }
  }
  return ack;
}
