import { reactive, readonly, watch } from 'vue';
import type { Figure } from '../api/api.types';
import { incidentParam, parseIncidentParam } from '../filters/filters.query';
import { useFilters, type FilterParams } from '../filters/useFilters';

/** A list of incidents behind a figure: which figure, and any filters narrower than the page's. */
export interface DrillList {
  figure: Figure;
  title: string;
  /** Overrides of the page filters (a chart's bucket window, a bar's priority). */
  params?: FilterParams;
  /** Sort order passed to the API, e.g. 'openedAt' for the oldest first. */
  sort?: string;
}

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
 * Keeps the open incident in the address (`incident=source/externalId`), so a link to the page
 * opens the same incident.
 */
function linkToUrl(): void {
  if (linked) return;
  linked = true;
  const { filters } = useFilters();
  state.incident = parseIncidentParam(filters.incident);
  watch(
    () => state.incident,
    (incident) => {
      filters.incident = incident ? incidentParam(incident.source, incident.externalId) : '';
    },
  );
  watch(
    () => filters.incident,
    (value) => {
      const current = state.incident ? incidentParam(state.incident.source, state.incident.externalId) : '';
      if (value !== current) state.incident = parseIncidentParam(value);
    },
  );
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
