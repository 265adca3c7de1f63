import { createHash } from 'node:crypto';
import { IncidentRecord, RECORD_COLUMNS } from '../incidents/incident.record';

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

function time(value: Date | null): string {
  return value === null ? '\\N' : value.toISOString();
}

function num(value: number | null): string {
  return value === null ? '\\N' : String(value);
}

function bool(value: boolean | null): string {
  return value === null ? '\\N' : value ? 't' : 'f';
}

/**
 * The record's COPY line for the staging table, ending in its content hash: md5 over the mapped
 * fields and the events, so an unchanged re-import is recognised without reading the stored row.
 * Returns the incident line and the event lines.
 */
export function copyLines(record: IncidentRecord): { incident: string; events: string } {
  const r = record;
  const id = copyText(r.externalId);
  const fields = [
    id,
    time(r.openedAt),
    time(r.detectedAt),
    time(r.acknowledgedAt),
    time(r.restoredAt),
    time(r.closedAt),
    copyText(r.status),
    num(r.impact),
    num(r.urgency),
    num(r.priority),
    r.priorityOrigin,
    copyText(r.category),
    copyText(r.subcategory),
    copyText(r.service),
    copyText(r.configurationItem),
    copyText(r.assignmentGroup),
    num(r.reassignmentCount),
    bool(r.hierarchicalEscalation),
    num(r.reopenCount),
    bool(r.isMajor),
    copyText(r.detectionSource),
    copyText(r.workaround),
    copyText(r.knowledgeArticle),
    copyText(r.supplier),
    copyText(r.closureCode),
    copyText(r.resolutionNotes),
    copyText(r.problemId),
    copyText(r.relatedChange),
    copyText(r.causedByChange),
    bool(r.sourceSlaMet),
    copyText(JSON.stringify(r.attributes)),
  ].join('\t');

  let events = '';
  for (let i = 0; i < r.events.length; i++) {
    const e = r.events[i];
    events += `${id}\t${i + 1}\t${e.at.toISOString()}\t${e.kind}\t${copyText(e.from)}\t${copyText(e.to)}\n`;
  }
  const hash = createHash('md5').update(fields).update(events).digest('hex');
  return { incident: `${fields}\t${hash}\n`, events };
}
