import { ArgumentMetadata, CallHandler, ExecutionContext, HttpException, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { badParameters, fileForText, givenTwice, notTaken, parametersOf, UNNAMED } from './validation';

/**
 * Names the parameter in multer's refusals of a multipart request's parts, as every other 400
 * does: a file part given twice, a file part the endpoint does not take, a part without a name.
 * Multer's own messages ("Unexpected file field - file", "Field name missing") named the part
 * only in passing, or not at all. Its error, which says which, is the cause Nest keeps. Placed
 * before the file interceptor, with the file parts that interceptor takes and the DTO of the
 * form's text fields, if it has any: a file sent under a text field's name is told it should be
 * text, where the whitelist's words ("not taken by this endpoint") said the field itself was unknown.
 */
export class MultipartProblemsNamed implements NestInterceptor {
  private readonly textFields: ReadonlySet<string>;

  constructor(
    private readonly fileParts: readonly string[],
    textFields?: NonNullable<ArgumentMetadata['metatype']>,
  ) {
    this.textFields = textFields ? parametersOf(textFields) : new Set();
  }

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => this.named(error))));
  }

  private named(error: unknown): unknown {
    const cause = error instanceof HttpException ? (error.cause as { code?: unknown; field?: unknown } | undefined) : undefined;
    const field = typeof cause?.field === 'string' ? cause.field : '';
    if (cause?.code === 'MISSING_FIELD_NAME' || (cause?.code === 'LIMIT_UNEXPECTED_FILE' && field === '')) return badParameters([UNNAMED]);
    if (cause?.code === 'LIMIT_UNEXPECTED_FILE') return badParameters([this.unexpectedFile(field)]);
    return error;
  }

  /** What a file part the file interceptor does not take is told, by its name. */
  private unexpectedFile(field: string) {
    if (this.fileParts.includes(field)) return givenTwice(field);
    return this.textFields.has(field) ? fileForText(field) : notTaken(field);
  }
}
