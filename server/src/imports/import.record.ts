import { IncidentRecord, priorityFromMatrix } from '../incidents/incident.record';
import { RowError } from './import.fields';

/** A record with every optional field empty, for the formats to fill in. */
export function blankRecord(externalId: string, openedAt: Date): IncidentRecord {
  return {
    externalId,
    openedAt,
    detectedAt: null,
    acknowledgedAt: null,
    restoredAt: null,
    closedAt: null,
    status: null,
    impact: null,
    urgency: null,
    priority: 0,
    priorityOrigin: 'stated',
    category: null,
    subcategory: null,
    service: null,
    configurationItem: null,
    assignmentGroup: null,
    reassignmentCount: 0,
    hierarchicalEscalation: false,
    reopenCount: 0,
    isMajor: false,
    detectionSource: null,
    workaround: null,
    knowledgeArticle: null,
    supplier: null,
    closureCode: null,
    resolutionNotes: null,
    problemId: null,
    relatedChange: null,
    causedByChange: null,
    sourceSlaMet: null,
    attributes: {},
    events: [],
  };
}

/**
 * Sets the priority: the stated one when there is one, else METRICS.md's matrix over impact and
 * urgency; a record with neither is rejected on `field`.
 */
export function settlePriority(record: IncidentRecord, stated: number | null, field: string): void {
  if (stated !== null) {
    record.priority = stated;
    record.priorityOrigin = 'stated';
    return;
  }
  if (record.impact === null || record.urgency === null) {
    throw new RowError(field, 'missing, and impact and urgency do not give it');
  }
  record.priority = priorityFromMatrix(record.impact, record.urgency);
  record.priorityOrigin = 'matrix';
}

/** A required field's value, or the row is rejected. */
export function required<T>(value: T | null, field: string): T {
  if (value === null) throw new RowError(field, 'missing');
  return value;
}
