import {
  applyDecorators,
  ArgumentMetadata,
  BadRequestException,
  CanActivate,
  ExecutionContext,
  Injectable,
  PipeTransform,
  UseGuards,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { ApiParam, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { getMetadataStorage, IsIn, IsOptional, ValidateBy, ValidateNested, ValidationOptions } from 'class-validator';
import { DateTime } from 'luxon';
import { canonicalZone, isKnownZone, ZONE_EXPECTED } from './zones';

/**
 * A problem without the property's name that class-validator's messages start with: the 400
 * names the parameter before its problems ("to: must be ...", not "to: to must be ...").
 */
function withoutName(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

/** What is wrong with one parameter, as a 400 lists it. */
export interface ParameterProblems {
  parameter: string;
  problems: string[];
}

/**
 * The API's one 400 shape: a message naming each parameter once, before its problems, and the
 * same as a list. The validation pipe answers in it, and so does every check made elsewhere.
 */
export function badParameters(details: ParameterProblems[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: details.map((d) => `${d.parameter}: ${d.problems.join('; ')}`).join(', '),
    parameters: details,
  });
}

/** A 400 for one parameter found bad after validation, in the validation pipe's shape. */
export function badParameter(parameter: string, problem: string): BadRequestException {
  return badParameters([{ parameter, problems: [problem] }]);
}

function describe(errors: ValidationError[], prefix = ''): ParameterProblems[] {
  return errors.flatMap((error) => {
    const name = prefix ? `${prefix}.${error.property}` : error.property;
    // A required parameter not given fails each of its validators; saying so once is enough. One
    // with problems inside was given: the validation pipe drops the value of such an error.
    const given = error.value !== undefined || (error.children ?? []).length > 0;
    const missing = !given && error.constraints !== undefined && !('whitelistValidation' in error.constraints);
    const problems = missing ? ['missing'] : failed(error).map((message) => withoutName(message, error.property));
    const own = problems.length > 0 ? [{ parameter: name, problems }] : [];
    // An object sent as a list (`"appliesTo": [{...}]`), or a list with entries that are no
    // objects, is told that alone, not what class-validator found inside the lists.
    const notObjects = error.constraints?.[IS_OBJECT] !== undefined || error.constraints?.[EACH_OBJECT] !== undefined;
    const children = notObjects ? [] : (error.children ?? []);
    return [...own, ...describe(children, name)];
  });
}

/**
 * The messages of a parameter's failed validators. A value that is no array is told that alone:
 * the checks of an array's elements fail of anything else too, and say what does not apply. A
 * parameter the DTO does not take is told so in the project's words, not the whitelist's
 * ("property colour should not exist").
 */
function failed(error: ValidationError): string[] {
  const constraints = error.constraints ?? {};
  if (constraints.whitelistValidation !== undefined) return notTaken(error.property).problems;
  // Each once: a JSON object's own check and class-validator's of its fields say the same of a string.
  return constraints[IS_LIST] !== undefined ? [constraints[IS_LIST]] : [...new Set(Object.values(constraints))];
}

/**
 * Leaves path parameters as the text they came as. ValidationPipe turns one typed as a number
 * into one with Number() before the parameter's own pipe runs, so IdPipe saw 1 for '0x1',
 * '1e0' or ' 1' and a calendar was updated through /api/sla/calendars/0x1.
 */
class EdgeValidationPipe extends ValidationPipe {
  protected transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    return metadata.type === 'param' ? value : super.transformPrimitive(value, metadata);
  }

  /**
   * A query's parameters are told apart before they are validated: one the endpoint takes, given
   * twice, is named as such (its validators would say it is no string, or no number); one it does
   * not take is left to the whitelist, which says it is not taken, however often given.
   */
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Every body is an object: a JSON array (`[1]`), which the parser takes, had its indices told
    // "property 0 should not exist", beside every field it lacked.
    if (metadata.type === 'body' && Array.isArray(value)) throw badParameters([notAnObject()]);
    if (metadata.type === 'query' && metadata.metatype && value !== null && typeof value === 'object') {
      refuseRepeated(value, metadata.metatype);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Refuses, naming them, the parameters of a query or form that the DTO takes and that came as a
 * list (given more than once), any without a name, and a form's text field named as one of its
 * file parts (`fileParts`), which the whitelist would have said is not taken, though a part of
 * that name is what the form wants. The others are left to validation. With `dto` null, for a form
 * that takes no text fields and so has no DTO for the whitelist to run, each other field is told
 * it is not taken here, however often given (`-F timezone=Europe/Berlin` to the holiday upload,
 * which had been ignored without a word).
 */
export function refuseRepeated(given: object, dto: NonNullable<ArgumentMetadata['metatype']> | null, fileParts: readonly string[] = []): void {
  const takes = dto === null ? new Set<string>() : parametersOf(dto);
  const problems = Object.entries(given).flatMap(([parameter, value]): ParameterProblems[] => {
    if (parameter === '') return [UNNAMED];
    if (fileParts.includes(parameter)) return [textForFile(parameter)];
    if (dto === null) return [notTaken(parameter)];
    return typeof value !== 'string' && takes.has(parameter) ? [givenTwice(parameter)] : [];
  });
  if (problems.length > 0) throw badParameters(problems);
}

/** What a parameter given more than once is told. */
export const givenTwice = (parameter: string): ParameterProblems => ({ parameter, problems: ['given more than once'] });

/** What a parameter the endpoint does not take is told, by the DTOs' whitelist and every other check alike. */
export const notTaken = (parameter: string): ParameterProblems => ({ parameter, problems: ['not taken by this endpoint'] });

/** What a form's text field is told when the form takes a file part of that name (`-F file=hello`). */
export const textForFile = (parameter: string): ParameterProblems => ({ parameter, problems: ['must be a file part, not a text field'] });

/** What a form's file part is told when the form takes a text field of that name (`-F timezone=@f`). */
export const fileForText = (parameter: string): ParameterProblems => ({ parameter, problems: ['must be a text field, not a file'] });

/**
 * What a body the JSON parser could not read is told, under a name no parameter has (as a part
 * without one is `(no name)`): the parser's own words, which give the position when it knows it.
 */
export const notJson = (parserMessage: string): ParameterProblems => ({ parameter: '(body)', problems: [`not valid JSON: ${parserMessage}`] });

/** What a body that is JSON but no object (`null`, `"text"`, `1`, `[1]`) is told. */
export const notAnObject = (): ParameterProblems => ({ parameter: '(body)', problems: ['must be a JSON object'] });

/** What a query part or form field without a name (`?=1`, `?&=`) is told. */
export const UNNAMED: ParameterProblems = { parameter: '(no name)', problems: ['a parameter without a name, as in "?=1"'] };

/** The parameters a DTO class declares (any validator marks one), by class. */
const declared = new Map<unknown, Set<string>>();
export function parametersOf(dto: NonNullable<ArgumentMetadata['metatype']>): Set<string> {
  let names = declared.get(dto);
  if (names === undefined) {
    names = new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName));
    declared.set(dto, names);
  }
  return names;
}

/** Validates every DTO at the edge and answers 400 naming each bad parameter. */
export function validationPipe(): ValidationPipe {
  return new EdgeValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => badParameters(describe(errors)),
  });
}

