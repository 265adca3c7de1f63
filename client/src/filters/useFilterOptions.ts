import { computed, ref, type ComputedRef } from 'vue';
import type { FilterOption, FilterOptions } from '../api/api.types';
import { useApi, type UseApiResult } from '../api/useApi';

let shared: UseApiResult<FilterOptions> | undefined;

export interface UseFilterOptionsResult extends UseApiResult<FilterOptions> {
  /** No incident in any source: the dashboard shows its first-import message. */
  empty: ComputedRef<boolean>;
  categories: ComputedRef<string[]>;
  assignmentGroups: ComputedRef<string[]>;
}

function names(options: FilterOption[] | undefined): string[] {
  return (options ?? []).map((option) => (typeof option === 'string' ? option : option.name));
}

/** The values the filters can take and the extent of the data, shared by the whole page. */
export function useFilterOptions(): UseFilterOptionsResult {
  shared ??= useApi<FilterOptions>(ref('/api/filters'));
  const { data } = shared;
  const empty = computed(() => {
    if (!data.value) return false;
    const { sources, extent } = data.value;
    const incidents = sources.reduce((sum, source) => sum + (source.incidents ?? 0), 0);
    return incidents === 0 && !extent.openedTo;
  });
  return {
    ...shared,
    empty,
    categories: computed(() => names(data.value?.categories)),
    assignmentGroups: computed(() => names(data.value?.assignmentGroups)),
  };
}
