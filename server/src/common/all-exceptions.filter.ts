import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { badParameters, notAnObject, notJson } from './validation';

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
      response.status(answer.getStatus()).json(asObject(answer));
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
  const cause = exception.cause as (SyntaxError & { type?: unknown; body?: unknown }) | undefined;
  if (!(cause instanceof SyntaxError) || cause.type !== 'entity.parse.failed') return undefined;
  // The parser takes objects and arrays only: `null` or `"text"` is JSON, just not a body.
  return badParameters([isJson(cause.body) ? notAnObject() : notJson(cause.message)]);
}

function isJson(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * An error's answer as the API's error object. Errors raised before a route runs (a body over
 * the parser's limit: 413, a charset it cannot read: 415, a body that does not inflate, a path
 * that does not decode) carried their message alone, answered as a bare JSON string.
 */
function asObject(exception: HttpException): object {
  const answer = exception.getResponse();
  if (typeof answer !== 'string') return answer;
  const status = exception.getStatus();
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: answer };
}
