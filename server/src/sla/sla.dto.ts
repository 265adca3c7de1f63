import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy, ValidationOptions } from 'class-validator';
import {
  A_LOCAL_DATE,
  badEntries,
  EmptyIs,
  EmptyIsAbsent,
  IsIanaZone,
  IsList,
  IsLocalDate,
  isLocalDate,
  IsOneOf,
  IsText,
  IsWholeNumber,
  LATEST_WINDOW_END,
  MAX_ID,
  NestedObject,
  NestedObjects,
  notAString,
  Trimmed,
  WholeNumberParam,
} from '../common/validation';
import { MAX_INDEXED_BYTES } from '../imports/import.limits';
import { normaliseDay, WEEKDAYS } from './sla.calendar';

/**
 * Weekly hours: { mon: [['09:00','17:00']], ... }, each interval HH:MM-HH:MM with start < end. A
 * problem names its day after the parameter, as `weekly: mon: ...` (it once read `weekly: .mon:`).
 */
function IsWeeklyHours(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWeeklyHours',
      validator: {
        validate: (value) => weeklyProblem(value) === null,
        defaultMessage: (args) => `${args?.property} ${weeklyProblem(args?.value) ?? 'is invalid'}`,
      },
    },
    options,
  );
}

function weeklyProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'must be an object of weekdays (mon..sun)';
  }
  for (const [day, intervals] of Object.entries(value)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) return `has "${day}", not a weekday mon..sun`;
    const ok =
      Array.isArray(intervals) &&
      intervals.every((i) => Array.isArray(i) && i.length === 2 && i.every((t) => typeof t === 'string'));
    if (!ok) return `${day}: must be a list of ["HH:MM", "HH:MM"] pairs`;
    try {
      normaliseDay(intervals as [string, string][]);
    } catch (error) {
      return `${day}: ${(error as Error).message}`;
    }
  }
  return null;
}

/**
 * Holidays: a list of dates (isLocalDate). Each bad entry is named by its index, from 0 as in
 * `targets.0`, and its value (`holidays: [1] "2026-02-30" must be a date ...`), the first five of
 * them: the message once said only that some entry was bad, leaving the sender to find which.
 */
function IsHolidayList(): PropertyDecorator {
  return ValidateBy({
    name: 'isHolidayList',
    validator: {
      validate: (value) => !Array.isArray(value) || value.every((day) => isLocalDate(day)),
      defaultMessage: (args) => badEntries(args?.value as unknown[], (day) => !isLocalDate(day), A_LOCAL_DATE),
    },
  });
}

const isBlank = (status: unknown): boolean => typeof status === 'string' && status.trim() === '';

/**
 * A list of statuses: strings, none blank. A blank one (`""`, `"  "`) was dropped when stored, so
 * `stopStatuses: ["", "  "]` was taken and stored as `[]`, where a blank name is refused.
 */
function StatusList(): PropertyDecorator {
  return applyDecorators(
    IsList({ max: 200 }),
    ValidateBy({
      name: 'eachString',
      validator: {
        validate: (value) => !Array.isArray(value) || value.every((status) => typeof status === 'string'),
        defaultMessage: (args) => badEntries(args?.value as unknown[], (status) => typeof status !== 'string', 'a string'),
      },
    }),
    ValidateBy({
      name: 'noBlankStatus',
      validator: {
        validate: (value) => !Array.isArray(value) || !value.some(isBlank),
        defaultMessage: (args) => badEntries(args?.value as unknown[], isBlank, 'a status name, not blank'),
      },
    }),
  );
}

/**
 * A status is matched without the spaces around it and case-insensitively (the clocks read it so):
 * one in both lists is refused, naming it. It either pauses the clock or means restored or closed;
 * in both, whether a move to it is a reopen depended on which list the clock asked.
 */
function NotAlsoPausing(): PropertyDecorator {
  return ValidateBy({
    name: 'notAlsoPausing',
    validator: {
      validate: (value, args) => alsoPausing(value, (args?.object as PolicyDto).pauseStatuses).length === 0,
      defaultMessage: (args) => {
        const both = alsoPausing(args?.value, (args?.object as PolicyDto).pauseStatuses);
        const named = both.length === 1 ? `${both[0]} is` : `${both.slice(0, -1).join(', ')} and ${both[both.length - 1]} are`;
        return `${named} also in pauseStatuses: a status either pauses the clock or means restored or closed, not both`;
      },
    },
  });
}

