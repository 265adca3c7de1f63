import { inject } from 'vitest';
import { AppConfig, loadConfig } from '../../server/src/config/app.config';

/**
 * The data folder of this test run (made and removed by global-setup.ts): the app writes import
 * reports under DATA_DIR, which would otherwise be the user's ./.data.
 */
export function testDataDir(): string {
  return inject('dataDir');
}

/** The app's configuration for a test: `env` over the test run's own data folder. */
export function testConfig(env: NodeJS.ProcessEnv): AppConfig {
  return loadConfig({ DATA_DIR: testDataDir(), ...env });
}
