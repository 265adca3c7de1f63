import type { FiguresDto } from '../metrics/metrics.dto';

/**
 * Which population (sql/figures/populations/<population>.sql) and which tag within it stand behind
 * each figure an incident list can be opened from, and where the figure's n sits in the summary.
 * The summary counts the same population and tag, so the list takes its total from there (from
 * the rollups, a few tens of milliseconds) instead of counting the rows (seconds at 10 M).
 */
export const INCIDENT_FIGURES = {
  mtrs: { population: 'mtrs', tag: null, n: (s) => s.mtrs.n },
  mtta: { population: 'mtta', tag: null, n: (s) => s.mtta.n },
  'first-time': { population: 'resolved', tag: 'first-time', n: (s) => s.firstTimeResolution.firstTime },
  escalated: { population: 'resolved', tag: 'escalated', n: (s) => s.firstTimeResolution.escalated },
  reopened: { population: 'resolved', tag: 'reopened', n: (s) => s.firstTimeResolution.reopened },
  resolved: { population: 'resolved', tag: null, n: (s) => s.firstTimeResolution.resolved },
  'sla-met': { population: 'sla-resolution', tag: 'met', n: (s) => s.sla.resolution.met },
  'sla-breached': { population: 'sla-resolution', tag: 'breached', n: (s) => s.sla.resolution.breached },
  'sla-response-met': { population: 'sla-response', tag: 'met', n: (s) => s.sla.response.met },
  'sla-response-breached': { population: 'sla-response', tag: 'breached', n: (s) => s.sla.response.breached },
  'source-disagree': { population: 'source-verdict', tag: 'disagree', n: (s) => s.sla.sourceVerdict.disagree },
  opened: { population: 'opened', tag: null, n: (s) => s.volume.opened },
  restored: { population: 'resolved', tag: null, n: (s) => s.volume.restored },
  backlog: { population: 'backlog', tag: null, n: (s) => s.backlog.n },
} as const satisfies Record<string, { population: string; tag: string | null; n: (summary: FiguresDto) => number }>;

export type IncidentFigure = keyof typeof INCIDENT_FIGURES;
type Population = (typeof INCIDENT_FIGURES)[IncidentFigure]['population'];

/**
 * How the window bounds each population's opening and restoration times, for the walk of
 * incident-list.sql (its walk_bounds says what each value means): a walk then starts at the
 * window instead of at the data's end. `openedFrom` says how a walk oldest first starts before
 * the window (30 days; for a met SLA list 168 hours, 24 for responses), after the incidents opened
 * before that, read whole (walk_bounds). Null where the window bounds nothing; the backlog is
 * not walked.
 */
export const WALK_BOUNDS: Record<Population, { opened: string | null; openedFrom: 'restored' | 'clocks' | 'response-clocks' | null; restored: string | null }> = {
  opened: { opened: 'within', openedFrom: null, restored: null },
  mtrs: { opened: 'before', openedFrom: 'restored', restored: 'within' },
  mtta: { opened: 'before', openedFrom: null, restored: null },
  resolved: { opened: 'before-restored', openedFrom: 'restored', restored: 'within' },
  'sla-resolution': { opened: 'before-clocks', openedFrom: 'clocks', restored: 'within-clocks' },
  'source-verdict': { opened: 'before-clocks', openedFrom: 'clocks', restored: 'within-clocks' },
  'sla-response': { opened: 'before-clocks', openedFrom: 'response-clocks', restored: null },
  backlog: { opened: null, openedFrom: null, restored: null },
};
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
