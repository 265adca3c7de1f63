import { ref, watch } from 'vue';
import type { Recompute } from '../api/api.types';

/** Bumped when a change of the SLA rules has been answered: the page's SLA figures read again. */
const revision = ref(0);

/** Calls `reload` after every change of the SLA rules made on this page. */
export function reloadOnSlaChange(reload: () => unknown): void {
  watch(revision, () => void reload());
}

/**
 * What to tell after a change of `what` (a policy or calendar, named), and has the page's SLA
 * figures read again when the change recomputed them. The server answers once the recompute is
 * done or after 20 s, whichever is first (docs/sla.md).
 */
export function afterSlaChange(what: string, recompute: Recompute | undefined): string {
  if (recompute !== 'unchanged') revision.value++;
  switch (recompute) {
    case 'unchanged':
      return `Nothing changed in ${what}; nothing to recompute.`;
    case 'succeeded':
      return `Saved ${what}; the figures on this page are recomputed.`;
    case 'pending':
      return `Saved ${what}; its figures are still being recomputed in the background: reload the page in a few minutes to see them all.`;
    case 'skipped':
      return `Saved ${what}; its figures are recomputed at the next scheduled refresh.`;
    default:
      return `Saved ${what}, but recomputing its figures failed; the next scheduled refresh tries again.`;
  }
}
