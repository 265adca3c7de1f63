import { ACTIVITY_TYPE_COLUMN } from './formats/bpi2014.activity';
import { FormatName } from './import.types';

/** What a file is, as far as its first bytes tell. */
export interface Detected {
  format: FormatName;
  syntax: 'csv' | 'json';
  delimiter: string;
  /** The BPI 2014 activity log, which only enriches an incident file (--events). */
  activityLog: boolean;
}

/** The header line's most frequent separator among , ; and tab (quoted text ignored). */
export function delimiterOf(headerLine: string): string {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t']) {
    const n = unquoted.split(candidate).length - 1;
    if (n > bestCount) {
      best = candidate;
      bestCount = n;
    }
  }
  return best;
}

function headerNames(headerLine: string, delimiter: string): Set<string> {
  return new Set(headerLine.split(delimiter).map((name) => name.replace(/^"|"$/g, '').trim()));
}

/**
 * Tells the format from the start of a file: JSON when it opens with `[`, else the CSV header's
 * column names (ServiceNow's `number` + `incident_state`, BPI 2014's `Incident ID` or Kaggle's
 * `Incident_ID`, the generic `external_id` + `opened_at`). Undefined when none fits.
 */
export function detectFormat(start: string): Detected | undefined {
  const text = start.replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('[')) return { format: 'generic', syntax: 'json', delimiter: ',', activityLog: false };

  const headerLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = delimiterOf(headerLine);
  const names = headerNames(headerLine, delimiter);
  const csv = { syntax: 'csv' as const, delimiter, activityLog: false };

  if (names.has('Incident ID') && names.has(ACTIVITY_TYPE_COLUMN)) return { ...csv, format: 'bpi2014', activityLog: true };
  if (names.has('number') && (names.has('incident_state') || names.has('state')) && names.has('opened_at')) {
    return { ...csv, format: 'servicenow' };
  }
  if ((names.has('Incident ID') && names.has('Open Time')) || (names.has('Incident_ID') && names.has('Open_Time'))) {
    return { ...csv, format: 'bpi2014' };
  }
  if (names.has('external_id') && names.has('opened_at')) return { ...csv, format: 'generic' };
  return undefined;
}
