import {
  DEFAULT_PRIORITY_MATRIX,
  IncidentEventRecord,
  IncidentRecord,
  priorityFromMatrix,
} from '../incidents/incident.record';
import {
  ACK_MEDIAN_MINUTES,
  ACK_SIGMA,
  BURST_CIS,
  BURST_HOURS,
  BURSTS_PER_CI,
  CATEGORIES,
  CATEGORY_ZIPF_S,
  CI_COUNT,
  CI_ZIPF_S,
  DETECTION_SOURCES,
  GAP_SHARES,
  GROUP_COUNT,
  GROUP_ZIPF_S,
  HOUR_RATE,
  PRIORITY_SHARES,
  RESTORE_MEDIAN_HOURS,
  RESTORE_SIGMA,
  SERVICE_COUNT,
  SHARES,
  VAGUE_CATEGORIES,
  WEEKDAY_RATE,
} from './generator.profile';
import { Prng, WeightedPicker, zipfWeights } from './prng';

export interface GeneratorOptions {
  incidents: number;
  seed: number;
  /** First instant of the period in which incidents are opened. */
  start: Date;
  months: number;
  /** Build the status history too (costs time; only the JSON format carries it). */
  events: boolean;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;
const MAX_RATE = Math.max(...WEEKDAY_RATE) * Math.max(...HOUR_RATE);

/** Every configuration item belongs to one service and one category, as in a real CMDB. */
interface ConfigurationItem {
  name: string;
  service: string;
  categoryIndex: number;
}

/**
 * Realistic synthetic incidents, one at a time so that any number can be streamed with flat
 * memory. The same options give the same incidents in the same order.
 */
export class IncidentGenerator {
  private readonly prng: Prng;
  private readonly startMs: number;
  /** The "now" of the generated data: incidents not restored by then are still open. */
  readonly asOf: Date;
  private readonly spanMs: number;
  private readonly priorityPicker: WeightedPicker<number>;
  private readonly categoryPicker: WeightedPicker<number>;
  private readonly ciPicker: WeightedPicker<ConfigurationItem>;
  private readonly groupPicker: WeightedPicker<string>;
  private readonly detectionPicker: WeightedPicker<string | null>;
  private readonly groups: string[];
  private readonly bursts: { ci: ConfigurationItem; startMs: number }[] = [];
  private readonly recentIds: string[] = [];
  private sequence = 0;

  constructor(private readonly options: GeneratorOptions) {
    this.prng = new Prng(options.seed);
    this.startMs = options.start.getTime();
    const end = new Date(options.start);
    end.setUTCMonth(end.getUTCMonth() + options.months);
    this.asOf = end;
    this.spanMs = end.getTime() - this.startMs;

    this.priorityPicker = new WeightedPicker([1, 2, 3, 4, 5], PRIORITY_SHARES);
    this.categoryPicker = new WeightedPicker(
      CATEGORIES.map((_, i) => i),
      zipfWeights(CATEGORIES.length, CATEGORY_ZIPF_S),
    );
    const cis: ConfigurationItem[] = Array.from({ length: CI_COUNT }, (_, i) => ({
      name: `ci-${String(i + 1).padStart(5, '0')}`,
      service: `svc-${String((i * 7919) % SERVICE_COUNT).padStart(3, '0')}`,
      categoryIndex: this.categoryPicker.pick(this.prng),
    }));
    this.ciPicker = new WeightedPicker(cis, zipfWeights(CI_COUNT, CI_ZIPF_S));
    this.groups = Array.from({ length: GROUP_COUNT }, (_, i) => `group-${String(i + 1).padStart(2, '0')}`);
    this.groupPicker = new WeightedPicker(this.groups, zipfWeights(GROUP_COUNT, GROUP_ZIPF_S));
    this.detectionPicker = new WeightedPicker(
      DETECTION_SOURCES.map(([name]) => name),
      DETECTION_SOURCES.map(([, weight]) => weight),
    );
    for (const [i, name] of BURST_CIS.entries()) {
      const ci = { name, service: `svc-${String(i).padStart(3, '0')}`, categoryIndex: i % CATEGORIES.length };
      for (let b = 0; b < BURSTS_PER_CI; b++) {
        this.bursts.push({ ci, startMs: this.startMs + this.prng.next() * (this.spanMs - BURST_HOURS * HOUR) });
      }
    }
  }

  /** Yields the configured number of incidents. */
  *incidents(): Generator<IncidentRecord> {
    for (let i = 0; i < this.options.incidents; i++) yield this.next();
  }

