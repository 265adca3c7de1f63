import { computed, reactive, watch, type ComputedRef } from 'vue';
import { apiUrl } from '../api/useApi';
import { filterParams, filtersFromQuery, filtersToQuery, type FilterParams, type Filters } from './filters.query';

export type { FilterParams, Filters, ViewId } from './filters.query';
export { filterParams, filtersFromQuery, filtersToQuery } from './filters.query';

let state: Filters | undefined;

export interface UseFiltersResult {
  filters: Filters;
  /** True once a window is set, so figure requests can go out. */
  ready: ComputedRef<boolean>;
  /** `/api/<path>?<filters>` for the current filters, or null while no window is set. */
  urlFor: (path: string, extra?: FilterParams) => string | null;
  /** Like urlFor, adding the chosen interval for series endpoints. */
  seriesUrlFor: (path: string, extra?: FilterParams) => string | null;
}

/**
 * The dashboard's filters, one shared reactive object kept in the URL query (replaceState), so
 * the address bar always holds a link to exactly what is on screen.
 */
export function useFilters(): UseFiltersResult {
  if (!state) {
    state = reactive(filtersFromQuery(window.location.search));
    // At once too: what the page ignored in the link it was opened by (an unknown zone, a list it
    // did not write) leaves the address, so a copy of it no longer carries it.
    watch(
      state,
      (filters) => {
        const query = filtersToQuery(filters);
        const url = `${window.location.pathname}${query ? `?${query}` : ''}`;
        if (url !== `${window.location.pathname}${window.location.search}`) {
          window.history.replaceState(null, '', url);
        }
      },
      { immediate: true },
    );
    window.addEventListener('popstate', () => Object.assign(state!, filtersFromQuery(window.location.search)));
  }
  const filters = state;
  const ready = computed(() => Boolean(filters.from && filters.to));
  const urlFor = (path: string, extra: FilterParams = {}) =>
    ready.value ? apiUrl(path, filterParams(filters, extra)) : null;
  const seriesUrlFor = (path: string, extra: FilterParams = {}) =>
    urlFor(path, { interval: filters.interval || undefined, ...extra });
  return { filters, ready, urlFor, seriesUrlFor };
}
