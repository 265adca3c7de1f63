import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { badParameters, notJson } from './validation';

/**
 * Answers HTTP errors as they were raised, and anything else with a generic 500 that carries a
 * correlation id; the stack is logged once, under that id. A request the client gave up on (an
 * upload cancelled halfway) gets no answer and one warning line: nothing on our side failed.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    if (request?.socket?.destroyed) {
      this.logger.warn({ event: 'request aborted by the client', method: request.method, path: request.path });
      return;
    }
    if (exception instanceof HttpException) {
      const answer = unreadableJson(exception) ?? exception;
      response.status(answer.getStatus()).json(answer.getResponse());
      return;
    }
    const correlationId = randomUUID();
    this.logger.error({ event: 'unhandled error', correlationId, error: exception });
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({
      statusCode: 500,
      message: 'Internal server error',
      correlationId,
    });
  }
}

/**
 * A JSON body the parser could not read (a syntax error, or an iCalendar text sent as
 * application/json), in the API's 400 shape: Nest answered the parser's message alone, naming
 * neither the body nor a parameter. The parser's error is the cause Nest keeps.
 */
function unreadableJson(exception: HttpException): HttpException | undefined {
  const cause = exception.cause;
  if (!(cause instanceof SyntaxError) || (cause as { type?: unknown }).type !== 'entity.parse.failed') return undefined;
  return badParameters([notJson(cause.message)]);
}
