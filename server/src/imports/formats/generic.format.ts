import { IncidentEventKind, IncidentEventRecord, IncidentRecord, RECORD_COLUMNS } from '../../incidents/incident.record';
import { clean, count, flag, level, RowError } from '../import.fields';
import { MAX_RECORD_CHARS, NOT_UTF8, TOO_LARGE } from '../import.input';
import { blankRecord, required, settlePriority } from '../import.record';
import { TimeReader } from '../import.time';
import { ImportItem, isBlank, rejectionFrom, SourceRow, timeField, ImportRequestError } from '../import.types';

/** In the generic format only an empty value is missing. */
const NO_PLACEHOLDERS = new Set<string>();

/** METRICS.md's record, by its column names. */
export const GENERIC_FIELDS = RECORD_COLUMNS;
type GenericField = (typeof GENERIC_FIELDS)[number];
const KNOWN = new Set<string>(GENERIC_FIELDS);

const EVENT_KINDS = new Set<IncidentEventKind>(['status', 'assignment', 'priority', 'escalation', 'update']);

/** One incident from its field values (already cleaned: null = missing). */
export function mapGeneric(get: (field: GenericField) => string | null, time: TimeReader): IncidentRecord {
  const externalId = required(get('external_id'), 'external_id');
  const openedAt = required(timeField(time, get('opened_at'), 'opened_at'), 'opened_at');
  const r = blankRecord(externalId, openedAt);
  r.detectedAt = timeField(time, get('detected_at'), 'detected_at');
  r.acknowledgedAt = timeField(time, get('acknowledged_at'), 'acknowledged_at');
  r.restoredAt = timeField(time, get('restored_at'), 'restored_at');
  r.closedAt = timeField(time, get('closed_at'), 'closed_at');
  r.status = get('status');
  r.impact = level(get('impact'), 'impact', 1, 3);
  r.urgency = level(get('urgency'), 'urgency', 1, 3);
  settlePriority(r, level(get('priority'), 'priority', 1, 5), 'priority');
  r.category = get('category');
  r.subcategory = get('subcategory');
  r.service = get('service');
  r.configurationItem = get('configuration_item');
  r.assignmentGroup = get('assignment_group');
  r.reassignmentCount = count(get('reassignment_count'), 'reassignment_count') ?? 0;
  r.hierarchicalEscalation = flag(get('hierarchical_escalation'), 'hierarchical_escalation') ?? false;
  r.reopenCount = count(get('reopen_count'), 'reopen_count') ?? 0;
  r.isMajor = flag(get('is_major'), 'is_major') ?? false;
  r.detectionSource = get('detection_source');
  r.workaround = get('workaround');
  r.knowledgeArticle = get('knowledge_article');
  r.supplier = get('supplier');
  r.closureCode = get('closure_code');
  r.resolutionNotes = get('resolution_notes');
  r.problemId = get('problem_id');
  r.relatedChange = get('related_change');
  r.causedByChange = get('caused_by_change');
  r.sourceSlaMet = flag(get('source_sla_met'), 'source_sla_met');
  return r;
}

/** Generic CSV: METRICS.md's column names; other columns are kept in attributes. */
export async function* readGenericCsv(
  rows: AsyncIterable<SourceRow>,
  header: string[],
  time: TimeReader,
): AsyncGenerator<ImportItem> {
  const names = header.map((h) => h.replace(/\uFEFF/g, '').trim());
  const position = new Map<string, number>();
  names.forEach((name, i) => {
    if (!KNOWN.has(name)) return;
    // Which of two columns holds the field cannot be guessed; taking one would drop the other.
    const first = position.get(name);
    if (first !== undefined) {
      throw new ImportRequestError(`generic: the header names ${name} twice (columns ${first + 1} and ${i + 1}); keep one`);
    }
    position.set(name, i);
  });
  const missing = (['external_id', 'opened_at'] as const).filter((name) => !position.has(name));
  if (missing.length > 0) {
    throw new ImportRequestError(
      `generic: the header has no ${missing.join(' or ')} column; it needs external_id and opened_at`,
    );
  }
  const extras = names.map((name, i) => ({ name, i })).filter(({ name }) => name !== '' && !KNOWN.has(name));
  const idColumn = position.get('external_id')!;

  // One getter for every row (the row's values change under it): no closure and no map lookup a row.
  const at = Object.fromEntries(position) as Partial<Record<GenericField, number>>;
  let values: string[] = [];
  let plain = false;
  const get = (field: GenericField) => {
    const i = at[field];
    return i === undefined ? null : plain ? trimmed(values[i]) : clean(values[i], NO_PLACEHOLDERS);
  };

  for await (const row of rows) {
    if (!row.error && isBlank(row.values)) continue;
    values = row.values;
    plain = row.plain === true;
    try {
      if (row.error) throw row.error;
      const record = mapGeneric(get, time);
      for (const { name, i } of extras) {
        const value = clean(values[i], NO_PLACEHOLDERS);
        if (value !== null) record.attributes[name] = value;
      }
      yield { kind: 'record', line: row.line, record, plain };
    } catch (error) {
      yield rejectionFrom(error, row.line, clean(values[idColumn], NO_PLACEHOLDERS));
    }
  }
}

