import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

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
