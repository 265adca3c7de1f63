import { WorkCalendar } from './sla.calendar';

/**
 * One SLA clock (response or resolution) of one incident, as a pure function of its times, its
 * status and priority history, the policy and the calendars. No I/O: the engine feeds it batches.
 */

export type SlaKind = 'response' | 'resolution';
export type SlaStatus = 'met' | 'breached' | 'running' | 'paused';

/** The target one priority has under a policy, with the calendar it is measured on. */
export interface ClockTarget {
  minutes: number;
  calendarId: number;
}

export interface ClockInput {
  openedAt: number;
  /** When the clock stops for good (acknowledgement, or the last restoration); null while open. */
  stopAt: number | null;
  /** The instant an open clock is evaluated at. */
  now: number;
  /** Priority in force at opening, then each change. */
  priorities: { at: number; priority: number }[];
  /** Status in force at opening (null when unknown), then each change, in time order. */
  statuses: { at: number; status: string | null }[];
  /** Lower-cased statuses that pause the clock. */
  pauseStatuses: Set<string>;
  /** Lower-cased statuses meaning restored or closed: time in them before a reopen is paused. */
  stopStatuses: Set<string>;
  targetFor(priority: number): ClockTarget;
  calendar(id: number): WorkCalendar;
}

export interface ClockResult {
  priority: number;
  targetMinutes: number;
  elapsedMinutes: number;
  pausedMinutes: number;
  dueAt: number | null;
  status: SlaStatus;
  breachedAt: number | null;
  calendarId: number;
  /** For a running clock below AT_RISK_SHARE of its target: when it will reach it. */
  atRiskAt: number | null;
}

/** Share of the target used from which an open clock is at risk (METRICS.md: 75 %). */
export const AT_RISK_SHARE = 0.75;

const MINUTE = 60_000;

/**
 * Walks the incident's life from opening to the stop (or now) in segments between status and
 * priority changes. A segment in a pausing status, or in a restored/closed status that a reopen
 * follows (METRICS.md: "time in the restored or closed state before a reopen counts as paused"),
 * adds its working time to the paused total; any other segment adds its working time to
 * the elapsed total, on the calendar of the priority in force. A priority change keeps what was
 * used and paused and measures against the new target from that instant on.
 */
export function evaluateClock(input: ClockInput): ClockResult {
  const end = input.stopAt ?? Math.max(input.now, input.openedAt);
  const changes = collectChanges(input, end);
  const reopens = reopenFollows(changes, input);

  let priority = input.priorities[0].priority;
  let status = input.statuses[0]?.status ?? null;
  let target = input.targetFor(priority);
  let elapsed = 0;
  let paused = 0;
  let breachedAt: number | null = null;
  let from = input.openedAt;

  for (let i = 0; i <= changes.length; i++) {
    const to = i < changes.length ? changes[i].at : end;
    const calendar = input.calendar(target.calendarId);
    const targetMs = target.minutes * MINUTE;
    const work = calendar.workingMs(from, to);

    // A restored status with no reopen after it still runs the clock up to the final stop; on a
    // clock not stopped yet, the restored state waits for closure and so is paused.
    if (isPaused(status, input, reopens[i] || input.stopAt === null)) {
      paused += work;
    } else {
      if (elapsed <= targetMs && elapsed + work > targetMs) {
        breachedAt = calendar.addWorking(from, targetMs - elapsed);
      }
      elapsed += work;
    }
    if (i === changes.length) break;

    from = to;
    const change = changes[i];
    if (change.priority !== undefined) {
      priority = change.priority;
      target = input.targetFor(priority);
      // A tighter target can be passed already at the instant it applies; a looser one undoes
      // a breach that the final target does not see.
      const newTargetMs = target.minutes * MINUTE;
      if (elapsed > newTargetMs && breachedAt === null) breachedAt = change.at;
      if (elapsed <= newTargetMs) breachedAt = null;
    }
    if (change.status !== undefined) status = change.status;
  }

  const calendar = input.calendar(target.calendarId);
  const targetMs = target.minutes * MINUTE;
  const breached = elapsed > targetMs;
  let clockStatus: SlaStatus;
  if (breached) clockStatus = 'breached';
  else if (input.stopAt !== null) clockStatus = 'met';
  else clockStatus = isPaused(status, input, true) ? 'paused' : 'running';

  // Due: where the remaining target runs out walking working time forward from the stop (or now);
  // a paused clock is projected as if it resumed now, the earliest it can fall due.
  const dueAt = breached ? breachedAt : calendar.addWorking(end, targetMs - elapsed);
  const riskMs = targetMs * AT_RISK_SHARE;
  const atRiskAt = clockStatus === 'running' && elapsed < riskMs ? calendar.addWorking(end, riskMs - elapsed) : null;

  return {
    priority,
    targetMinutes: target.minutes,
    elapsedMinutes: elapsed / MINUTE,
    pausedMinutes: paused / MINUTE,
    dueAt,
    status: clockStatus,
    breachedAt: breached ? breachedAt : null,
    calendarId: target.calendarId,
    atRiskAt,
  };
}

