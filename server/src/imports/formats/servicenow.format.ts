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
 * `number` make one incident, folded row by row: what is held is its last row and its history so
 * far, never its rows, so memory stays flat however many rows one incident has.
 */
export async function* readServiceNow(
  rows: AsyncIterable<SourceRow>,
  header: string[],
  time: TimeReader,
): AsyncGenerator<ImportItem> {
  const columns = serviceNowColumns(header);
  let incident: ServiceNowIncident | null = null;

  for await (const row of rows) {
    if (!row.error && isBlank(row.values)) continue;
    const rowNumber = value(row, columns.number);
    if (incident !== null && rowNumber !== incident.number) {
      yield incident.item();
      incident = null;
    }
    incident ??= new ServiceNowIncident(rowNumber, columns, time);
    incident.add(row);
  }
  if (incident !== null) yield incident.item();
}

class GroupRowError extends Error {
  constructor(
    readonly line: number,
    readonly cause: unknown,
  ) {
    super('row of an incident');
  }
}

function atRow<T>(row: SourceRow, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw error instanceof GroupRowError ? error : new GroupRowError(row.line, error);
  }
}

/**
 * One incident of the export, its rows added in file order: the record is the final row; the
 * history (status, assignment and priority changes, reopenings as status events) and the first
 * response come from row-to-row changes. A bad row rejects the whole incident, since a gap in its
 * history would skew its clocks: an unreadable row first, then a bad value in the final row, then
 * the first row whose history cannot be read.
 *
 * `-100` is no state: it neither makes nor ends a status, and the status before it carries on.
 * Events are put in time order at the end (stable, so rows with equal times keep file order): the
 * UCI log has one incident whose sys_updated_at goes backwards in file order.
 */
class ServiceNowIncident {
  private rows = 0;
  private last: SourceRow | null = null;
  private unreadable: SourceRow | null = null;
  private historyError: GroupRowError | null = null;
  private readonly events: IncidentEventRecord[] = [];
  private state: string | null = null;
  private assignmentGroup: string | null = null;
  private priority: number | null = null;
  private acknowledged: number | null = null;

  constructor(
    readonly number: string | null,
    private readonly c: ServiceNowColumns,
    private readonly time: TimeReader,
  ) {}

  add(row: SourceRow): void {
    const previous = this.last;
    this.rows++;
    this.last = row;
    if (this.unreadable !== null) return;
    if (row.error) {
      this.unreadable = row;
      return;
    }
    // A lone row has no history (a plain incident table is all lone rows): the first row's is read
    // only once a second row comes.
    if (this.rows === 1) return;
    if (this.rows === 2) this.readHistory(previous!, true);
    this.readHistory(row, false);
  }

  private readHistory(row: SourceRow, first: boolean): void {
    if (this.historyError !== null || this.c.updatedAt < 0) return;
    try {
      atRow(row, () => this.addHistory(row, first));
    } catch (error) {
      this.historyError = error as GroupRowError;
    }
  }

  /** The incident as a record, or the rejection of the row that spoils it. */
  item(): ImportItem {
    const last = this.last!;
    if (this.unreadable !== null) return rejectionFrom(this.unreadable.error, this.unreadable.line, this.number);
    try {
      const record = atRow(last, () => mapFinalRow(last, this.c, this.time));
      // A lone row is the incident as it is now: it has no history to read.
      if (this.rows > 1 && this.c.updatedAt >= 0) {
        if (this.historyError !== null) throw this.historyError;
        record.acknowledgedAt = this.acknowledged === null ? null : new Date(this.acknowledged);
        record.events = this.events
          .map((event, i) => ({ event, i }))
          .sort((a, b) => a.event.at.getTime() - b.event.at.getTime() || a.i - b.i)
          .map(({ event }) => event);
      }
      return { kind: 'record', line: last.line, record };
    } catch (error) {
      const line = error instanceof GroupRowError ? error.line : last.line;
      return rejectionFrom(error instanceof GroupRowError ? error.cause : error, line, this.number);
    }
  }

  private addHistory(row: SourceRow, first: boolean): void {
    const c = this.c;
    const at = required(timeField(this.time, value(row, c.updatedAt), 'sys_updated_at'), 'sys_updated_at');
    const rowState = value(row, c.state);
    const rowGroup = value(row, c.assignmentGroup);
    const rowPriority = level(value(row, c.priority), 'priority', 1, 5);

    if (rowState !== null && rowState !== INVALID_STATE) {
      if (!first && this.state !== null && rowState !== this.state) {
        this.events.push({ at, kind: 'status', from: this.state, to: rowState });
      }
      this.state = rowState;
    }
    if (rowGroup !== null) {
      if (!first && rowGroup !== this.assignmentGroup) {
        this.events.push({ at, kind: 'assignment', from: this.assignmentGroup, to: rowGroup });
      }
      this.assignmentGroup = rowGroup;
    }
    if (rowPriority !== null) {
      if (this.priority !== null && rowPriority !== this.priority) {
        this.events.push({ at, kind: 'priority', from: String(this.priority), to: String(rowPriority) });
      }
      this.priority = rowPriority;
    }

    const movedOffNew = rowState !== null && rowState !== INVALID_STATE && rowState !== NEW_STATE;
    if ((movedOffNew || value(row, c.assignedTo) !== null) && (this.acknowledged === null || at.getTime() < this.acknowledged)) {
      this.acknowledged = at.getTime();
    }
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
