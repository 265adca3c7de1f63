/**
 * A plain, independent SLA clock for the tests: METRICS.md's default policy ("SLA compliance") on
 * the seeded calendars in UTC (ORG_TIMEZONE unset), with the choices docs/sla.md states where
 * METRICS.md is silent. No product code.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** METRICS.md defaults: P1 15 min / 4 h, P2 30 min / 8 h on 24x7; P3 4 h / 3, P4 8 h / 5, P5 2 / 10 business days of 8 h. */
const TARGETS: Record<number, { response: number; resolution: number; business: boolean }> = {
  1: { response: 15, resolution: 240, business: false },
  2: { response: 30, resolution: 480, business: false },
  3: { response: 240, resolution: 3 * 480, business: true },
  4: { response: 480, resolution: 5 * 480, business: true },
  5: { response: 2 * 480, resolution: 10 * 480, business: true },
};

/** The default policy's pausing and stop statuses (docs/sla.md, "Defaults"), compared lower-cased. */
const PAUSE = new Set(
  [
    'Pending', 'On Hold', 'Awaiting User Info', 'Awaiting User', 'Awaiting Customer', 'Awaiting Caller',
    'Awaiting Vendor', 'Awaiting Evidence', 'Pending Customer', 'Pending Vendor', 'Waiting for Customer',
    'Waiting for Vendor', 'Suspended',
  ].map((s) => s.toLowerCase()),
);
const STOP = new Set(['resolved', 'closed', 'restored', 'cancelled', 'canceled']);

/** Minutes of working time in [a, b): wall time on 24x7, Monday-Friday 09:00-17:00 UTC otherwise. */
export function workingMinutes(a: number, b: number, business: boolean): number {
  if (b <= a) return 0;
  if (!business) return (b - a) / MINUTE;
  let total = 0;
  for (let day = Math.floor(a / DAY) * DAY; day < b; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const start = Math.max(a, day + 9 * 60 * MINUTE);
    const end = Math.min(b, day + 17 * 60 * MINUTE);
    if (end > start) total += (end - start) / MINUTE;
  }
  return total;
}

/**
 * A clock's outcome. `contested`: working time spent in a stop status (Resolved, Closed) with no
 * reopen after it counted as elapsed. METRICS.md pauses stop-status time only "before a reopen",
 * so it counts here; the product pauses it (KNOWN DISCREPANCY, reported to the lead).
 */
export interface ClockOutcome {
  status: 'met' | 'breached';
  elapsedMinutes: number;
  contested: boolean;
}

/** A change in an incident's history, in time order. */
export interface ClockEvent {
  at: number;
  kind: 'status' | 'priority';
  to: string | number;
}

/**
 * met or breached for a clock from `opened` to `stop`: walk the segments between changes; a
 * segment in a pausing status, or in a stop status that a reopen (a move from a stop status to
 * another before the clock's stop) follows, adds nothing; any other adds its working time on the
 * calendar of the priority in force. Met when elapsed <= the target of the priority in force at
 * the stop. Events before opening set the state at opening; events after the stop are ignored.
 */
export function verdict(
  opened: number,
  stop: number,
  initialStatus: string | null,
  initialPriority: number,
  events: ClockEvent[],
  kind: 'response' | 'resolution',
): ClockOutcome {
  let status = initialStatus?.toLowerCase() ?? null;
  let priority = initialPriority;
  let from = opened;
  let elapsed = 0;
  let contested = false;
  const statusEvents = events.filter((e) => e.kind === 'status' && e.at < stop);
  const reopenedAfter = (t: number) => {
    let s = status;
    for (const e of statusEvents) {
      if (e.at < t) continue;
      const next = String(e.to).toLowerCase();
      if (s !== null && STOP.has(s) && !STOP.has(next)) return true;
      s = next;
    }
    return false;
  };
  const close = (until: number) => {
    if (until <= from) return;
    const paused = status !== null && (PAUSE.has(status) || (STOP.has(status) && reopenedAfter(until)));
    const minutes = workingMinutes(from, until, TARGETS[priority].business);
    if (!paused) elapsed += minutes;
    if (!paused && status !== null && STOP.has(status) && minutes > 0) contested = true;
    from = until;
  };
  for (const e of events) {
    if (e.at >= stop) break;
    if (e.at > from) close(e.at);
    if (e.kind === 'status') status = String(e.to).toLowerCase();
    else priority = Number(e.to);
  }
  close(stop);
  return { status: elapsed <= TARGETS[priority][kind] ? 'met' : 'breached', elapsedMinutes: elapsed, contested };
}
