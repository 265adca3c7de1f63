import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { badParameter, badParameters, ParameterProblems } from '../common/validation';
import { RefreshService } from '../refresh/refresh.service';
import { CalendarSpec, normaliseDay, WEEKDAYS } from './sla.calendar';
import { CalendarDto, PolicyDto, Recompute } from './sla.dto';
import { toCalendarSpec, toPolicySpec } from './sla.engine';
import { ImportedHoliday, parseHolidays, SkippedHoliday } from './sla.ical';
import { PolicySpec } from './sla.model';
import { LOAD_CALENDARS, LOAD_POLICIES } from './sla.sql';

/** How long a change waits for its recompute before answering (it goes on in the background). */
const RECOMPUTE_WAIT_MS = 20_000;

/**
 * Policies and calendars: reading, writing, and queueing the recomputation a change implies.
 * A change bumps the version, queues the affected policies in sla_recompute, and runs a refresh
 * so the figures follow at once (or at the next scheduled run if one is already going).
 */
@Injectable()
export class SlaRulesService {
  private readonly logger = new Logger(SlaRulesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly refresh: RefreshService,
  ) {}

  /** Every policy with its targets. */
  async listPolicies(): Promise<PolicySpec[]> {
    return (await this.dataSource.query(LOAD_POLICIES)).map(toPolicySpec);
  }

  /** Every calendar with its holidays. */
  async listCalendars(): Promise<CalendarSpec[]> {
    return (await this.dataSource.query(LOAD_CALENDARS)).map(toCalendarSpec);
  }

  /** Creates a policy and evaluates the incidents it now governs. */
  async createPolicy(dto: PolicyDto): Promise<Recomputed<PolicySpec>> {
    await this.checkTargets(dto);
    const id = await this.write(async (m) => {
      const [{ id }] = await m.query(
        `insert into sla_policy (name, applies_source, applies_service, applies_category, pause_statuses, stop_statuses)
         values ($1, $2, $3, $4, $5, $6) returning id`,
        policyColumns(dto),
      );
      await this.writeTargets(m, id, dto);
      await m.query('insert into sla_recompute (policy_id) values ($1)', [id]);
      return id as number;
    });
    return this.afterChange('policy created', { policyId: id }, () => this.policy(id));
  }

  /**
   * Replaces a policy, bumps its version and recomputes what it governed and now governs. A policy
   * sent back as it is (a Save with nothing edited) is answered as stored: its recompute took 10 s
   * at 100 000 incidents for nothing.
   */
  async updatePolicy(id: number, dto: PolicyDto): Promise<Recomputed<PolicySpec>> {
    await this.checkTargets(dto);
    const current = await this.policy(id);
    if (samePolicy(current, dto)) return { ...current, recompute: 'unchanged' };
    await this.write(async (m) => {
      const [rows] = await m.query(
        `update sla_policy set name = $2, applies_source = $3, applies_service = $4, applies_category = $5,
           pause_statuses = $6, stop_statuses = $7, version = version + 1, updated_at = now()
         where id = $1 returning id`,
        [id, ...policyColumns(dto)],
      );
      if (rows.length === 0) throw new NotFoundException(`SLA policy ${id} does not exist`);
      await m.query('delete from sla_policy_target where policy_id = $1', [id]);
      await this.writeTargets(m, id, dto);
      await queue(m, [id]);
    });
    return this.afterChange('policy updated', { policyId: id }, () => this.policy(id));
  }

  /** Creates a calendar (used once a policy target names it). */
  async createCalendar(dto: CalendarDto): Promise<CalendarSpec> {
    checkHours(dto);
    const id = await this.write(async (m) => {
      const [{ id }] = await m.query(
        `insert into sla_calendar (name, timezone, kind, weekly) values ($1, $2, $3, $4) returning id`,
        [dto.name, dto.timezone, dto.kind, dto.weekly ?? {}],
      );
      await this.replaceHolidays(m, id, dto.holidays ?? []);
      return id as number;
    });
    this.logger.log({ event: 'calendar created', calendarId: id });
    return this.calendar(id);
  }

