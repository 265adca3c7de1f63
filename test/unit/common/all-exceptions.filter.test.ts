import { ArgumentsHost, BadRequestException, Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AllExceptionsFilter } from '../../../server/src/common/all-exceptions.filter';

/** A host whose response records what it was told, over a socket that is or is not gone. */
function hostWith(socketDestroyed: boolean) {
  const sent: { status?: number; body?: unknown } = {};
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const request = { method: 'POST', path: '/api/imports', socket: { destroyed: socketDestroyed } };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }) } as unknown as ArgumentsHost;
  return { host, sent };
}

describe('AllExceptionsFilter', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers an upload the client cancelled with nothing, and warns once without a stack', () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { host, sent } = hostWith(true);
    new AllExceptionsFilter().catch(new Error('Request aborted'), host);
    expect(sent).toEqual({});
    expect(warn).toHaveBeenCalledWith({ event: 'request aborted by the client', method: 'POST', path: '/api/imports' });
    expect(error).not.toHaveBeenCalled();
  });

  it('answers an HTTP error as raised and anything else with a 500 and a correlation id', () => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const bad = hostWith(false);
    new AllExceptionsFilter().catch(new BadRequestException('no file'), bad.host);
    expect(bad.sent.status).toBe(400);
    const failed = hostWith(false);
    new AllExceptionsFilter().catch(new Error('boom'), failed.host);
    expect(failed.sent.status).toBe(500);
    expect(failed.sent.body).toMatchObject({ statusCode: 500, message: 'Internal server error' });
  });
});