/** The stop statuses also among the pausing ones, each once, quoted (`"Pending" (as "pending")` when spelt otherwise there). */
function alsoPausing(stop: unknown, pause: unknown): string[] {
  if (!Array.isArray(stop) || !Array.isArray(pause)) return [];
  const key = (status: unknown) => (typeof status === 'string' ? status.trim().toLowerCase() : '');
  const pausing = new Map<string, string>();
  for (const status of pause) if (key(status) !== '') pausing.set(key(status), (status as string).trim());
  const named = new Map<string, string>();
  for (const status of stop) {
    const there = pausing.get(key(status));
    if (key(status) === '' || there === undefined || named.has(key(status))) continue;
    const here = (status as string).trim();
    named.set(key(status), here === there ? JSON.stringify(here) : `${JSON.stringify(here)} (as ${JSON.stringify(there)})`);
  }
  return [...named.values()];
}

export class AppliesToDto {
  @ApiPropertyOptional({ description: 'Source name; absent matches every source.' })
  @IsOptional()
  @IsText()
  source?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsText()
  service?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsText()
  category?: string;
}

/**
 * The longest target: a year of minutes. A target is whole minutes; 0.5 or 1e20 made clocks
 * that could never be read back (a due instant past any date PostgreSQL holds came out null).
 */
const MAX_TARGET_MINUTES = 525_600;
const TARGET_MESSAGE = `must be a whole number of minutes from 1 to ${MAX_TARGET_MINUTES} (a year)`;

/** A target in whole minutes, 1 to a year: one check, so a bad value is told once. */
function TargetMinutes(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_TARGET_MINUTES, description }),
    ValidateBy({
      name: 'targetMinutes',
      validator: {
        validate: (value) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_TARGET_MINUTES,
        defaultMessage: (args) => `${args?.property} ${TARGET_MESSAGE}${notAString(args?.value)}`,
      },
    }),
  );
}

export class PolicyTargetDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  @IsWholeNumber({ min: 1, max: 5 })
  priority!: number;

  @TargetMinutes('Minutes of working time to the acknowledgement.')
  responseMinutes!: number;

  @TargetMinutes('Minutes of working time to the restoration.')
  resolutionMinutes!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ID })
  @IsWholeNumber({ min: 1, max: MAX_ID })
  calendarId!: number;
}

/**
 * How the recompute a change queued stands when the change is answered: succeeded; still running
 * past the wait (it goes on in the background); failed; skipped (a scheduled refresh held the
 * lock: the next one runs it); or unchanged (nothing to recompute).
 */
export const RECOMPUTE_OUTCOMES = ['succeeded', 'pending', 'failed', 'skipped', 'unchanged'] as const;
export type Recompute = (typeof RECOMPUTE_OUTCOMES)[number];

/** A change's answer sent back as the next body: its `recompute` is taken and ignored. */
function EchoedRecompute(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: RECOMPUTE_OUTCOMES, description: "Ignored; a change's answer says with it how the recompute it queued stands." }),
    IsOptional(),
    IsOneOf(RECOMPUTE_OUTCOMES),
  );
}

/** Body of POST and PUT /api/sla/policies; an answer's id, version and recompute may be sent back and are ignored. */
export class PolicyDto {
  @ApiPropertyOptional({ type: 'integer', description: 'Ignored; the path names the policy.' })
  @IsOptional()
  @IsWholeNumber()
  id?: number;

  @ApiProperty()
  @Trimmed()
  @IsText({ max: 200 })
  name!: string;

  @ApiPropertyOptional({ type: AppliesToDto })
  @IsOptional()
  @NestedObject(() => AppliesToDto)
  appliesTo?: AppliesToDto;

  @ApiProperty({ type: [PolicyTargetDto] })
  @IsList({ min: 1, max: 5 })
  @NestedObjects(() => PolicyTargetDto)
  targets!: PolicyTargetDto[];

  @ApiProperty({ type: [String], description: 'Statuses that pause the clock (case-insensitive; none blank).' })
  @StatusList()
  pauseStatuses!: string[];