  /** The next incident. */
  next(): IncidentRecord {
    const prng = this.prng;
    this.sequence += 1;
    let externalId = `INC${String(this.sequence).padStart(9, '0')}`;
    if (this.recentIds.length > 0 && prng.chance(GAP_SHARES.duplicateId)) {
      externalId = prng.pick(this.recentIds);
    } else {
      if (this.recentIds.length >= 1000) this.recentIds[this.sequence % 1000] = externalId;
      else this.recentIds.push(externalId);
    }

    const inBurst = prng.chance(SHARES.burst);
    const burst = inBurst ? prng.pick(this.bursts) : null;
    const openedMs = burst ? roundSecond(burst.startMs + prng.next() * BURST_HOURS * HOUR) : this.openingTime();
    const ci = burst ? burst.ci : this.ciPicker.pick(prng);
    const priority = burst ? prng.int(1, 3) : this.priorityPicker.pick(prng);
    const p = priority - 1;

    const [impact, urgency] = this.impactUrgency(priority, prng.chance(GAP_SHARES.priorityAgainstMatrix));
    const [categoryName, subcategories] = CATEGORIES[ci.categoryIndex];
    let category: string | null = categoryName;
    let subcategory: string | null = prng.pick(subcategories);
    if (prng.chance(GAP_SHARES.missingCategory)) [category, subcategory] = [null, null];
    else if (prng.chance(GAP_SHARES.vagueCategory)) [category, subcategory] = [prng.pick(VAGUE_CATEGORIES), null];
    const missingCi = prng.chance(GAP_SHARES.missingCiOrService);

    const detectionSource = burst ? 'monitoring' : this.detectionPicker.pick(prng);
    const detectedMs =
      detectionSource === 'monitoring' ? openedMs - roundSecond(prng.next() * 10 * MINUTE) : openedMs;

    let ackMs: number | null = openedMs + roundSecond(prng.logNormal(ACK_MEDIAN_MINUTES[p], ACK_SIGMA) * MINUTE);
    if (prng.chance(GAP_SHARES.ackBeforeOpened)) ackMs = openedMs - roundSecond((1 + prng.next() * 30) * MINUTE);

    let restoredMs: number | null =
      openedMs + Math.max(1000, roundSecond(prng.logNormal(RESTORE_MEDIAN_HOURS[p], RESTORE_SIGMA) * HOUR));
    const stale = prng.chance(GAP_SHARES.staleOpen);
    if (stale) restoredMs = null;
    if (restoredMs !== null && prng.chance(GAP_SHARES.restoredBeforeOpened)) {
      restoredMs = openedMs - roundSecond((0.5 + prng.next() * 5) * HOUR);
    }
    const asOfMs = this.asOf.getTime();
    if (ackMs !== null && ackMs > asOfMs) ackMs = null;
    if (restoredMs !== null && restoredMs > asOfMs) restoredMs = null;

    const reassignmentCount = prng.chance(SHARES.reassigned) ? 1 + prng.geometric(0.55) : 0;
    const reopenCount = restoredMs !== null && prng.chance(SHARES.reopened) ? 1 + prng.geometric(0.8) : 0;
    const hierarchicalEscalation = prng.chance(priority <= 2 ? 0.25 : SHARES.hierarchicalEscalation);
    const isMajor = priority === 1 && prng.chance(SHARES.majorAmongP1);

    let closedMs: number | null = null;
    let closureCode: string | null = null;
    let resolutionNotes: string | null = null;
    if (restoredMs !== null) {
      closureCode = prng.pick(['Solved (Permanently)', 'Solved (Work Around)', 'Not Solved', 'Closed/Resolved by Caller']);
      resolutionNotes = `Restored ${ci.name}: ${prng.pick(['restart', 'config fix', 'patch', 'hardware swap', 'user guidance'])}`;
      if (prng.chance(GAP_SHARES.restoredWithoutClosure)) [closureCode, resolutionNotes] = [null, null];
      closedMs = restoredMs + roundSecond(prng.logNormal(48, 0.6) * HOUR);
      if (prng.chance(GAP_SHARES.closedWithoutVerification)) closedMs = restoredMs;
      if (prng.chance(GAP_SHARES.closedBeforeRestored)) closedMs = restoredMs - roundSecond((1 + prng.next() * 10) * HOUR);
      if (closedMs > asOfMs) closedMs = null;
    }
    if (prng.chance(GAP_SHARES.futureTime)) {
      // Ten years ahead: in the future whenever the data is imported.
      closedMs = (restoredMs ?? openedMs) + 3650 * DAY;
    }

    const assignmentGroup = burst ? this.groups[0] : this.groupPicker.pick(prng);
    const awaitingUser = prng.chance(SHARES.awaitingUser);
    const status =
      restoredMs === null
        ? stale
          ? 'On Hold'
          : awaitingUser
            ? 'Awaiting User Info'
            : ackMs === null
              ? 'New'
              : 'In Progress'
        : closedMs === null
          ? 'Resolved'
          : 'Closed';

    const record: IncidentRecord = {
      externalId,
      openedAt: new Date(openedMs),
      detectedAt: new Date(detectedMs),
      acknowledgedAt: ackMs === null ? null : new Date(ackMs),
      restoredAt: restoredMs === null ? null : new Date(restoredMs),
      closedAt: closedMs === null ? null : new Date(closedMs),
      status,
      impact,
      urgency,
      priority,
      priorityOrigin: 'stated',
      category,
      subcategory,
      service: missingCi ? null : ci.service,
      configurationItem: missingCi ? null : ci.name,
      assignmentGroup,
      reassignmentCount,
      hierarchicalEscalation,
      reopenCount,
      isMajor,
      detectionSource,
      workaround: prng.chance(SHARES.workaround) ? 'Use the secondary instance' : null,
      knowledgeArticle: prng.chance(SHARES.knowledgeArticle) ? `KB${String(prng.int(1, 5000)).padStart(7, '0')}` : null,
      supplier: prng.chance(SHARES.supplier) ? prng.pick(['Acme Networks', 'Globex', 'Initech']) : null,
      closureCode,
      resolutionNotes,
      problemId: null,
      relatedChange: null,
      causedByChange: null,
      sourceSlaMet: null,
      attributes: {},
      events: [],
    };
    if (this.options.events) record.events = this.history(record, awaitingUser);
    return record;
  }

