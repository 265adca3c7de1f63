import { CalendarSpec, WorkCalendar } from './sla.calendar';

/** Per-priority targets of a policy, in minutes of working time on the named calendar. */
export interface PolicyTarget {
  priority: number;
  responseMinutes: number;
  resolutionMinutes: number;
  calendarId: number;
}

/** A policy as stored and as the API shows it. */
export interface PolicySpec {
  id: number;
  name: string;
  appliesTo: { source?: string; service?: string; category?: string };
  targets: PolicyTarget[];
  pauseStatuses: string[];
  stopStatuses: string[];
  version: number;
}

/** Policies and calendars loaded once per refresh; evaluations of a batch share the day caches. */
export class SlaRules {
  private readonly ordered: PolicySpec[];
  private readonly pauseSets = new Map<number, Set<string>>();
  private readonly stopSets = new Map<number, Set<string>>();
  private readonly workCalendars = new Map<number, WorkCalendar>();

  constructor(
    readonly policies: PolicySpec[],
    readonly calendars: CalendarSpec[],
  ) {
    // Most specific first (most applies-to fields set), then lowest id.
    this.ordered = [...policies].sort((a, b) => specificity(b) - specificity(a) || a.id - b.id);
    for (const p of policies) {
      this.pauseSets.set(p.id, new Set(p.pauseStatuses.map((s) => s.trim().toLowerCase())));
      this.stopSets.set(p.id, new Set(p.stopStatuses.map((s) => s.trim().toLowerCase())));
    }
    for (const c of calendars) this.workCalendars.set(c.id, new WorkCalendar(c));
  }

  /** The policy that applies to an incident, or undefined when none does. */
  policyFor(source: string, service: string | null, category: string | null): PolicySpec | undefined {
    return this.ordered.find(
      (p) =>
        (p.appliesTo.source === undefined || p.appliesTo.source === source) &&
        (p.appliesTo.service === undefined || p.appliesTo.service === service) &&
        (p.appliesTo.category === undefined || p.appliesTo.category === category),
    );
  }

  pauseStatuses(policyId: number): Set<string> {
    return this.pauseSets.get(policyId)!;
  }

  stopStatuses(policyId: number): Set<string> {
    return this.stopSets.get(policyId)!;
  }

  calendar(id: number): WorkCalendar {
    const calendar = this.workCalendars.get(id);
    if (!calendar) throw new Error(`SLA calendar ${id} does not exist`);
    return calendar;
  }

  timezone(calendarId: number): string {
    return this.calendar(calendarId).timezone;
  }
}

function specificity(p: PolicySpec): number {
  return Object.values(p.appliesTo).filter((v) => v !== undefined && v !== null).length;
}
