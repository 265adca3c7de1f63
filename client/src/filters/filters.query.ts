/** The dashboard's filters as a URL query and as API parameters: pure, so tests run without a DOM. */
import { FIGURES, type Figure, type Interval, type SplitField } from '../api/api.types';
import { FIRST_DAY, isDate, LAST_WINDOW_END } from './period';
import { offeredZone } from './zones';

export type ViewId = 'overview' | 'sla' | 'import';

/** Everything a shared link carries: the view and every filter. */
export interface Filters {
  view: ViewId;
  /** First local day of the window (YYYY-MM-DD), or '' until the data's extent is known. */
  from: string;
  /** Day after the last (exclusive), as the API takes it. */
  to: string;
  tz: string;
  /** '' lets the API choose from the window's length. */
  interval: Interval | '';
  source: string;
  priority: string;
  category: string;
  assignmentGroup: string;
  /** The incident open in the side panel, as `source/externalId` (each part URI-encoded), or ''. */
  incident: string;
  /** The incident list open in the side panel (listParam), or ''. */
  list: string;
  /** What the overview's breakdown table and the SLA compliance card split by. */
  breakdown: SplitField;
  complianceBy: SplitField;
}

const VIEWS: ViewId[] = ['overview', 'sla', 'import'];
const INTERVALS: Interval[] = ['day', 'week', 'month'];
const SPLITS: SplitField[] = ['priority', 'category', 'assignmentGroup'];

/** Longest source name (an import's `source`); categories and groups take MAX_LIST_VALUE. */
const MAX_SOURCE = 200;

/** The value, or '' when it is longer than any the data can hold (the API would refuse it). */
function bounded(value: string, max: number): string {
  return value.length > max ? '' : value;
}

/** Reads the filters from a URL query, ignoring anything malformed. */
export function filtersFromQuery(search: string): Filters {
  const query = new URLSearchParams(search);
  const get = (key: string): string => query.get(key) ?? '';
  const view = get('view') as ViewId;
  const interval = get('interval') as Interval;
  const priority = get('priority');
  const from = get('from');
  const to = get('to');
  // Within the days the API takes (1900-01-01 to 3000-01-01): YYYY-MM-DD strings sort as dates.
  const datesOk = isDate(from) && isDate(to) && from < to && from >= FIRST_DAY && to <= LAST_WINDOW_END;
  return {
    view: VIEWS.includes(view) ? view : 'overview',
    from: datesOk ? from : '',
    to: datesOk ? to : '',
    tz: offeredZone(get('tz')) ?? 'UTC',
    interval: INTERVALS.includes(interval) ? interval : '',
    source: bounded(get('source'), MAX_SOURCE),
    priority: /^[1-5]$/.test(priority) ? priority : '',
    category: bounded(get('category'), MAX_LIST_VALUE),
    assignmentGroup: bounded(get('assignmentGroup'), MAX_LIST_VALUE),
    incident: /^[^/]+\/[^/]+$/.test(get('incident')) ? get('incident') : '',
    list: listFromQuery(get('list')),
    breakdown: SPLITS.includes(get('breakdown') as SplitField) ? (get('breakdown') as SplitField) : 'priority',
    complianceBy: SPLITS.includes(get('complianceBy') as SplitField) ? (get('complianceBy') as SplitField) : 'priority',
  };
}

/** Writes the filters as a URL query, leaving defaults out so links stay short. */
export function filtersToQuery(filters: Filters): string {
  const query = new URLSearchParams();
  if (filters.view !== 'overview') query.set('view', filters.view);
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  if (filters.tz !== 'UTC') query.set('tz', filters.tz);
  for (const key of ['interval', 'source', 'priority', 'category', 'assignmentGroup', 'incident', 'list'] as const) {
    if (filters[key]) query.set(key, filters[key]);
  }
  for (const key of ['breakdown', 'complianceBy'] as const) {
    if (filters[key] !== 'priority') query.set(key, filters[key]);
  }
  return query.toString();
}

/** Parameters that narrow a figure request, in the API's names. */
export type FilterParams = Record<string, string | undefined>;

/** The common filter query of api.md for these filters, with `extra` on top. */
export function filterParams(filters: Filters, extra: FilterParams = {}): FilterParams {
  return {
    from: filters.from,
    to: filters.to,
    tz: filters.tz,
    source: filters.source || undefined,
    priority: filters.priority || undefined,
    category: filters.category || undefined,
    assignmentGroup: filters.assignmentGroup || undefined,
    ...extra,
  };
}

/** The `incident` query value for an incident: `source/externalId`, each part URI-encoded. */
export function incidentParam(source: string, externalId: string): string {
  return `${encodeURIComponent(source)}/${encodeURIComponent(externalId)}`;
}

