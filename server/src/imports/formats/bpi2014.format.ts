import { IncidentRecord } from '../../incidents/incident.record';
import { clean, count, decimal, level } from '../import.fields';
import { blankRecord, required, settlePriority } from '../import.record';
import { TimeReader } from '../import.time';
import { columnIndex, ImportItem, isBlank, pick, rejectionFrom, SourceRow, timeField, ImportRequestError } from '../import.types';

/**
 * Rabobank's placeholders: `#N/B` (niet beschikbaar, not available), `#MULTIVALUE` (several related
 * records, ids not given); the Kaggle re-export adds `NS` and `NA`.
 */
const PLACEHOLDERS = new Set(['#N/B', '#MULTIVALUE', 'NS', 'NA']);

/** BPI 2014's 1 (highest) .. 5 (lowest) impact and urgency onto METRICS.md's 1..3. */
export function threeLevel(level5: number | null): number | null {
  if (level5 === null) return null;
  return level5 <= 2 ? 1 : level5 === 3 ? 2 : 3;
}

/** Column positions of Detail_Incident.csv, or of its Kaggle re-export (ITSM_data.csv). */
export interface BpiColumns {
  id: number;
  status: number;
  impact: number;
  urgency: number;
  priority: number;
  category: number;
  km: number;
  alertStatus: number;
  reassignments: number;
  openTime: number;
  reopenTime: number;
  resolvedTime: number;
  closeTime: number;
  handleTime: number;
  closureCode: number;
  relatedInteractions: number;
  relatedInteraction: number;
  relatedIncidents: number;
  relatedChanges: number;
  relatedChange: number;
  ciName: number;
  ciType: number;
  ciSubtype: number;
  wbs: number;
  ciNameCausedBy: number;
  ciTypeCausedBy: number;
  ciSubtypeCausedBy: number;
  wbsCausedBy: number;
}

/** Finds the columns by the original names or the Kaggle ones; the id and open time are required. */
export function bpiColumns(header: string[]): BpiColumns {
  const index = columnIndex(header);
  const columns: BpiColumns = {
    id: pick(index, 'Incident ID', 'Incident_ID'),
    status: pick(index, 'Status'),
    impact: pick(index, 'Impact'),
    urgency: pick(index, 'Urgency'),
    priority: pick(index, 'Priority'),
    category: pick(index, 'Category'),
    km: pick(index, 'KM number', 'KB_number'),
    alertStatus: pick(index, 'Alert Status', 'Alert_Status'),
    reassignments: pick(index, '# Reassignments', 'No_of_Reassignments'),
    openTime: pick(index, 'Open Time', 'Open_Time'),
    reopenTime: pick(index, 'Reopen Time', 'Reopen_Time'),
    resolvedTime: pick(index, 'Resolved Time', 'Resolved_Time'),
    closeTime: pick(index, 'Close Time', 'Close_Time'),
    handleTime: pick(index, 'Handle Time (Hours)', 'Handle_Time_hrs'),
    closureCode: pick(index, 'Closure Code', 'Closure_Code'),
    relatedInteractions: pick(index, '# Related Interactions', 'No_of_Related_Interactions'),
    relatedInteraction: pick(index, 'Related Interaction', 'Related_Interaction'),
    relatedIncidents: pick(index, '# Related Incidents', 'No_of_Related_Incidents'),
    relatedChanges: pick(index, '# Related Changes', 'No_of_Related_Changes'),
    relatedChange: pick(index, 'Related Change', 'Related_Change'),
    ciName: pick(index, 'CI Name (aff)', 'CI_Name'),
    ciType: pick(index, 'CI Type (aff)', 'CI_Cat'),
    ciSubtype: pick(index, 'CI Subtype (aff)', 'CI_Subcat'),
    wbs: pick(index, 'Service Component WBS (aff)', 'WBS'),
    ciNameCausedBy: pick(index, 'CI Name (CBy)'),
    ciTypeCausedBy: pick(index, 'CI Type (CBy)'),
    ciSubtypeCausedBy: pick(index, 'CI Subtype (CBy)'),
    wbsCausedBy: pick(index, 'ServiceComp WBS (CBy)'),
  };
  if (columns.id < 0) throw new ImportRequestError('bpi2014: the header has no "Incident ID" column');
  if (columns.openTime < 0) throw new ImportRequestError('bpi2014: the header has no "Open Time" column');
  return columns;
}