  /**
   * Replaces a calendar (holidays too when given) and recomputes the policies that use it. A
   * calendar sent back as it is is answered as stored, as a policy is: no new version, no recompute.
   */
  async updateCalendar(id: number, dto: CalendarDto): Promise<Recomputed<CalendarSpec>> {
    checkHours(dto);
    const current = await this.calendar(id);
    if (sameCalendar(current, dto)) return { ...current, recompute: 'unchanged' };
    await this.write(async (m) => {
      const [rows] = await m.query(
        `update sla_calendar set name = $2, timezone = $3, kind = $4, weekly = $5, org_zone = false,
           version = version + 1, updated_at = now()
         where id = $1 returning id`,
        [id, dto.name, dto.timezone, dto.kind, dto.weekly ?? {}],
      );
      if (rows.length === 0) throw new NotFoundException(`SLA calendar ${id} does not exist`);
      if (dto.holidays) await this.replaceHolidays(m, id, dto.holidays);
      await queue(m, await policiesUsing(m, id));
    });
    return this.afterChange('calendar updated', { calendarId: id }, () => this.calendar(id));
  }

  /** Adds the holidays of an iCalendar file to a calendar; returns those imported and those skipped. */
  async importHolidays(
    id: number,
    text: string,
  ): Promise<{
    calendarId: number;
    imported: ImportedHoliday[];
    skipped: SkippedHoliday[];
    recompute: Recompute;
    calendar: CalendarSpec;
  }> {
    // A file that adds no day the calendar lacks changes nothing: no new version, no recompute. It is
    // read under the calendar's lock, in the zone that places its timed events.
    const { holidays, skipped, added } = await this.write(async (m) => {
      const rows: { timezone: string }[] = await m.query('select timezone from sla_calendar where id = $1 for update', [id]);
      if (rows.length === 0) throw new NotFoundException(`SLA calendar ${id} does not exist`);
      const { holidays, skipped } = readIcal(text, rows[0].timezone);
      const inserted: unknown[] = await m.query(
        `insert into sla_calendar_holiday (calendar_id, day, name)
         select $1, d, n from unnest($2::date[], $3::text[]) as h (d, n)
         on conflict (calendar_id, day) do nothing
         returning day`,
        [id, holidays.map((h) => h.day), holidays.map((h) => h.name)],
      );
      if (inserted.length > 0) {
        await m.query('update sla_calendar set version = version + 1, updated_at = now() where id = $1', [id]);
        await queue(m, await policiesUsing(m, id));
      }
      return { holidays, skipped, added: inserted.length };
    });
    if (added === 0) {
      return { calendarId: id, imported: holidays, skipped, recompute: 'unchanged', calendar: await this.calendar(id) };
    }
    const { recompute, ...calendar } = await this.afterChange(
      'holidays imported',
      { calendarId: id, holidays: holidays.length, skipped: skipped.length },
      () => this.calendar(id),
    );
    return { calendarId: id, imported: holidays, skipped, recompute, calendar };
  }

  /**
   * Keeps the seeded calendars in the organisation zone (ORG_TIMEZONE); a change of zone
   * recomputes their policies at the next refresh.
   */
  async alignOrgZone(timezone: string): Promise<void> {
    await this.write(async (m) => {
      const [rows] = await m.query(
        `update sla_calendar set timezone = $1, version = version + 1, updated_at = now()
         where org_zone and timezone <> $1 returning id`,
        [timezone],
      );
      for (const { id } of rows as { id: number }[]) await queue(m, await policiesUsing(m, id));
      if (rows.length > 0) this.logger.log({ event: 'calendars moved to the organisation zone', timezone, calendars: rows.length });
    });
  }

  private async policy(id: number): Promise<PolicySpec> {
    const policy = (await this.listPolicies()).find((p) => p.id === id);
    if (!policy) throw new NotFoundException(`SLA policy ${id} does not exist`);
    return policy;
  }

