/**
 * The incident record of METRICS.md as every importer and the generator produce it, before it is
 * written to the `incident` and `incident_event` tables.
 */
/**
 * The record's columns as METRICS.md names them, in its order: the header of the generic import
 * format, which the generator writes too.
 */
export const RECORD_COLUMNS = [
  'external_id',
  'opened_at',
  'detected_at',
  'acknowledged_at',
  'restored_at',
  'closed_at',
  'status',
  'impact',
  'urgency',
  'priority',
  'category',
  'subcategory',
  'service',
  'configuration_item',
  'assignment_group',
  'reassignment_count',
  'hierarchical_escalation',
  'reopen_count',
  'is_major',
  'detection_source',
  'workaround',
  'knowledge_article',
  'supplier',
  'closure_code',
  'resolution_notes',
  'problem_id',
  'related_change',
  'caused_by_change',
  'source_sla_met',
] as const;

export interface IncidentRecord {
  externalId: string;
  openedAt: Date;
  detectedAt: Date | null;
  acknowledgedAt: Date | null;
  restoredAt: Date | null;
  closedAt: Date | null;
  /** Current status as the source spells it. */
  status: string | null;
  /** 1 (high) .. 3 (low). */
  impact: number | null;
  urgency: number | null;
  /** 1 (critical) .. 5 (planning). */
  priority: number;
  /** 'stated' when the source gave the priority, 'matrix' when derived from impact x urgency. */
  priorityOrigin: 'stated' | 'matrix';
  category: string | null;
  subcategory: string | null;
  service: string | null;
  configurationItem: string | null;
  assignmentGroup: string | null;
  reassignmentCount: number;
  hierarchicalEscalation: boolean;
  reopenCount: number;
  isMajor: boolean;
  detectionSource: string | null;
  workaround: string | null;
  knowledgeArticle: string | null;
  supplier: string | null;
  closureCode: string | null;
  resolutionNotes: string | null;
  problemId: string | null;
  relatedChange: string | null;
  causedByChange: string | null;
  /** The source's own verdict on the resolution SLA (ServiceNow made_sla), when it has one. */
  sourceSlaMet: boolean | null;
  /** Source fields with no column of their own. */
  attributes: Record<string, string | number | boolean | null>;
  /** History in time order. */
  events: IncidentEventRecord[];
}

export type IncidentEventKind = 'status' | 'assignment' | 'priority' | 'escalation' | 'update';

export interface IncidentEventRecord {
  at: Date;
  kind: IncidentEventKind;
  from: string | null;
  to: string | null;
}

/** METRICS.md's default priority matrix: impact x urgency, both 1 (high) .. 3 (low). */
export const DEFAULT_PRIORITY_MATRIX: readonly (readonly number[])[] = [
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
];

export function priorityFromMatrix(impact: number, urgency: number, matrix = DEFAULT_PRIORITY_MATRIX): number {
  return matrix[impact - 1][urgency - 1];
}
