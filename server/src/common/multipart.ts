import { CallHandler, ExecutionContext, HttpException, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { badParameters, givenTwice, notTaken, UNNAMED } from './validation';

/**
 * Names the parameter in multer's refusals of a multipart request's parts, as every other 400
 * does: a file part given twice, a file part the endpoint does not take, a part without a name.
 * Multer's own messages ("Unexpected file field - file", "Field name missing") named the part
 * only in passing, or not at all. Its error, which says which, is the cause Nest keeps. Placed
 * before the file interceptor, with the file parts that interceptor takes.
 */
export class MultipartProblemsNamed implements NestInterceptor {
  constructor(private readonly fileParts: readonly string[]) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => this.named(error))));
  }

  private named(error: unknown): unknown {
    const cause = error instanceof HttpException ? (error.cause as { code?: unknown; field?: unknown } | undefined) : undefined;
    const field = typeof cause?.field === 'string' ? cause.field : '';
    if (cause?.code === 'MISSING_FIELD_NAME' || (cause?.code === 'LIMIT_UNEXPECTED_FILE' && field === '')) return badParameters([UNNAMED]);
    if (cause?.code === 'LIMIT_UNEXPECTED_FILE') return badParameters([this.fileParts.includes(field) ? givenTwice(field) : notTaken(field)]);
    return error;
  }
}
