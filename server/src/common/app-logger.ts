import { ConsoleLogger } from '@nestjs/common';

/** Nest's own start-up chatter: one line per module and route, which says nothing to an operator. */
const QUIET_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

/** One JSON line per event, without Nest's per-module and per-route start-up lines. */
export class AppLogger extends ConsoleLogger {
  constructor() {
    super({ json: true });
  }

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && QUIET_CONTEXTS.has(context)) return;
    super.log(message, ...rest);
  }
}