/** The incident named by an `incident` query value, or null when it names none. */
export function parseIncidentParam(value: string): { source: string; externalId: string } | null {
  const parts = value.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  try {
    return { source: decodeURIComponent(parts[0]), externalId: decodeURIComponent(parts[1]) };
  } catch {
    return null;
  }
}

/** A list of incidents behind a figure: which figure, and any filters narrower than the page's. */
export interface DrillList {
  figure: Figure;
  title: string;
  /** Overrides of the page filters (a chart's bucket window, a bar's priority). */
  params?: FilterParams;
  /** Sort order passed to the API, e.g. 'openedAt' for the oldest first. */
  sort?: string;
  /** The page shown, from 1; absent for the first. */
  page?: number;
}

/** The page filters a list may narrow, in the API's names. */
const LIST_PARAMS = ['from', 'to', 'source', 'priority', 'category', 'assignmentGroup'];
/**
 * Longer texts are not a list this page wrote: a filter value takes at most the 500 bytes an
 * import takes, so 500 characters, and a title names one with a few words around it.
 */
const MAX_LIST_VALUE = 500;
const MAX_LIST_TITLE = 700;
/** The orders the API sorts a list by (INCIDENT_SORTS), each also descending with a `-` first. */
const LIST_SORTS = ['openedAt', 'restoredAt', 'ttrHours', 'priority'];
/** The last page a link may name: seven digits, a plausible range. */
const MAX_LIST_PAGE = 9_999_999;

/**
 * A link's page read as the import reads a count (server/src/imports/import.fields.ts, count()) and
 * the API its integer parameters (server/src/common/validation.ts, wholeNumberText()):
 * plain digits, leading zeros included (`02`, as a hand-edited or zero-padded link writes it),
 * and a whole number written with a point (`2.0`, `2.`); null for anything else (`+2`, `2.5`,
 * `2e0`) or past MAX_LIST_PAGE. Refusing `02` opened such a link at the first page.
 */
function listPage(value: string): number | null {
  const page = /^\d{1,20}(?:\.0*)?$/.test(value) ? Number(value) : NaN;
  return page >= 1 && page <= MAX_LIST_PAGE ? page : null;
}

/**
 * The `list` query value for an open list: its own small query (figure, title, sort, page, and
 * each narrower filter as `p.<name>`), so a link reopens the list with its title, on its page.
 */
export function listParam(list: DrillList): string {
  const query = new URLSearchParams({ figure: list.figure, title: list.title });
  if (list.sort) query.set('sort', list.sort);
  if (list.page !== undefined && list.page > 1) query.set('page', String(list.page));
  for (const [key, value] of Object.entries(list.params ?? {})) {
    if (value !== undefined) query.set(`p.${key}`, value);
  }
  return query.toString();
}

/**
 * A link's list as the page writes it, or '' when it names none: what the page ignored in it (a
 * page of 0) leaves the address with the rest.
 */
function listFromQuery(value: string): string {
  const list = parseListParam(value);
  return list ? listParam(list) : '';
}

/**
 * The list named by a `list` query value, or null when it names none: an unknown figure, a filter
 * the lists do not take, or an overlong text. The values themselves go to the API as parameters,
 * which checks them; the title is shown as text.
 */
export function parseListParam(value: string): DrillList | null {
  // Percent-encoded, a character of CJK text takes 9: room for the longest title and values.
  if (!value || value.length > 9 * (MAX_LIST_TITLE + 2 * MAX_LIST_VALUE)) return null;
  const query = new URLSearchParams(value);
  const figure = query.get('figure') as Figure;
  const title = query.get('title') ?? '';
  const sort = query.get('sort');
  const page = listPage(query.get('page') ?? '');
  if (!FIGURES.includes(figure) || !title || title.length > MAX_LIST_TITLE) return null;
  if (sort !== null && !LIST_SORTS.includes(sort.replace(/^-/, ''))) return null;
  const params: FilterParams = {};
  for (const [key, param] of query) {
    if (key === 'figure' || key === 'title' || key === 'sort' || key === 'page') continue;
    const name = key.startsWith('p.') ? key.slice(2) : '';
    if (!LIST_PARAMS.includes(name) || param.length > MAX_LIST_VALUE) return null;
    params[name] = param;
  }
  return {
    figure,
    title,
    ...(Object.keys(params).length > 0 && { params }),
    ...(sort !== null && { sort }),
    // A page that is no whole number from 1 to 9 999 999 (page=0, a hand-edited link) opens the first.
    ...(page !== null && page > 1 && { page }),
  };
}