/** Reads Detail_Incident.csv (or the Kaggle re-export): one incident per row; all-empty rows are skipped. */
export async function* readBpi2014(
  rows: AsyncIterable<SourceRow>,
  header: string[],
  time: TimeReader,
): AsyncGenerator<ImportItem> {
  const columns = bpiColumns(header);
  for await (const row of rows) {
    if (!row.error && isBlank(row.values)) continue;
    try {
      if (row.error) throw row.error;
      yield { kind: 'record', line: row.line, record: mapBpiRow(row.values, columns, time) };
    } catch (error) {
      yield rejectionFrom(error, row.line, clean(row.values[columns.id], PLACEHOLDERS));
    }
  }
}

/** One Detail_Incident row as an incident record. */
export function mapBpiRow(values: string[], c: BpiColumns, time: TimeReader): IncidentRecord {
  const v = (i: number) => (i < 0 ? null : clean(values[i], PLACEHOLDERS));
  const externalId = required(v(c.id), 'Incident ID');
  const openedAt = required(timeField(time, v(c.openTime), 'Open Time'), 'Open Time');
  const record = blankRecord(externalId, openedAt);

  const reopenedAt = timeField(time, v(c.reopenTime), 'Reopen Time');
  record.restoredAt = timeField(time, v(c.resolvedTime), 'Resolved Time');
  record.closedAt = timeField(time, v(c.closeTime), 'Close Time');
  record.status = v(c.status);

  const impact = level(v(c.impact), 'Impact', 1, 5);
  const urgency = level(v(c.urgency), 'Urgency', 1, 5);
  record.impact = threeLevel(impact);
  record.urgency = threeLevel(urgency);
  settlePriority(record, level(v(c.priority), 'Priority', 1, 5), 'Priority');

  record.category = v(c.ciType);
  record.subcategory = v(c.ciSubtype);
  record.service = v(c.wbs);
  record.configurationItem = v(c.ciName);
  record.knowledgeArticle = v(c.km);
  record.closureCode = v(c.closureCode);
  record.relatedChange = v(c.relatedChange);
  const reassignments = count(v(c.reassignments), '# Reassignments');
  record.reassignmentCount = reassignments ?? 0;
  record.reopenCount = reopenedAt === null ? 0 : 1;

  const handleRaw = v(c.handleTime);
  const handleTimeHours = decimal(handleRaw);
  record.attributes = {
    recordType: v(c.category),
    impactRaw: impact,
    urgencyRaw: urgency,
    alertStatus: v(c.alertStatus),
    reopenedAt: reopenedAt === null ? null : reopenedAt.toISOString(),
    handleTimeHours,
    relatedInteractions: count(v(c.relatedInteractions), '# Related Interactions'),
    relatedInteraction: v(c.relatedInteraction),
    relatedIncidents: count(v(c.relatedIncidents), '# Related Incidents'),
    relatedChanges: count(v(c.relatedChanges), '# Related Changes'),
    ciNameCausedBy: v(c.ciNameCausedBy),
    ciTypeCausedBy: v(c.ciTypeCausedBy),
    ciSubtypeCausedBy: v(c.ciSubtypeCausedBy),
    serviceCausedBy: v(c.wbsCausedBy),
  };
  // Empty for IM0024778; the activity log, when given, counts its Reassignment activities instead.
  if (reassignments === null) record.attributes.reassignmentsMissing = true;
  // Kaggle's digit grouping ("3,87,16,91,111") is unreadable; keep the text rather than guess.
  if (handleRaw !== null && handleTimeHours === null) record.attributes.handleTimeRaw = handleRaw;
  return record;
}
