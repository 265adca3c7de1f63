import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppLogger } from './common/app-logger';
import { createApp } from './app';
import { loadConfig } from './config/app.config';
import { openDatabase } from './database/database';

async function main(): Promise<void> {
  const logger = new AppLogger();
  Logger.overrideLogger(logger);
  const config = loadConfig();
  const handle = await openDatabase(config);
  const app = await createApp(config, handle, { logger });
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    // Let go of the database first: an embedded PostgreSQL nobody else uses stops with us.
    await app.close().catch(() => undefined);
    await handle.release().catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartError(`port ${config.port} on ${config.host} is in use: stop what holds it, or start with another PORT`);
    }
    throw error;
  }
  // On a terminal, one plain line says where to go; log collectors get the JSON event below.
  const shown = ['127.0.0.1', '0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
  const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${config.port}`;
  if (process.stdout.isTTY) process.stdout.write(`\nDashboard: ${url}\n\n`);
  Logger.log({ event: 'server started', url, host: config.host, database: config.databaseUrl ? 'external' : 'embedded' }, 'Main');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    Logger.log({ event: 'server stopping', signal }, 'Main');
    await app.close();
    await handle.release();
    process.exit(0);
  };
  // A lost database answers 503 on /api/health and fails requests; it must not end the server.
  process.on('unhandledRejection', (error) => Logger.error({ event: 'unhandled rejection', error }, 'Main'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** A reason not to start that the person starting it can act on: said plainly, no stack. */
class StartError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof StartError) {
    Logger.error({ event: 'server failed to start', reason: error.message }, 'Main');
    if (process.stderr.isTTY) process.stderr.write(`\n${error.message}\n\n`);
  } else {
    Logger.error({ event: 'server failed to start', error }, 'Main');
  }
  process.exit(1);
});