/**
 * For an endpoint that takes no query parameter: any one given is a 400 naming it, as the other
 * endpoints answer a parameter their DTO does not know (it was silently ignored).
 */
@Injectable()
class NoQueryParametersGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const names = Object.keys(context.switchToHttp().getRequest<{ query?: object }>().query ?? {});
    if (names.length === 0) return true;
    throw badParameters(names.map((parameter) => (parameter === '' ? UNNAMED : notTaken(parameter))));
  }
}
export const TakesNoQuery = (): MethodDecorator & ClassDecorator => UseGuards(NoQueryParametersGuard);

/** A name kept without the spaces around it, so that one of spaces alone is empty. */
export const Trimmed = (): PropertyDecorator => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** An empty query value (`?category=`, as a form sends it) means the parameter was not given. */
export const EmptyIsAbsent = (): PropertyDecorator => EmptyIs(undefined);

/** An empty query value takes `fallback`, the parameter's default. */
export const EmptyIs = (fallback: unknown): PropertyDecorator => Transform(({ value }) => (value === '' ? fallback : value));

/*
 * The checks of the DTOs, each told in the project's words and once: class-validator's own
 * (IsString, MaxLength, ArrayMinSize, IsInt with Min and Max, ...) answered "must contain at least
 * 1 elements" or "must be longer than or equal to 1 characters", and a value of the wrong type
 * failed every check of its parameter ("must not be greater than 2147483647; must be a positive
 * number; must be an integer number" of "1").
 */

/** How many, in words: `1 entry`, `5 entries`. */
const entries = (n: number): string => `${n} ${n === 1 ? 'entry' : 'entries'}`;

/** What a string sent where a number goes is told after its problem, so that `"1"` is seen to be text. */
export const notAString = (value: unknown): string => (typeof value === 'string' ? ` (a JSON number, not the string ${quoted(value)})` : '');

const quoted = (value: string): string => {
  const shown = JSON.stringify(value);
  return shown.length > 40 ? `${shown.slice(0, 40)}..."` : shown;
};