/** clean() for a plain row (SourceRow.plain): no byte-order marks to drop, no placeholders. */
function trimmed(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const value = raw.trim();
  return value === '' ? null : value;
}

/** One element of a JSON array, the line it starts on and its 1-based position in the array. */
export interface JsonElement {
  line: number;
  index: number;
  /** The parsed value; undefined when it is no valid JSON, TOO_LARGE when over the record limit. */
  value: unknown;
  /** True when its text holds bytes that were no UTF-8 (read as utf8). */
  undecodable?: boolean;
}

function text(value: unknown, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return clean(value, NO_PLACEHOLDERS);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new RowError(field, 'expected a string, number or boolean');
}

/** Generic JSON: an array of incidents with METRICS.md's field names, each optionally with `events`. */
export async function* readGenericJson(elements: AsyncIterable<JsonElement>, time: TimeReader): AsyncGenerator<ImportItem> {
  let sawObject = false;
  for await (const { line, index, value, undecodable } of elements) {
    if (!sawObject && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      sawObject = true;
      // As a CSV header without those columns: another kind of export, refused before a write.
      const keys = Object.keys(value as object);
      if (!keys.includes('external_id') && !keys.includes('opened_at')) {
        const shown = keys.slice(0, 8).join(', ') + (keys.length > 8 ? ', ...' : '');
        throw new ImportRequestError(
          `generic: the first object (element ${index}) has neither external_id nor opened_at; its keys are ${shown || 'none'}`,
        );
      }
    }
    let externalId: string | null = null;
    try {
      if (value === TOO_LARGE) {
        throw new RowError('(element)', `element ${index} is longer than ${MAX_RECORD_CHARS} characters`);
      }
      if (value === undefined) throw new RowError('(element)', `element ${index} is not valid JSON`);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new RowError('(element)', `element ${index} is not an object`);
      }
      const object = value as Record<string, unknown>;
      externalId = text(object.external_id, 'external_id');
      if (undecodable) throw new RowError(undecodableKey(object), NOT_UTF8);
      const record = mapGeneric((field) => text(object[field], field), time);
      record.events = jsonEvents(object.events, time);
      for (const [key, raw] of Object.entries(object)) {
        if (KNOWN.has(key) || key === 'events') continue;
        if (key === 'attributes') {
          // As events: null is none. Anything else than an object was once kept as an attribute
          // named "attributes".
          if (raw === null) continue;
          if (typeof raw !== 'object' || Array.isArray(raw)) {
            throw new RowError('attributes', 'not an object of attribute names and values');
          }
          for (const [name, v] of Object.entries(raw)) record.attributes[name] = attribute(v, `attributes.${name}`);
        } else {
          record.attributes[key] = attribute(raw, key);
        }
      }
      yield { kind: 'record', line, record };
    } catch (error) {
      yield rejectionFrom(error, line, externalId);
    }
  }
}

/** The first key whose value holds U+FFFD, the mark of bytes that were no UTF-8. */
function undecodableKey(object: Record<string, unknown>): string {
  for (const [key, value] of Object.entries(object)) if (JSON.stringify(value).includes('\uFFFD')) return key;
  return '(element)';
}

function attribute(value: unknown, field: string): string | number | boolean | null {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new RowError(field, 'an attribute must be a string, number, boolean or null');
}

function jsonEvents(raw: unknown, time: TimeReader): IncidentEventRecord[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new RowError('events', 'not an array');
  const events = raw.map((item: unknown, i): IncidentEventRecord => {
    const field = `events[${i}]`;
    if (item === null || typeof item !== 'object') throw new RowError(field, 'not an object');
    const e = item as Record<string, unknown>;
    const kind = text(e.kind, `${field}.kind`);
    if (kind === null || !EVENT_KINDS.has(kind as IncidentEventKind)) {
      throw new RowError(`${field}.kind`, `expected one of ${[...EVENT_KINDS].join(', ')}, got "${kind ?? ''}"`);
    }
    const at = required(timeField(time, text(e.at, `${field}.at`), `${field}.at`), `${field}.at`);
    return { at, kind: kind as IncidentEventKind, from: text(e.from, `${field}.from`), to: text(e.to, `${field}.to`) };
  });
  // History is kept in time order; events at the same instant keep their order in the file.
  return events
    .map((event, i) => ({ event, i }))
    .sort((a, b) => a.event.at.getTime() - b.event.at.getTime() || a.i - b.i)
    .map(({ event }) => event);
}