function isPaused(status: string | null, input: ClockInput, restoredPauses: boolean): boolean {
  if (status === null) return false;
  const key = status.trim().toLowerCase();
  return input.pauseStatuses.has(key) || (restoredPauses && input.stopStatuses.has(key));
}

/** For each segment i (before changes[i]): does a move to a status that is not restored or closed come later? */
function reopenFollows(changes: Change[], input: ClockInput): boolean[] {
  const follows = new Array<boolean>(changes.length + 1).fill(false);
  for (let i = changes.length - 1; i >= 0; i--) {
    const status = changes[i].status;
    const reopen = status !== undefined && status !== null && !input.stopStatuses.has(status.trim().toLowerCase());
    follows[i] = follows[i + 1] || reopen;
  }
  return follows;
}

interface Change {
  at: number;
  priority?: number;
  status?: string | null;
}

/** Status and priority changes strictly inside (opened, end), merged in time order. */
function collectChanges(input: ClockInput, end: number): Change[] {
  const changes: Change[] = [];
  for (const p of input.priorities.slice(1)) {
    if (p.at > input.openedAt && p.at < end) changes.push({ at: p.at, priority: p.priority });
  }
  for (const s of input.statuses.slice(1)) {
    if (s.at > input.openedAt && s.at < end) changes.push({ at: s.at, status: s.status });
  }
  // Stable: at one instant, priority changes (pushed first) apply before status changes.
  return changes.sort((a, b) => a.at - b.at);
}

/** One row of incident_event as the engine reads it (status and priority kinds only). */
export interface ClockEvent {
  at: number;
  kind: string;
  from: string | null;
  to: string | null;
}

/** A priority as sources spell it ('2', 'P2', '2 - High') to 1..5, or null. */
export function parsePriority(value: string | null): number | null {
  const match = value === null ? null : /[1-5]/.exec(value);
  return match ? Number(match[0]) : null;
}

/**
 * The priority and status timelines of ClockInput from an incident's events (time order). The
 * state at opening is the first event's `from`, with every change up to the opening applied; an
 * incident without priority events keeps its recorded priority throughout.
 */
export function timelinesFromEvents(
  openedAt: number,
  recordedPriority: number,
  events: ClockEvent[],
): Pick<ClockInput, 'priorities' | 'statuses'> {
  const priorityEvents = events.filter((e) => e.kind === 'priority' && parsePriority(e.to) !== null);
  const statusEvents = events.filter((e) => e.kind === 'status');

  let initialPriority = priorityEvents.length > 0 ? parsePriority(priorityEvents[0].from) ?? recordedPriority : recordedPriority;
  const priorities: { at: number; priority: number }[] = [];
  for (const e of priorityEvents) {
    if (e.at <= openedAt) initialPriority = parsePriority(e.to)!;
    else priorities.push({ at: e.at, priority: parsePriority(e.to)! });
  }

  let initialStatus = statusEvents.length > 0 ? statusEvents[0].from : null;
  const statuses: { at: number; status: string | null }[] = [];
  for (const e of statusEvents) {
    if (e.at <= openedAt) initialStatus = e.to;
    else statuses.push({ at: e.at, status: e.to });
  }

  return {
    priorities: [{ at: openedAt, priority: initialPriority }, ...priorities],
    statuses: [{ at: openedAt, status: initialStatus }, ...statuses],
  };
}
