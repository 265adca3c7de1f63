/** Response shapes of the API (docs/metrics.md, docs/sla.md, OpenAPI at /api/docs), as the dashboard reads them. */

export type Interval = 'day' | 'week' | 'month';

export interface MtrsFigure {
  meanHours: number | null;
  medianHours: number | null;
  p90Hours: number | null;
  n: number;
  /** 'histogram' over more than 50 000 durations: within 0.1 % of the exact value. */
  percentiles: 'exact' | 'histogram';
}

export interface MttaFigure {
  meanHours: number | null;
  medianHours: number | null;
  n: number;
  percentiles: 'exact' | 'histogram';
}

export interface FirstTimeFigure {
  rate: number | null;
  firstTime: number;
  resolved: number;
  escalated: number;
  escalationShare: number | null;
  reopened: number;
  reopenShare: number | null;
}

export interface ComplianceFigure {
  met: number;
  breached: number;
  compliance: number | null;
}

export interface SourceVerdictFigure {
  n: number;
  sourceMet: number | null;
  sourceCompliance: number | null;
  agree: number | null;
  disagree: number | null;
  agreementRate: number | null;
  /** Of the n, those our resolution clock says met, and that share. */
  ourMet: number;
  ourCompliance: number | null;
}

export interface SummaryFigures {
  mtrs: MtrsFigure;
  mtta: MttaFigure;
  firstTimeResolution: FirstTimeFigure;
  sla: {
    resolution: ComplianceFigure;
    response: ComplianceFigure;
    sourceVerdict: SourceVerdictFigure;
  };
  volume: { opened: number; restored: number };
  backlog: { n: number };
}

/** A report window: local dates [from, to) in zone tz. */
export interface ReportWindow {
  from: string;
  to: string;
  tz: string;
}

export interface Summary extends SummaryFigures {
  window: ReportWindow;
  /** The same figures for the window before (docs/metrics.md, "Previous window"). */
  previous: SummaryFigures & { window: ReportWindow };
  refreshedAt: string | null;
}

/** The fields a breakdown or the compliance report splits by. */
export type SplitField = 'priority' | 'category' | 'assignmentGroup';

/** The window's figures per value of one field (GET /api/metrics/breakdown). */
export interface Breakdown {
  by: SplitField;
  rows: (SummaryFigures & { key: string })[];
  /** Keys with activity in the window beyond `top`. */
  omitted: number;
  refreshedAt: string | null;
}

export interface SlaByPriority {
  rows: {
    priority: number;
    met: number;
    breached: number;
    compliance: number | null;
    sourceMet: number | null;
    sourceN: number | null;
  }[];
}

export interface VolumeSeries {
  interval: Interval;
  buckets: string[];
  series: { key: string; counts: number[] }[];
}

export interface Flow {
  interval: Interval;
  buckets: string[];
  opened: number[];
  restored: number[];
  backlog: number[];
}

export type AgingBucket = '<1d' | '1-3d' | '3-7d' | '7-30d' | '>30d';

export interface Aging {
  at: string;
  buckets: { bucket: AgingBucket; n: number }[];
}

/** A name with a count, or a bare name: the filter lists may come either way. */
export type FilterOption = string | { name: string; incidents?: number };

export interface FilterOptions {
  sources: { name: string; incidents: number }[];
  categories: FilterOption[];
  assignmentGroups: FilterOption[];
  priorities: number[];
  extent: {
    openedFrom: string | null;
    openedTo: string | null;
    restoredFrom: string | null;
    restoredTo: string | null;
  };
}

export const FIGURES = [
  'mtrs',
  'mtta',
  'first-time',
  'escalated',
  'reopened',
  'resolved',
  'sla-met',
  'sla-breached',
  'sla-response-met',
  'sla-response-breached',
  'source-disagree',
  'opened',
  'restored',
  'backlog',
] as const;

export type Figure = (typeof FIGURES)[number];

