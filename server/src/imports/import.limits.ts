import { IncidentRecord } from '../incidents/incident.record';
import { RowError } from './import.fields';

/**
 * Longest value of a short text field, in characters. These fields are indexed or grouped by
 * (category, assignment_group, ...), and PostgreSQL refuses an index entry over about 8 kB,
 * which would fail the whole batch; no real category or id comes near 1,000 characters.
 */
export const MAX_SHORT_TEXT = 1_000;

/** Longest value of a free-text field (resolution notes, workaround) or of an attribute. */
export const MAX_LONG_TEXT = 10_000;

const SHORT_FIELDS = [
  ['externalId', 'external_id'],
  ['status', 'status'],
  ['category', 'category'],
  ['subcategory', 'subcategory'],
  ['service', 'service'],
  ['configurationItem', 'configuration_item'],
  ['assignmentGroup', 'assignment_group'],
  ['detectionSource', 'detection_source'],
  ['knowledgeArticle', 'knowledge_article'],
  ['supplier', 'supplier'],
  ['closureCode', 'closure_code'],
  ['problemId', 'problem_id'],
  ['relatedChange', 'related_change'],
  ['causedByChange', 'caused_by_change'],
] as const;

const LONG_FIELDS = [
  ['workaround', 'workaround'],
  ['resolutionNotes', 'resolution_notes'],
] as const;

function tooLong(field: string, value: string, max: number): RowError {
  return new RowError(field, `${value.length} characters, at most ${max}`);
}

/** Throws a RowError naming the first text field of the record over its limit. */
export function checkLengths(record: IncidentRecord): void {
  for (const [key, field] of SHORT_FIELDS) {
    const value = record[key];
    if (value !== null && value.length > MAX_SHORT_TEXT) throw tooLong(field, value, MAX_SHORT_TEXT);
  }
  for (const [key, field] of LONG_FIELDS) {
    const value = record[key];
    if (value !== null && value.length > MAX_LONG_TEXT) throw tooLong(field, value, MAX_LONG_TEXT);
  }
  for (const [name, value] of Object.entries(record.attributes)) {
    if (typeof value === 'string' && value.length > MAX_LONG_TEXT) throw tooLong(name, value, MAX_LONG_TEXT);
  }
  record.events.forEach((event, i) => {
    for (const [side, value] of [
      ['from', event.from],
      ['to', event.to],
    ] as const) {
      if (value !== null && value.length > MAX_SHORT_TEXT) throw tooLong(`events[${i}].${side}`, value, MAX_SHORT_TEXT);
    }
  });
}