  /** One calendar, as the list shows it; an unknown id is a 404. */
  async calendar(id: number): Promise<CalendarSpec> {
    const calendar = (await this.listCalendars()).find((c) => c.id === id);
    if (!calendar) throw new NotFoundException(`SLA calendar ${id} does not exist`);
    return calendar;
  }

  private async checkTargets(dto: PolicyDto): Promise<void> {
    // A priority given again is named at each target that repeats it, with the first that gave
    // it: `targets` alone left the sender to find which of five.
    const repeats = dto.targets.flatMap((target, index): ParameterProblems[] => {
      const first = dto.targets.findIndex((t) => t.priority === target.priority);
      return first < index
        ? [{ parameter: `targets.${index}.priority`, problems: [`priority ${target.priority} is given by targets.${first} already; each priority may appear once`] }]
        : [];
    });
    if (repeats.length > 0) throw badParameters(repeats);
    const ids = [...new Set(dto.targets.map((t) => t.calendarId))];
    const rows: { id: number }[] = await this.dataSource.query('select id from sla_calendar where id = any($1::int[])', [ids]);
    // Each target naming no calendar by its index, as the checks of its fields name it: the
    // message once said `targets.calendarId` alone, leaving the sender to find which target.
    const missing = dto.targets.flatMap((target, index): ParameterProblems[] =>
      rows.some((r) => r.id === target.calendarId) ? [] : [{ parameter: `targets.${index}.calendarId`, problems: [`no calendar ${target.calendarId}`] }],
    );
    if (missing.length > 0) throw badParameters(missing);
  }

  private async writeTargets(m: EntityManager, policyId: number, dto: PolicyDto): Promise<void> {
    await m.query(
      `insert into sla_policy_target (policy_id, priority, response_minutes, resolution_minutes, calendar_id)
       select $1, * from unnest($2::smallint[], $3::numeric[], $4::numeric[], $5::int[])`,
      [
        policyId,
        dto.targets.map((t) => t.priority),
        dto.targets.map((t) => t.responseMinutes),
        dto.targets.map((t) => t.resolutionMinutes),
        dto.targets.map((t) => t.calendarId),
      ],
    );
  }

  private async replaceHolidays(m: EntityManager, calendarId: number, days: string[]): Promise<void> {
    await m.query('delete from sla_calendar_holiday where calendar_id = $1', [calendarId]);
    await m.query(
      `insert into sla_calendar_holiday (calendar_id, day) select $1, d from unnest($2::date[]) as d on conflict do nothing`,
      [calendarId, days],
    );
  }

  /** Runs writes in one transaction; a duplicate name is a 409 naming the parameter. */
  private async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new ConflictException('name: already used by another');
      throw error;
    }
  }

  /**
   * Runs the refresh that recomputes what a change affects, and answers once it is done or after
   * RECOMPUTE_WAIT_MS, whichever is first: a change of the default policy at millions of incidents
   * takes minutes, and finishes in the background (the queue in sla_recompute survives restarts).
   */
  private async afterChange<T extends object>(
    event: string,
    ids: Record<string, number>,
    read: () => Promise<T>,
  ): Promise<Recomputed<T>> {
    const run = this.refresh.refreshAll('sla-rules');
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), RECOMPUTE_WAIT_MS)));
    const finished = run.then(
      (o) => o.status,
      (error: unknown) => {
        this.logger.error({ event: 'recompute failed', ...ids, error });
        return 'failed' as const;
      },
    );
    const outcome = await Promise.race([finished, waited]);
    clearTimeout(timer);
    this.logger.log({ event, ...ids, recompute: outcome });
    return { ...(await read()), recompute: outcome };
  }
}

/** A changed policy or calendar, with how the recompute it queued stands (RECOMPUTE_OUTCOMES). */
export type Recomputed<T> = T & { recompute: Recompute };