export interface IncidentListItem {
  source: string;
  externalId: string;
  openedAt: string;
  restoredAt: string | null;
  priority: number;
  category: string | null;
  assignmentGroup: string | null;
  status: string | null;
  ttrHours: number | null;
}

export interface IncidentList {
  figure: Figure;
  total: number;
  items: IncidentListItem[];
}

export interface SlaEval {
  targetMinutes: number;
  elapsedMinutes: number;
  pausedMinutes: number;
  dueAt: string | null;
  dueAtUtc: string | null;
  status: 'met' | 'breached' | 'running' | 'paused';
  breachedAt: string | null;
  timezone: string;
  policyId: number | null;
}

export interface IncidentEvent {
  seq: number;
  at: string;
  kind: string;
  from: string | null;
  to: string | null;
}

export interface IncidentDetail {
  source: string;
  externalId: string;
  events: IncidentEvent[];
  sla: { response: SlaEval | null; resolution: SlaEval | null; pending: boolean };
  [field: string]: unknown;
}

export interface SlaTarget {
  priority: number;
  responseMinutes: number;
  resolutionMinutes: number;
  calendarId: number | string;
}

/** How the recompute a policy or calendar change queued stood when the change was answered. */
export type Recompute = 'succeeded' | 'pending' | 'failed' | 'skipped' | 'unchanged';

export interface SlaPolicy {
  id: number | string;
  name: string;
  appliesTo: { source?: string; service?: string; category?: string };
  targets: SlaTarget[];
  pauseStatuses: string[];
  stopStatuses: string[];
  version: number;
  /** In the answer of a change: how the recompute it queued stands. */
  recompute?: Recompute;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface SlaCalendar {
  id: number | string;
  name: string;
  timezone: string;
  kind: '24x7' | 'weekly';
  weekly: Partial<Record<Weekday, [string, string][]>>;
  holidays: string[];
  version?: number;
  /** In the answer of a change: how the recompute it queued stands. */
  recompute?: Recompute;
}

export interface WatchRow {
  source: string;
  externalId: string;
  priority: number;
  assignmentGroup: string | null;
  kind: 'response' | 'resolution';
  targetMinutes: number;
  elapsedMinutes: number;
  usedShare: number;
  dueAt: string | null;
  projectedBreachAt: string | null;
  breachedAt: string | null;
}

export interface Watch {
  refreshedAt: string | null;
  atRisk: WatchRow[];
  breached: WatchRow[];
  /** How many each list holds before it is cut at 500. */
  atRiskTotal: number;
  breachedTotal: number;
}

export type ComplianceGroupBy = SplitField;

export interface ComplianceSeries {
  interval: Interval;
  buckets: string[];
  series: { key: string; met: number[]; breached: number[]; compliance: (number | null)[] }[];
  totals: { key: string; met: number; breached: number; compliance: number | null }[];
  /** All keys together, when the server sends it. */
  overall?: { met: number; breached: number; compliance: number | null };
}

export interface Agreement {
  n: number;
  agree: number | null;
  disagree: number | null;
  agreementRate: number | null;
  ourCompliance: number | null;
  sourceCompliance: number | null;
}

export type ImportFormat = 'auto' | 'servicenow' | 'bpi2014' | 'generic';

export interface Rejection {
  /** The file the line is in, when an import reads more than one (incidents and events). */
  file?: string;
  line: number;
  field: string | null;
  reason: string;
  externalId?: string | null;
}

export interface ImportResult {
  id: number;
  source: string;
  format: string;
  timezone: string;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejections: Rejection[];
}

/** One past import run; fields beyond the counts are shown when the server sends them. */
export interface ImportRun {
  id: number;
  source?: string | null;
  file?: string;
  eventsFile?: string | null;
  format?: string;
  timezone?: string;
  status?: string;
  rowsRead?: number;
  inserted?: number;
  updated?: number;
  unchanged?: number;
  rejected?: number;
  error?: string | null;
  startedAt?: string;
  finishedAt?: string | null;
}