/**
 * Text: a string, not empty unless `empty` (after any Trimmed), at most `max` characters. A
 * value that is no string is told that alone, not also how long it may be.
 */
export function IsText(options: { max?: number; empty?: boolean } = {}): PropertyDecorator {
  const problem = (value: unknown): string | null => {
    if (typeof value !== 'string') return 'must be a string';
    if (!options.empty && value === '') return 'must not be empty';
    if (options.max !== undefined && value.length > options.max) return `must be at most ${options.max} characters long`;
    return null;
  };
  return ValidateBy({ name: 'isText', validator: { validate: (value) => problem(value) === null, defaultMessage: (args) => problem(args?.value) ?? '' } });
}

/** A whole number in a JSON body, from `min` to `max` when given: one check, one problem. */
export function IsWholeNumber(range?: { min: number; max: number }): PropertyDecorator {
  const inRange = (value: number) => range === undefined || (value >= range.min && value <= range.max);
  const what = range ? `a whole number from ${range.min} to ${range.max}` : 'a whole number';
  return ValidateBy({
    name: 'isWholeNumber',
    validator: {
      validate: (value) => Number.isInteger(value) && inRange(value as number),
      defaultMessage: (args) => `must be ${what}${notAString(args?.value)}`,
    },
  });
}

/** The name of IsList's check, which describe() tells alone when it fails. */
const IS_LIST = 'isList';

/**
 * A list (JSON array) of `min` to `max` entries. A value that is no list is told that alone (see
 * failed()): the checks of the entries fail of anything else too, and say what does not apply.
 */
export function IsList(options: { min?: number; max: number }): PropertyDecorator {
  const { min = 0, max } = options;
  const problem = (value: unknown): string | null => {
    if (!Array.isArray(value)) return 'must be an array';
    if (value.length < min) return `must hold at least ${entries(min)}`;
    if (value.length > max) return `must hold at most ${entries(max)}`;
    return null;
  };
  return ValidateBy({ name: IS_LIST, validator: { validate: (value) => problem(value) === null, defaultMessage: (args) => problem(args?.value) ?? '' } });
}

/** The names of NestedObject's and NestedObjects' checks, which describe() tells without the problems of the value's entries. */
const IS_OBJECT = 'isJsonObject';
const EACH_OBJECT = 'eachJsonObject';
const A_JSON_OBJECT = 'must be a JSON object';
const isJsonObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A JSON object read as `type` and validated by its DTO. class-validator validated a list's
 * entries instead (so `"appliesTo": []` was taken, as no subset) and told anything else "nested
 * property appliesTo must be either object or array".
 */
export function NestedObject(type: () => new () => object): PropertyDecorator {
  return applyDecorators(
    ValidateBy({
      name: IS_OBJECT,
      validator: { validate: isJsonObject, defaultMessage: () => A_JSON_OBJECT },
    }),
    ValidateNested({ message: A_JSON_OBJECT }),
    Type(type),
  );
}

/**
 * The entries of a list, each a JSON object read as `type` and validated by its DTO. Entries that
 * are none are named by index (`targets: [0] "x" must be a JSON object`), without the problems
 * class-validator finds inside a list sent as an entry (which it validated as a list of targets).
 */
export function NestedObjects(type: () => new () => object): PropertyDecorator {
  return applyDecorators(
    ValidateBy({
      name: EACH_OBJECT,
      validator: {
        validate: (value) => !Array.isArray(value) || value.every(isJsonObject),
        defaultMessage: (args) => badEntries(args?.value as unknown[], (entry) => !isJsonObject(entry), 'a JSON object'),
      },
    }),
    ValidateNested({ each: true, message: A_JSON_OBJECT }),
    Type(type),
  );
}

/**
 * The entries of a list that `bad` finds, named by index (from 0, as in `targets.0`) and value,
 * the first five, as what they must be: `[1] "x" must be <what>`, `[0] "x", [2] 5 and 3 more
 * must each be <what>`.
 */
export function badEntries(list: unknown[], bad: (entry: unknown) => boolean, what: string): string {
  const indices = list.flatMap((entry, index) => (bad(entry) ? [index] : []));
  const named = indices.slice(0, 5).map((index) => {
    const shown = JSON.stringify(list[index]) ?? String(list[index]);
    return `[${index}] ${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown}`;
  });
  if (indices.length === 1) return `${named[0]} must be ${what}`;
  const last = indices.length > 5 ? `${indices.length - 5} more` : named.pop();
  return `${named.join(', ')} and ${last} must each be ${what}`;
}

/** One of `values`, named in the message: `must be 24x7 or weekly`, `must be one of day, week or month`. */
export function IsOneOf(values: readonly string[]): PropertyDecorator {
  const named = values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
  return IsIn(values, { message: `must be ${named}` });
}

