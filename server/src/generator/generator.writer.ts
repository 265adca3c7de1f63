import { IncidentRecord, RECORD_COLUMNS } from '../incidents/incident.record';

/** The generic format's columns, in the order METRICS.md lists the record. */
export const GENERIC_COLUMNS = RECORD_COLUMNS;

/** ISO 8601 in UTC with Z, to the second (the generator never makes fractions of a second). */
export function isoSecond(date: Date | null): string {
  return date === null ? '' : date.toISOString().replace('.000Z', 'Z');
}

function values(record: IncidentRecord): (string | number | boolean | null)[] {
  return [
    record.externalId,
    isoSecond(record.openedAt),
    isoSecond(record.detectedAt),
    isoSecond(record.acknowledgedAt),
    isoSecond(record.restoredAt),
    isoSecond(record.closedAt),
    record.status,
    record.impact,
    record.urgency,
    record.priority,
    record.category,
    record.subcategory,
    record.service,
    record.configurationItem,
    record.assignmentGroup,
    record.reassignmentCount,
    record.hierarchicalEscalation,
    record.reopenCount,
    record.isMajor,
    record.detectionSource,
    record.workaround,
    record.knowledgeArticle,
    record.supplier,
    record.closureCode,
    record.resolutionNotes,
    record.problemId,
    record.relatedChange,
    record.causedByChange,
    record.sourceSlaMet,
  ];
}

/** One CSV cell: quoted when needed, and never a spreadsheet formula. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null || value === '') return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${GENERIC_COLUMNS.join(',')}\n`;
}

export function csvLine(record: IncidentRecord): string {
  return `${values(record).map(csvCell).join(',')}\n`;
}

/** One incident of the generic JSON format: the CSV's columns plus its events. */
export function jsonIncident(record: IncidentRecord): string {
  const object: Record<string, unknown> = {};
  const row = values(record);
  GENERIC_COLUMNS.forEach((column, i) => {
    object[column] = row[i] === '' ? null : row[i];
  });
  object.events = record.events.map((event) => ({
    at: isoSecond(event.at),
    kind: event.kind,
    from: event.from,
    to: event.to,
  }));
  return JSON.stringify(object);
}
