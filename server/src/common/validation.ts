import { ArgumentMetadata, BadRequestException, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';

function describe(errors: ValidationError[], prefix = ''): { parameter: string; problems: string[] }[] {
  return errors.flatMap((error) => {
    const name = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ parameter: name, problems: Object.values(error.constraints) }] : [];
    return [...own, ...describe(error.children ?? [], name)];
  });
}

/** Validates every DTO at the edge and answers 400 naming each bad parameter. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => {
      const details = describe(errors);
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: details.map((d) => `${d.parameter}: ${d.problems.join('; ')}`).join(', '),
        parameters: details,
      });
    },
  });
}

/** The largest value of PostgreSQL's `integer`, the type of every id the API takes. */
export const MAX_ID = 2_147_483_647;

/**
 * A path id: a whole number from 1 to MAX_ID, else 400 naming the parameter. Nest's
 * ParseIntPipe let through ids that overflow the column, which PostgreSQL then refused (a 500).
 */
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const id = /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
    if (!(id <= MAX_ID)) {
      const name = metadata.data ?? 'id';
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `${name}: must be a whole number from 1 to ${MAX_ID}`,
        parameters: [{ parameter: name, problems: [`must be a whole number from 1 to ${MAX_ID}`] }],
      });
    }
    return id;
  }
}