/** The holidays of an iCalendar file in the calendar's zone; a file that is not one is a 400. */
function readIcal(text: string, zone: string): ReturnType<typeof parseHolidays> {
  try {
    return parseHolidays(text, zone);
  } catch (error) {
    throw badParameter('file', `not an iCalendar file (${(error as Error).message})`);
  }
}

/**
 * Refuses a weekly calendar without working hours on any day: no target on it could ever fall
 * due, so its clocks would run for ten years and then give up, breaching nothing. And a 24x7
 * calendar with hours: it runs around the clock, so the hours were stored and silently ignored
 * (an empty week, as a form sends it, says nothing and is taken).
 */
function checkHours(dto: CalendarDto): void {
  if (dto.kind === 'weekly' && !hasHours(dto.weekly)) {
    throw badParameter('weekly', 'a weekly calendar needs working hours on at least one day (or kind 24x7)');
  }
  if (dto.kind === '24x7' && hasHours(dto.weekly)) {
    throw badParameter('weekly', 'working hours go with kind weekly only: a 24x7 calendar runs around the clock (send no hours, or kind weekly)');
  }
}

/** Whether a week holds working hours on at least one day. */
function hasHours(weekly: CalendarDto['weekly']): boolean {
  return WEEKDAYS.some((day) => (weekly?.[day] ?? []).length > 0);
}

/**
 * Whether the body says what the stored calendar says: the same name, zone and kind, each
 * weekday's hours as they work out (intervals in any order, touching or overlapping ones merged,
 * 23:59 as the end of the day; a day left out has none), and, when the body gives holidays, the
 * same days in any order. A body that says the same otherwise is not stored: its recompute took
 * seconds for nothing.
 */
function sameCalendar(stored: CalendarSpec, dto: CalendarDto): boolean {
  const hours = (weekly: CalendarDto['weekly']) => JSON.stringify(WEEKDAYS.map((day) => normaliseDay(weekly?.[day] ?? [])));
  const days = (list: string[]) => JSON.stringify([...new Set(list)].sort());
  return (
    stored.name === dto.name &&
    stored.timezone === dto.timezone &&
    stored.kind === dto.kind &&
    hours(stored.weekly) === hours(dto.weekly) &&
    (dto.holidays === undefined || days(stored.holidays) === days(dto.holidays))
  );
}

/** Whether the body says what the stored policy says (statuses in any order, targets by priority). */
function samePolicy(stored: PolicySpec, dto: PolicyDto): boolean {
  const canonical = (policy: Pick<PolicyDto, 'name' | 'appliesTo' | 'targets' | 'pauseStatuses' | 'stopStatuses'>) =>
    JSON.stringify([
      policy.name,
      [policy.appliesTo?.source ?? null, policy.appliesTo?.service ?? null, policy.appliesTo?.category ?? null],
      [...policy.targets]
        .sort((a, b) => a.priority - b.priority)
        .map((t) => [t.priority, Number(t.responseMinutes), Number(t.resolutionMinutes), t.calendarId]),
      [...policy.pauseStatuses].sort(),
      [...policy.stopStatuses].sort(),
    ]);
  return canonical(stored) === canonical(dto);
}

function policyColumns(dto: PolicyDto): unknown[] {
  return [
    dto.name,
    dto.appliesTo?.source ?? null,
    dto.appliesTo?.service ?? null,
    dto.appliesTo?.category ?? null,
    // Blank statuses are refused (PolicyDto), no longer dropped here.
    dto.pauseStatuses.map((s) => s.trim()),
    dto.stopStatuses.map((s) => s.trim()),
  ];
}

async function policiesUsing(m: EntityManager, calendarId: number): Promise<number[]> {
  const rows: { policy_id: number }[] = await m.query(
    'select distinct policy_id from sla_policy_target where calendar_id = $1',
    [calendarId],
  );
  return rows.map((r) => r.policy_id);
}

async function queue(m: EntityManager, policyIds: number[]): Promise<void> {
  await m.query(
    `insert into sla_recompute (policy_id) select unnest($1::int[])
     on conflict (policy_id) do update set requested_at = now()`,
    [policyIds],
  );
}
