import { computed, ref, type ComputedRef } from 'vue';
import type { FilterOption, FilterOptions } from '../api/api.types';
import { useApi, type UseApiResult } from '../api/useApi';

let shared: UseApiResult<FilterOptions> | undefined;

export interface UseFilterOptionsResult extends UseApiResult<FilterOptions> {
  /**
   * The latest instant in the data: the later of the last restoration and the last opening, so
   * that incidents opened after the last restoration still fall inside the presets.
   */
  latest: ComputedRef<string | null>;
  /** The earliest instant in the data. */
  earliest: ComputedRef<string | null>;
  /** No incident in any source: the dashboard shows its first-import message. */
  empty: ComputedRef<boolean>;
  categories: ComputedRef<string[]>;
  assignmentGroups: ComputedRef<string[]>;
}

function pickInstant(values: (string | null | undefined)[], later: boolean): string | null {
  const known = values.filter((value): value is string => Boolean(value));
  if (known.length === 0) return null;
  return known.reduce((a, b) => ((Date.parse(b) > Date.parse(a)) === later ? b : a));
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
  const latest = computed(() => {
    const extent = data.value?.extent;
    return pickInstant([extent?.restoredTo, extent?.openedTo], true);
  });
  const earliest = computed(() => {
    const extent = data.value?.extent;
    return pickInstant([extent?.openedFrom, extent?.restoredFrom], false);
  });
  return {
    ...shared,
    empty,
    latest,
    earliest,
    categories: computed(() => names(data.value?.categories)),
    assignmentGroups: computed(() => names(data.value?.assignmentGroups)),
  };
}