/** The largest value of PostgreSQL's `integer`, the type of every id the API takes. */
export const MAX_ID = 2_147_483_647;

/** The OpenAPI description of a path id (parsed by IdPipe). */
export const ApiIdParam = (): MethodDecorator => ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1, maximum: MAX_ID } });

/**
 * A whole number as every integer parameter of the API (path ids and query parameters) is
 * written: digits, leading zeros read as usual (`02` is 2), optionally followed by a point and
 * zeros only (`2.0`, `2.`), as a list link's page and an import's counts are read (and as JSON
 * reads `2.0` in a body); NaN for anything else (`+2`, `-0`, ` 2`, `2.5`, `2e0`, `0x2`, ``). A
 * path id refused `01` while `limit=01` was 1, and `top=2.0` was refused where a link's `page=2.0`
 * was page 2.
 */
export function wholeNumberText(text: unknown): number {
  return typeof text === 'string' && /^[0-9]+(?:\.0*)?$/.test(text) ? Number(text) : NaN;
}

/**
 * A path id: a whole number (wholeNumberText) from 1 to MAX_ID, else 400 naming the parameter.
 * Nest's ParseIntPipe let through ids that overflow the column, which PostgreSQL then refused (a 500).
 */
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const id = wholeNumberText(value);
    if (!(id >= 1 && id <= MAX_ID)) {
      throw badParameter(metadata.data ?? 'id', `must be a whole number from 1 to ${MAX_ID}`);
    }
    return id;
  }
}

/**
 * A whole-number query parameter from `min` to `max`, written as wholeNumberText reads it, with
 * its OpenAPI description. `Number()` alone took '1e2', '0x10' and ' 5' as numbers, and an empty
 * value as 0 (a 400 for `limit=` but page one for `offset=`). An empty value now means the
 * parameter's default (or absent), and anything else that is no whole number is one problem,
 * named once.
 */
export function WholeNumberParam(options: { min: number; max: number; default?: number; description?: string }): PropertyDecorator {
  const { min, max } = options;
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: min, maximum: max, default: options.default, description: options.description }),
    Transform(({ value }) => {
      if (value === '') return options.default;
      const n = wholeNumberText(value);
      return Number.isNaN(n) ? value : n;
    }),
    IsOptional(),
    ValidateBy({
      name: 'wholeNumber',
      validator: {
        validate: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
        // Without the parameter's name, which the 400's message puts before it (as for IdPipe).
        defaultMessage: () => `must be a whole number from ${min} to ${max}`,
      },
    }),
  );
}

const EARLIEST_DATE = '1900-01-01';
const LATEST_DATE = '2999-12-31';
/**
 * The latest end of a window: the day after the last on which an imported time may fall (the
 * import takes times up to 2999-12-31 23:59:59 UTC). Ending at 2999-12-31, a window could never
 * hold that last day, and a data set reaching it made the dashboard's default window a 400.
 */
export const LATEST_WINDOW_END = '3000-01-01';

/**
 * A real calendar date written YYYY-MM-DD, from 1900-01-01 to `latest`: bounded so that a window
 * and the previous one of equal length stay within PostgreSQL's range.
 */
export function isLocalDate(value: unknown, latest = LATEST_DATE): boolean {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    value >= EARLIEST_DATE &&
    value <= latest &&
    DateTime.fromISO(value, { zone: 'UTC' }).isValid
  );
}

/** What a local date is, as a value that is none is told it must be. */
const aLocalDate = (latest = LATEST_DATE): string => `a date written YYYY-MM-DD, from ${EARLIEST_DATE} to ${latest}`;
export const A_LOCAL_DATE = aLocalDate();

/** The decorator of isLocalDate, for the window's dates and a calendar's holidays alike. */
export function IsLocalDate(options?: ValidationOptions, latest = LATEST_DATE): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLocalDate',
      validator: {
        validate: (value) => isLocalDate(value, latest),
        defaultMessage: () => `must be ${aLocalDate(latest)}`,
      },
    },
    options,
  );
}

/**
 * An IANA time zone name that luxon (the SLA clocks) and PostgreSQL (the figures) read alike
 * (isKnownZone), taken in PostgreSQL's spelling (canonicalZone).
 */
export function IsIanaZone(options?: ValidationOptions): PropertyDecorator {
  const spelled = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? canonicalZone(value) : value));
  const valid = ValidateBy(
    {
      name: 'isIanaZone',
      validator: {
        validate: (value) => typeof value === 'string' && isKnownZone(value),
        defaultMessage: (args) => `${args?.property} must be ${ZONE_EXPECTED}`,
      },
    },
    options,
  );
  return applyDecorators(spelled, valid);
}
