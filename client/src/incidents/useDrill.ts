import { reactive, readonly, watch } from 'vue';
import { incidentParam, listParam, parseIncidentParam, parseListParam, type DrillList } from '../filters/filters.query';
import { useFilters } from '../filters/useFilters';

export type { DrillList } from '../filters/filters.query';

export interface IncidentKey {
  source: string;
  externalId: string;
}

interface DrillState {
  list: DrillList | null;
  incident: IncidentKey | null;
}

const state = reactive<DrillState>({ list: null, incident: null });
let linked = false;

/**
 * Keeps `key` of the state in the address as the filter of the same name, both ways: `write`
 * turns it into the query value ('' for none), `read` back (null for none or a malformed one).
 */
function link<K extends keyof DrillState>(
  key: K,
  write: (value: NonNullable<DrillState[K]>) => string,
  read: (param: string) => DrillState[K],
): void {
  const { filters } = useFilters();
  const param = (value: DrillState[K]) => (value ? write(value as NonNullable<DrillState[K]>) : '');
  state[key] = read(filters[key]);
  watch(
    () => state[key],
    (value) => {
      filters[key] = param(value);
    },
  );
  watch(
    () => filters[key],
    (value) => {
      if (value !== param(state[key])) state[key] = read(value);
    },
  );
}

/**
 * Keeps the open list and incident in the address (`list=...`, `incident=source/externalId`), so
 * a link to the page opens the same list and incident.
 */
function linkToUrl(): void {
  if (linked) return;
  linked = true;
  link('list', listParam, parseListParam);
  link('incident', (incident) => incidentParam(incident.source, incident.externalId), parseIncidentParam);
}

/** Opens and closes the incident list and the incident detail, from anywhere on the page. */
export function useDrill() {
  linkToUrl();
  return {
    state: readonly(state),
    openList(list: DrillList) {
      state.list = list;
      state.incident = null;
    },
    /** Orders the open list by `sort` (an INCIDENT_SORTS key, `-` first for descending), from its first page. */
    sortList(sort: string) {
      if (state.list) state.list = { ...state.list, sort, page: undefined };
    },
    /** Shows page `page` (from 1) of the open list. */
    pageList(page: number) {
      if (state.list) state.list = { ...state.list, page: page > 1 ? page : undefined };
    },
    openIncident(incident: IncidentKey) {
      state.incident = { ...incident };
    },
    /** Back from the detail to its list, or closes the panel when the detail was opened alone. */
    back() {
      if (state.incident) state.incident = null;
      else state.list = null;
    },
    close() {
      state.list = null;
      state.incident = null;
    },
  };
}
