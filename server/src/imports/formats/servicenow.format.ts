import { IncidentEventRecord, IncidentRecord } from '../../incidents/incident.record';
import { clean, count, flag, level } from '../import.fields';
import { blankRecord, required, settlePriority } from '../import.record';
import { TimeReader } from '../import.time';
import { columnIndex, ImportItem, isBlank, pick, rejectionFrom, SourceRow, timeField, ImportRequestError } from '../import.types';

/** ServiceNow writes a missing value as `?`. */
const PLACEHOLDERS = new Set(['?']);

/** An invalid state the UCI log holds in 5 rows; it says nothing about the state. */
const INVALID_STATE = '-100';
const NEW_STATE = 'New';

/** Human reporting channels (contact_type): the disruption was detected by a user. */
const USER_CHANNELS = new Set(['phone', 'self service', 'email', 'ivr', 'direct opening', 'walk-in', 'chat']);

/** Column positions of a ServiceNow export, by ServiceNow's column names. */
export interface ServiceNowColumns {
  number: number;
  state: number;
  openedAt: number;
  updatedAt: number;
  resolvedAt: number;
  closedAt: number;
  impact: number;
  urgency: number;
  priority: number;
  category: number;
  subcategory: number;
  assignmentGroup: number;
  assignedTo: number;
  reassignmentCount: number;
  reopenCount: number;
  madeSla: number;
  cmdbCi: number;
  closedCode: number;
  vendor: number;
  problemId: number;
  rfc: number;
  causedBy: number;
  contactType: number;
  location: number;
  caller: number;
  knowledge: number;
  symptom: number;
  service: number;
  closeNotes: number;
  majorIncident: number;
}

/** Finds ServiceNow's columns in a header; `number`, the state and `opened_at` are required. */
export function serviceNowColumns(header: string[]): ServiceNowColumns {
  const index = columnIndex(header);
  const columns: ServiceNowColumns = {
    number: pick(index, 'number'),
    state: pick(index, 'incident_state', 'state'),
    openedAt: pick(index, 'opened_at'),
    updatedAt: pick(index, 'sys_updated_at'),
    resolvedAt: pick(index, 'resolved_at'),
    closedAt: pick(index, 'closed_at'),
    impact: pick(index, 'impact'),
    urgency: pick(index, 'urgency'),
    priority: pick(index, 'priority'),
    category: pick(index, 'category'),
    subcategory: pick(index, 'subcategory'),
    assignmentGroup: pick(index, 'assignment_group'),
    assignedTo: pick(index, 'assigned_to'),
    reassignmentCount: pick(index, 'reassignment_count'),
    reopenCount: pick(index, 'reopen_count'),
    madeSla: pick(index, 'made_sla'),
    cmdbCi: pick(index, 'cmdb_ci'),
    closedCode: pick(index, 'closed_code', 'close_code'),
    vendor: pick(index, 'vendor'),
    problemId: pick(index, 'problem_id'),
    rfc: pick(index, 'rfc'),
    causedBy: pick(index, 'caused_by'),
    contactType: pick(index, 'contact_type'),
    location: pick(index, 'location'),
    caller: pick(index, 'caller_id'),
    knowledge: pick(index, 'knowledge'),
    symptom: pick(index, 'u_symptom'),
    service: pick(index, 'business_service'),
    closeNotes: pick(index, 'close_notes'),
    majorIncident: pick(index, 'major_incident'),
  };
  for (const [name, i] of [
    ['number', columns.number],
    ['incident_state', columns.state],
    ['opened_at', columns.openedAt],
  ] as const) {
    if (i < 0) throw new ImportRequestError(`servicenow: the header has no "${name}" column`);
  }
  return columns;
}

function value(row: SourceRow, i: number): string | null {
  return i < 0 ? null : clean(row.values[i], PLACEHOLDERS);
}

/**
 * Reads a ServiceNow export: a plain incident table (one row per incident) or the audit event log
 * (one row per update, the rows of one incident together). Consecutive rows with the same
 * `number` make one incident; only that incident's rows are held at a time.
 */
export async function* readServiceNow(
  rows: AsyncIterable<SourceRow>,
  header: string[],
  time: TimeReader,
): AsyncGenerator<ImportItem> {
  const columns = serviceNowColumns(header);
  let group: SourceRow[] = [];
  let number: string | null = null;

  for await (const row of rows) {
    if (!row.error && isBlank(row.values)) continue;
    const rowNumber = value(row, columns.number);
    if (rowNumber !== number && group.length > 0) {
      yield mapGroup(group, number, columns, time);
      group = [];
    }
    number = rowNumber;
    group.push(row);
  }
  if (group.length > 0) yield mapGroup(group, number, columns, time);
}

function mapGroup(group: SourceRow[], number: string | null, columns: ServiceNowColumns, time: TimeReader): ImportItem {
  const last = group[group.length - 1];
  // One unreadable row rejects its whole incident, as a bad value in it would.
  const bad = group.find((row) => row.error);
  if (bad) return rejectionFrom(bad.error, bad.line, number);
  try {
    return { kind: 'record', line: last.line, record: mapServiceNowIncident(group, columns, time) };
  } catch (error) {
    const line = error instanceof GroupRowError ? error.line : last.line;
    return rejectionFrom(error instanceof GroupRowError ? error.cause : error, line, number);
  }
}

