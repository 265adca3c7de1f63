import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app.config';
import { DatabaseHandle, openEmbeddedDatabase } from './embedded-postgres';
import { runMigrations } from './migrations';

export const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');

/**
 * Opens the configured database (DATABASE_URL, or the embedded server under DATA_DIR) and brings
 * its schema up to date.
 */
export async function openDatabase(config: AppConfig): Promise<DatabaseHandle> {
  const logger = new Logger('Database');
  const handle: DatabaseHandle = config.databaseUrl
    ? { url: config.databaseUrl, release: async () => undefined }
    : await openEmbeddedDatabase(config.dataDir, config.embeddedPgPort, (m) => logger.log(m));

  const applied = await runMigrations(handle.url, config.sqlDir);
  if (applied.length > 0) logger.log({ event: 'migrations applied', migrations: applied });
  return handle;
}
