import { IncidentRecord } from '../incidents/incident.record';
import { RowError } from './import.fields';

/** Longest value of a short text field, in characters; no real category or id comes near it. */
export const MAX_SHORT_TEXT = 1_000;

/**
 * Longest value, in bytes of UTF-8, of the short fields that the incident's covering indexes hold
 * (INDEXED_FIELDS). PostgreSQL refuses a B-tree entry over 2,704 bytes, and one failed entry
 * fails the whole batch. The widest entry (sql/063's rollup_incident_opened_cover_idx) holds all
 * five and ~60 bytes more: 5 x 500 + 60 stays under it even where nothing compresses (1,000
 * random CJK characters, 3,000 bytes, failed an import before).
 */
export const MAX_INDEXED_BYTES = 500;

const INDEXED_FIELDS = new Set<string>(['external_id', 'category', 'assignment_group', 'service', 'detection_source']);

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

/** Characters as a reader counts them: code points, so an emoji is one, not two UTF-16 units. */
function characters(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** NUL or any UTF-16 surrogate: the quick test; unstorable() tells a lone surrogate from a pair. */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why PostgreSQL cannot store `value` as it is, or null. A NUL is refused by its text and JSON
 * types alike. A lone surrogate (JSON allows "\ud800") would be stored as U+FFFD: two ids that
 * differ only there would become one, and jsonb refuses it outright.
 */
function unstorable(field: string, value: string): RowError | null {
  if (!SUSPECT.test(value)) return null;
  if (value.includes('\u0000')) return new RowError(field, 'holds a NUL character (U+0000), which PostgreSQL cannot store');
  const lone = LONE_SURROGATE.exec(value);
  if (lone === null) return null;
  const code = lone[0].charCodeAt(0).toString(16).toUpperCase();
  return new RowError(field, `holds a lone UTF-16 surrogate (U+${code}), which is not a character`);
}

/** The text with each NUL and lone surrogate replaced by U+FFFD: storable, for messages that quote a value. */
export function storableText(text: string): string {
  if (!SUSPECT.test(text)) return text;
  return text.replace(/\u0000/g, '\uFFFD').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}

function checkValue(field: string, value: string, max: number, plain: boolean): void {
  // A string's length is its UTF-16 units, never fewer than its characters: counted only past it.
  if (value.length > max) {
    const n = characters(value);
    if (n > max) throw new RowError(field, `${n} characters, at most ${max}`);
  }
  if (plain) return;
  const error = unstorable(field, value);
  if (error) throw error;
}

/** Throws when the value is over MAX_INDEXED_BYTES in UTF-8 (only worth counting past a third of it). */
function checkIndexed(field: string, value: string): void {
  if (value.length * 3 <= MAX_INDEXED_BYTES) return;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_INDEXED_BYTES) {
    throw new RowError(field, `${bytes} bytes in UTF-8, at most ${MAX_INDEXED_BYTES} (the field is indexed)`);
  }
}

/**
 * Throws a RowError naming the first text field of the record that is over its limit or holds
 * what PostgreSQL cannot store (a NUL, a lone surrogate). A row with one would otherwise fail the
 * whole batch's COPY. `plain`: the record's text is known to hold neither (SourceRow.plain).
 */
export function checkText(record: IncidentRecord, plain = false): void {
  for (const [key, field] of SHORT_FIELDS) {
    const value = record[key];
    if (value === null) continue;
    checkValue(field, value, MAX_SHORT_TEXT, plain);
    if (INDEXED_FIELDS.has(field)) checkIndexed(field, value);
  }
  for (const [key, field] of LONG_FIELDS) {
    const value = record[key];
    if (value !== null) checkValue(field, value, MAX_LONG_TEXT, plain);
  }
  for (const [name, value] of Object.entries(record.attributes)) {
    // A name comes from the header, which `plain` does not speak for.
    const error = unstorable('attributes', name);
    if (error) throw new RowError('attributes', `a column name ${error.reason}`);
    if (typeof value === 'string') checkValue(name, value, MAX_LONG_TEXT, plain);
  }
  record.events.forEach((event, i) => {
    for (const [side, value] of [
      ['from', event.from],
      ['to', event.to],
    ] as const) {
      if (value !== null) checkValue(`events[${i}].${side}`, value, MAX_SHORT_TEXT, plain);
    }
  });
}
