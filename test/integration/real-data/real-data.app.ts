import type { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../../../server/src/app';
import { loadConfig } from '../../../server/src/config/app.config';
import { ImportRequest, ImportResult, ImportService } from '../../../server/src/imports/import.service';
import { RefreshOutcome, RefreshService } from '../../../server/src/refresh/refresh.service';
import { createTestDatabase, TestDatabase } from '../../support/db';

/** The whole app on a fresh test database, listening on loopback, with the import in process. */
export interface RealDataApp {
  url: string;
  app: INestApplication;
  importFile(request: ImportRequest): Promise<ImportResult>;
  refresh(): Promise<RefreshOutcome>;
  close(): Promise<void>;
}

export async function startRealDataApp(): Promise<RealDataApp> {
  const db: TestDatabase = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-real-data-'));
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir });
  const app = await createApp(config, { url: db.url, release: async () => undefined }, { logger: false, schedule: false });
  await app.listen(0, '127.0.0.1');
  return {
    url: db.url,
    app,
    importFile: (request) => app.get(ImportService).run(request),
    refresh: () => app.get(RefreshService).refreshAll('real-data test'),
    async close() {
      await app.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