  @ApiProperty({ type: [String], description: 'Restored/closed statuses; time in them before a reopen is paused (case-insensitive; none blank, none also in pauseStatuses).' })
  @StatusList()
  @NotAlsoPausing()
  stopStatuses!: string[];

  @ApiPropertyOptional({ type: 'integer', description: 'Ignored; bumped by the server on every change.' })
  @IsOptional()
  @IsWholeNumber()
  version?: number;

  @EchoedRecompute()
  recompute?: string;
}

/** Body of POST and PUT /api/sla/calendars. */
export class CalendarDto {
  @ApiPropertyOptional({ type: 'integer', description: 'Ignored; the path names the calendar.' })
  @IsOptional()
  @IsWholeNumber()
  id?: number;

  @ApiProperty()
  @Trimmed()
  @IsText({ max: 200 })
  name!: string;

  @ApiProperty({ example: 'Europe/Berlin' })
  @IsIanaZone()
  timezone!: string;

  @ApiProperty({ enum: ['24x7', 'weekly'] })
  @IsOneOf(['24x7', 'weekly'])
  kind!: '24x7' | 'weekly';

  @ApiPropertyOptional({
    example: { mon: [['09:00', '17:00']], tue: [['09:00', '12:00'], ['13:00', '17:00']] },
    description: 'Working intervals per weekday, for kind weekly only (a 24x7 calendar takes none); 00:00-23:59 and 00:00-24:00 are the whole day.',
  })
  @IsOptional()
  @IsWeeklyHours()
  weekly?: Partial<Record<(typeof WEEKDAYS)[number], [string, string][]>>;

  @ApiPropertyOptional({ type: [String], example: ['2026-12-25'] })
  @IsOptional()
  @IsList({ max: 5000 })
  @IsHolidayList()
  holidays?: string[];

  @ApiPropertyOptional({ type: 'integer', description: 'Ignored; bumped by the server on every change.' })
  @IsOptional()
  @IsWholeNumber()
  version?: number;

  @EchoedRecompute()
  recompute?: string;
}

/** Filters of the watch list. */
export class WatchQueryDto {
  // Empty filters mean no filter, as on the metrics endpoints: `source=` had matched the
  // incidents whose source is named '' (none), so the SLA figures answered zero.
  @ApiPropertyOptional({ description: 'Source name; empty means every source.' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsText({ max: 200 })
  source?: string;

  @WholeNumberParam({ min: 1, max: 5 })
  priority?: number;

  @ApiPropertyOptional({ description: 'Assignment group, exact; empty means every group.' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsText({ max: MAX_INDEXED_BYTES })
  assignmentGroup?: string;
}

/** The common filter of the API contract: a window of local dates in tz, and subsets. */
export class SlaFilterDto extends WatchQueryDto {
  @ApiProperty({ example: '2026-01-01', description: 'First local day of the window, in tz.' })
  @IsLocalDate()
  from!: string;

  @ApiProperty({ example: '2026-02-01', description: 'Local day after the window (exclusive), in tz.' })
  @IsLocalDate(undefined, LATEST_WINDOW_END)
  to!: string;

  @ApiPropertyOptional({ default: 'UTC' })
  @EmptyIs('UTC')
  @IsOptional()
  @IsIanaZone()
  tz: string = 'UTC';

  @ApiPropertyOptional({ description: 'Category, exact; empty means every category.' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsText({ max: MAX_INDEXED_BYTES })
  category?: string;

  @ApiPropertyOptional({ enum: ['response', 'resolution'], default: 'resolution' })
  @IsOptional()
  @IsOneOf(['response', 'resolution'])
  kind: 'response' | 'resolution' = 'resolution';
}

export class ComplianceQueryDto extends SlaFilterDto {
  @ApiPropertyOptional({ enum: ['priority', 'assignmentGroup', 'category'], default: 'priority' })
  @IsOptional()
  @IsOneOf(['priority', 'assignmentGroup', 'category'])
  groupBy: 'priority' | 'assignmentGroup' | 'category' = 'priority';

  @ApiPropertyOptional({ enum: ['day', 'week', 'month'], description: 'Default by window length.' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsOneOf(['day', 'week', 'month'])
  interval?: 'day' | 'week' | 'month';
}
