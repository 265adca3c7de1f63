/**
 * Which population (sql/figures/populations/<population>.sql) and which tag within it stand behind
 * each figure an incident list can be opened from. The summary counts the same population and
 * tag, so a list's total is the figure's n.
 */
export const INCIDENT_FIGURES = {
  mtrs: { population: 'mtrs', tag: null },
  mtta: { population: 'mtta', tag: null },
  'first-time': { population: 'resolved', tag: 'first-time' },
  escalated: { population: 'resolved', tag: 'escalated' },
  reopened: { population: 'resolved', tag: 'reopened' },
  resolved: { population: 'resolved', tag: null },
  'sla-met': { population: 'sla-resolution', tag: 'met' },
  'sla-breached': { population: 'sla-resolution', tag: 'breached' },
  'sla-response-met': { population: 'sla-response', tag: 'met' },
  'sla-response-breached': { population: 'sla-response', tag: 'breached' },
  'source-disagree': { population: 'source-verdict', tag: 'disagree' },
  opened: { population: 'opened', tag: null },
  restored: { population: 'resolved', tag: null },
  backlog: { population: 'backlog', tag: null },
} as const satisfies Record<string, { population: string; tag: string | null }>;

export type IncidentFigure = keyof typeof INCIDENT_FIGURES;
export const INCIDENT_FIGURE_NAMES = Object.keys(INCIDENT_FIGURES) as IncidentFigure[];

/** Sort keys of an incident list; a leading '-' sorts descending. */
export const INCIDENT_SORTS = [
  'openedAt',
  '-openedAt',
  'restoredAt',
  '-restoredAt',
  'ttrHours',
  '-ttrHours',
  'priority',
  '-priority',
] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];
