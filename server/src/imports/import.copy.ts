import { hash } from 'node:crypto';
import { IncidentRecord, RECORD_COLUMNS } from '../incidents/incident.record';
import { ISO_TEXT, ReadDate } from './import.time';

/**
 * The incident columns an import writes, in the order of the staging table and of the COPY text.
 * source_id, content_hash, version and the bookkeeping times are added by the upsert.
 */
const AFTER_PRIORITY = RECORD_COLUMNS.indexOf('priority') + 1;

export const INCIDENT_COLUMNS = [
  ...RECORD_COLUMNS.slice(0, AFTER_PRIORITY),
  'priority_origin',
  ...RECORD_COLUMNS.slice(AFTER_PRIORITY),
  'attributes',
] as const;

export const EVENT_COLUMNS = ['external_id', 'seq', 'at', 'kind', 'from_value', 'to_value'] as const;

const SPECIAL = /[\\\t\n\r]/;

/** A text value in PostgreSQL's COPY text format; \N is null. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY_MS = 86_400_000;

/**
 * The instant as Date.toISOString() writes it (yyyy-mm-ddTHH:MM:SS.sssZ), four times faster: the
 * content hash is taken over this text, so it must stay the same to the character. Years outside
 * 1000..9999 go to toISOString itself. The civil date from the day number is H. Hinnant's
 * days-to-civil algorithm. A Date the reader's fast path made carries its text already.
 */
export function isoTime(value: ReadDate): string {
  const kept = value[ISO_TEXT];
  if (kept !== undefined) return kept;
  const ms = value.getTime();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (!(y >= 1000 && y <= 9999)) return value.toISOString();
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const sec = Math.floor(rest / 1000);
  return y + '-' + PAD2[m] + '-' + PAD2[d] + 'T' + PAD2[h] + ':' + PAD2[mi] + ':' + PAD2[sec] + '.' + PAD3[rest - sec * 1000] + 'Z';
}

function time(value: Date | null): string {
  return value === null ? '\\N' : isoTime(value);
}

function num(value: number | null): string {
  return value === null ? '\\N' : String(value);
}

function bool(value: boolean | null): string {
  return value === null ? '\\N' : value ? 't' : 'f';
}

/**
 * The record's COPY text: its row (the mapped fields and their content hash: md5 over the fields
 * and the events, so an unchanged re-import is recognised without reading the stored row), without
 * a line end, and its event lines. The staging table takes the row with the file's line after it;
 * a bulk load's straight copy takes it with the source id before it.
 */
export function copyLines(record: IncidentRecord): { row: string; events: string } {
  const r = record;
  const id = copyText(r.externalId);
  const T = '\t';
  const fields =
    id + T + time(r.openedAt) + T + time(r.detectedAt) + T + time(r.acknowledgedAt) + T + time(r.restoredAt) + T +
    time(r.closedAt) + T + copyText(r.status) + T + num(r.impact) + T + num(r.urgency) + T + num(r.priority) + T +
    r.priorityOrigin + T + copyText(r.category) + T + copyText(r.subcategory) + T + copyText(r.service) + T +
    copyText(r.configurationItem) + T + copyText(r.assignmentGroup) + T + num(r.reassignmentCount) + T +
    bool(r.hierarchicalEscalation) + T + num(r.reopenCount) + T + bool(r.isMajor) + T + copyText(r.detectionSource) + T +
    copyText(r.workaround) + T + copyText(r.knowledgeArticle) + T + copyText(r.supplier) + T + copyText(r.closureCode) + T +
    copyText(r.resolutionNotes) + T + copyText(r.problemId) + T + copyText(r.relatedChange) + T +
    copyText(r.causedByChange) + T + bool(r.sourceSlaMet) + T + copyText(attributesJson(r.attributes));

  let events = '';
  for (let i = 0; i < r.events.length; i++) {
    const e = r.events[i];
    events += `${id}\t${i + 1}\t${isoTime(e.at)}\t${e.kind}\t${copyText(e.from)}\t${copyText(e.to)}\n`;
  }
  // One-shot md5 of the same text as before (fields, then events): the hashes of rows imported
  // by earlier versions stay valid, so their re-import finds them unchanged.
  return { row: fields + T + hash('md5', fields + events, 'hex'), events };
}

/** JSON.stringify of the attributes, without the call for the common empty object. */
function attributesJson(attributes: IncidentRecord['attributes']): string {
  for (const key in attributes) if (Object.hasOwn(attributes, key)) return JSON.stringify(attributes);
  return '{}';
}
