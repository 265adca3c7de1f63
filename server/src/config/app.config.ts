import * as path from 'node:path';
import { IANAZone } from 'luxon';
import { userPath } from '../cli/cli.paths';

/** Everything the product reads from its environment, read in one place. */
export interface AppConfig {
  /** HTTP port of the API and dashboard. Default 3000. */
  port: number;
  /**
   * Address the server listens on. Default 127.0.0.1: there is no sign-in yet, and imports and
   * SLA policies can be changed through the API, so other machines must be let in on purpose
   * (HOST=0.0.0.0).
   */
  host: string;
  /** Folder for the embedded database and other local state. Default `./.data`. */
  dataDir: string;
  /** External PostgreSQL; when unset the embedded server under `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Port for the embedded PostgreSQL. Default: 54329, or a free one when that is taken. */
  embeddedPgPort: number | undefined;
  /** Zone of the organisation-wide business calendar. Default UTC. */
  orgTimezone: string;
  /** Seconds between scheduled refreshes of derived figures. Default 60. */
  refreshIntervalSeconds: number;
  /** Folder of the built dashboard. */
  clientDir: string;
  /** Folder of the SQL migrations. */
  sqlDir: string;
}

const projectRoot = path.resolve(__dirname, '..', '..', '..');

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number | undefined): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const orgTimezone = env.ORG_TIMEZONE || 'UTC';
  if (!IANAZone.isValidZone(orgTimezone)) {
    throw new Error(`ORG_TIMEZONE must be an IANA time zone such as Europe/Berlin, got "${orgTimezone}"`);
  }
  return {
    port: intFrom(env, 'PORT', 3000)!,
    host: env.HOST || '127.0.0.1',
    // A DATA_DIR given relative is read from where the command was typed (userPath), as the
    // CLI's paths are: under npm the working directory is the package's root.
    dataDir: env.DATA_DIR ? userPath(env.DATA_DIR, env) : path.join(process.cwd(), '.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedPgPort: intFrom(env, 'EMBEDDED_PG_PORT', undefined),
    orgTimezone,
    refreshIntervalSeconds: intFrom(env, 'REFRESH_INTERVAL_SECONDS', 60)!,
    clientDir: path.join(projectRoot, 'dist', 'client'),
    sqlDir: path.join(projectRoot, 'sql'),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