  /** A time in the period, weighted by weekday and hour (rejection sampling). */
  private openingTime(): number {
    for (;;) {
      const ms = this.startMs + this.prng.next() * this.spanMs;
      const date = new Date(ms);
      const rate = WEEKDAY_RATE[(date.getUTCDay() + 6) % 7] * HOUR_RATE[date.getUTCHours()];
      if (this.prng.next() * MAX_RATE < rate) return roundSecond(ms);
    }
  }

  /** Impact and urgency that give `priority` by the matrix, or deliberately some that do not. */
  private impactUrgency(priority: number, againstMatrix: boolean): [number, number] {
    const pairs: [number, number][] = [];
    for (let impact = 1; impact <= 3; impact++) {
      for (let urgency = 1; urgency <= 3; urgency++) {
        const fits = priorityFromMatrix(impact, urgency, DEFAULT_PRIORITY_MATRIX) === priority;
        if (fits !== againstMatrix) pairs.push([impact, urgency]);
      }
    }
    // P1..P5 each have at least one fitting pair, and at least one that does not fit.
    return this.prng.pick(pairs);
  }

  /** Status changes, assignments, pauses, reopenings, escalations and updates, in time order. */
  private history(record: IncidentRecord, awaitingUser: boolean): IncidentEventRecord[] {
    const prng = this.prng;
    const events: IncidentEventRecord[] = [];
    const opened = record.openedAt.getTime();
    const restored = record.restoredAt?.getTime() ?? null;
    const ack = record.acknowledgedAt?.getTime() ?? null;
    const workEnd = restored !== null && restored > opened ? restored : Math.max(opened + HOUR, ack ?? opened);
    const at = (fraction: number) => new Date(roundSecond(opened + (workEnd - opened) * fraction));

    events.push({ at: new Date(opened), kind: 'status', from: null, to: 'New' });
    const firstGroup = record.reassignmentCount > 0 ? this.groupPicker.pick(prng) : record.assignmentGroup;
    if (ack !== null && ack >= opened) {
      events.push({ at: new Date(ack), kind: 'assignment', from: null, to: firstGroup });
      events.push({ at: new Date(ack), kind: 'status', from: 'New', to: 'In Progress' });
    }
    let group = firstGroup;
    for (let r = 0; r < record.reassignmentCount; r++) {
      const next = r === record.reassignmentCount - 1 ? record.assignmentGroup : this.groupPicker.pick(prng);
      events.push({ at: at(0.2 + (0.3 * (r + 1)) / (record.reassignmentCount + 1)), kind: 'assignment', from: group, to: next });
      group = next;
    }
    if (awaitingUser) {
      events.push({ at: at(0.55), kind: 'status', from: 'In Progress', to: 'Awaiting User Info' });
      if (restored !== null) events.push({ at: at(0.6), kind: 'status', from: 'Awaiting User Info', to: 'In Progress' });
    }
    if (record.hierarchicalEscalation) events.push({ at: at(0.3), kind: 'escalation', from: null, to: 'duty manager' });
    if (record.isMajor) {
      for (let t = opened + 30 * MINUTE; t < workEnd && t < opened + 48 * HOUR; t += 30 * MINUTE) {
        if (prng.chance(0.95)) events.push({ at: new Date(t), kind: 'update', from: null, to: 'stakeholders' });
      }
    }
    if (restored !== null) {
      for (let r = 0; r < record.reopenCount; r++) {
        const base = 0.65 + (0.3 * r) / record.reopenCount;
        events.push({ at: at(base), kind: 'status', from: 'In Progress', to: 'Resolved' });
        events.push({ at: at(base + 0.05), kind: 'status', from: 'Resolved', to: 'In Progress' });
      }
      events.push({ at: new Date(restored), kind: 'status', from: 'In Progress', to: 'Resolved' });
      if (record.closedAt) events.push({ at: record.closedAt, kind: 'status', from: 'Resolved', to: 'Closed' });
    }
    return events
      .map((event, index) => ({ event, index }))
      .sort((a, b) => a.event.at.getTime() - b.event.at.getTime() || a.index - b.index)
      .map(({ event }) => event);
  }
}

function roundSecond(ms: number): number {
  return Math.round(ms / 1000) * 1000;
}
