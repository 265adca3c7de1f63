import type { SplitField } from '../api/api.types';

/** The fields a table or chart can be split by, as the selects offer them. */
export const SPLIT_FIELDS: { id: SplitField; label: string }[] = [
  { id: 'priority', label: 'Priority' },
  { id: 'assignmentGroup', label: 'Assignment group' },
  { id: 'category', label: 'Category' },
];

/** A key as shown: priorities as P1..P5, names as they are. */
export function splitKeyLabel(field: SplitField, key: string): string {
  return field === 'priority' ? `P${key}` : key;
}