class GroupRowError extends Error {
  constructor(
    readonly line: number,
    readonly cause: unknown,
  ) {
    super('row of an incident');
  }
}

/**
 * One incident from its rows in file order: the record is the final row; the history (status,
 * assignment and priority changes, reopenings as status events) comes from row-to-row changes.
 * A bad row rejects the whole incident, since a gap in its history would skew its clocks.
 */
export function mapServiceNowIncident(group: SourceRow[], columns: ServiceNowColumns, time: TimeReader): IncidentRecord {
  const last = group[group.length - 1];
  const record = atRow(last, () => mapFinalRow(last, columns, time));
  if (group.length > 1) atRow(last, () => addHistory(record, group, columns, time));
  return record;
}

function atRow<T>(row: SourceRow, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw error instanceof GroupRowError ? error : new GroupRowError(row.line, error);
  }
}

function mapFinalRow(row: SourceRow, c: ServiceNowColumns, time: TimeReader): IncidentRecord {
  const externalId = required(value(row, c.number), 'number');
  const openedAt = required(timeField(time, value(row, c.openedAt), 'opened_at'), 'opened_at');
  const record = blankRecord(externalId, openedAt);

  const state = value(row, c.state);
  record.status = state === INVALID_STATE ? null : state;
  record.restoredAt = timeField(time, value(row, c.resolvedAt), 'resolved_at');
  record.closedAt = timeField(time, value(row, c.closedAt), 'closed_at');
  record.impact = level(value(row, c.impact), 'impact', 1, 3);
  record.urgency = level(value(row, c.urgency), 'urgency', 1, 3);
  settlePriority(record, level(value(row, c.priority), 'priority', 1, 5), 'priority');

  record.category = value(row, c.category);
  record.subcategory = value(row, c.subcategory);
  record.service = value(row, c.service);
  record.configurationItem = value(row, c.cmdbCi);
  record.assignmentGroup = value(row, c.assignmentGroup);
  record.reassignmentCount = count(value(row, c.reassignmentCount), 'reassignment_count') ?? 0;
  record.reopenCount = count(value(row, c.reopenCount), 'reopen_count') ?? 0;
  record.isMajor = flag(value(row, c.majorIncident), 'major_incident') ?? false;
  record.sourceSlaMet = flag(value(row, c.madeSla), 'made_sla');
  record.closureCode = value(row, c.closedCode);
  record.resolutionNotes = value(row, c.closeNotes);
  record.supplier = value(row, c.vendor);
  record.problemId = value(row, c.problemId);
  record.relatedChange = value(row, c.rfc);
  record.causedByChange = value(row, c.causedBy);

  const contactType = value(row, c.contactType);
  record.detectionSource = contactType !== null && USER_CHANNELS.has(contactType.toLowerCase()) ? 'user' : null;
  record.attributes = {
    contactType,
    location: value(row, c.location),
    caller: value(row, c.caller),
    knowledge: flag(value(row, c.knowledge), 'knowledge'),
    symptom: value(row, c.symptom),
  };
  if (state === INVALID_STATE) record.attributes.invalidState = INVALID_STATE;
  return record;
}

/**
 * Events and the first response from the audit rows. `-100` is no state: it neither makes nor
 * ends a status, and the status before it carries on. Events are then put in time order (stable,
 * so rows with equal times keep file order): the UCI log has one incident whose sys_updated_at
 * goes backwards in file order.
 */
function addHistory(record: IncidentRecord, group: SourceRow[], c: ServiceNowColumns, time: TimeReader): void {
  if (c.updatedAt < 0) return;
  const events: IncidentEventRecord[] = [];
  let state: string | null = null;
  let assignmentGroup: string | null = null;
  let priority: number | null = null;
  let acknowledged: number | null = null;

  group.forEach((row, i) => {
    atRow(row, () => {
      const at = required(timeField(time, value(row, c.updatedAt), 'sys_updated_at'), 'sys_updated_at');
      const rowState = value(row, c.state);
      const rowGroup = value(row, c.assignmentGroup);
      const rowPriority = level(value(row, c.priority), 'priority', 1, 5);

      if (rowState !== null && rowState !== INVALID_STATE) {
        if (i > 0 && state !== null && rowState !== state) events.push({ at, kind: 'status', from: state, to: rowState });
        state = rowState;
      }
      if (rowGroup !== null) {
        if (i > 0 && rowGroup !== assignmentGroup) events.push({ at, kind: 'assignment', from: assignmentGroup, to: rowGroup });
        assignmentGroup = rowGroup;
      }
      if (rowPriority !== null) {
        if (priority !== null && rowPriority !== priority) {
          events.push({ at, kind: 'priority', from: String(priority), to: String(rowPriority) });
        }
        priority = rowPriority;
      }

      const movedOffNew = rowState !== null && rowState !== INVALID_STATE && rowState !== NEW_STATE;
      if ((movedOffNew || value(row, c.assignedTo) !== null) && (acknowledged === null || at.getTime() < acknowledged)) {
        acknowledged = at.getTime();
      }
    });
  });

  record.acknowledgedAt = acknowledged === null ? null : new Date(acknowledged);
  record.events = events
    .map((event, i) => ({ event, i }))
    .sort((a, b) => a.event.at.getTime() - b.event.at.getTime() || a.i - b.i)
    .map(({ event }) => event);
}

