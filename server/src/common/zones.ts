import { Injectable, OnModuleInit } from '@nestjs/common';
import { IANAZone } from 'luxon';
import { DataSource } from 'typeorm';

/**
 * Which time zones the product takes: names that luxon (the import, the SLA clocks, and the
 * browser's Intl, which luxon asks) and PostgreSQL (the figures' windows) read as the same zone.
 * They part in two ways:
 * - ICU still knows names the tz database dropped (US/Pacific-New, Canada/East-Saskatchewan) and
 *   Java's three-letter ids (AET, CTT, ...): PostgreSQL refuses them, so every figure failed.
 * - PostgreSQL reads a name that is also one of its abbreviations as that fixed offset, first:
 *   IST is +02 to it and Asia/Kolkata (+05:30) to ICU, NST Newfoundland's -03:30 against
 *   Auckland, and CET +01 all year though the zone keeps summer time. A window and the incidents
 *   in it would be cut in two different zones, silently.
 */
interface DatabaseZones {
  /**
   * Every full zone name PostgreSQL knows, lower-cased (it reads them regardless of case), with
   * its own spelling.
   */
  names: Map<string, string>;
  /** Its abbreviations, lower-cased, with their offsets in minutes east of UTC. */
  abbreviations: Map<string, number>;
}

let known: DatabaseZones | undefined;

/**
 * Whether `zone` names one zone to luxon and PostgreSQL alike. Until the database's zones are
 * loaded (a check of a command's arguments before it connects, unit tests without a database)
 * luxon alone decides; the same check runs again once they are.
 */
export function isKnownZone(zone: string): boolean {
  if (!IANAZone.isValidZone(zone)) return false;
  if (!known) return true;
  const name = zone.toLowerCase();
  if (!known.names.has(name)) return false;
  const abbreviation = known.abbreviations.get(name);
  if (abbreviation === undefined) return true;
  // PostgreSQL reads this name as the abbreviation's fixed offset: the same zone only when luxon's
  // never moved from it in the years the product takes (UTC, GMT; not CET with its summer time,
  // nor MST, which luxon reads as America/Phoenix, on summer time in 1967).
  let fixed = fixedZones.get(name);
  if (fixed === undefined) {
    fixed = neverMovesFrom(zone, abbreviation);
    fixedZones.set(name, fixed);
  }
  return fixed;
}

/** Whether luxon's offsets for the zone were always `minutes`, each January and July since 1900. */
function neverMovesFrom(zone: string, minutes: number): boolean {
  const iana = IANAZone.create(zone);
  const last = new Date().getUTCFullYear() + 10;
  for (let year = 1900; year <= last; year++) {
    for (const month of [0, 6]) if (iana.offset(Date.UTC(year, month, 1)) !== minutes) return false;
  }
  return true;
}

/**
 * The zone's name as PostgreSQL spells it: 'asia/kolkata' is Asia/Kolkata. Both read it alike,
 * but stored and shown as typed it became a zone of its own beside Asia/Kolkata in every list of
 * zones. A name it does not know (or any, before the database's zones are loaded) is left as is.
 */
export function canonicalZone(zone: string): string {
  return known?.names.get(zone.toLowerCase()) ?? zone;
}

/** neverMovesFrom's answers, by lower-cased name. */
const fixedZones = new Map<string, boolean>();

/**
 * Why isKnownZone refuses a zone, for a message: no zone at all, a name the database does not
 * know, or an abbreviation it reads as a fixed offset where luxon reads a zone with other offsets.
 */
export function zoneRefusal(zone: string): string {
  if (!IANAZone.isValidZone(zone)) return `unknown time zone "${zone}"`;
  if (known?.abbreviations.has(zone.toLowerCase()) ?? true) {
    return `"${zone}" is an abbreviation the database reads as one fixed offset, not as the zone the import would read`;
  }
  return `"${zone}" is a zone name the database does not know`;
}

/** What a refusal of a zone says, after the parameter's or option's name. */
export const ZONE_EXPECTED =
  'an IANA time zone such as Europe/Berlin, one the database knows as the same zone (not an abbreviation such as IST or CET)';

/** Reads the database's zone names and abbreviations once per process. */
export async function loadDatabaseZones(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<void> {
  if (known) return;
  const names = await query('select name from pg_timezone_names');
  const abbreviations = await query(
    `select lower(abbrev) as abbrev, (extract(epoch from utc_offset) / 60)::int as minutes from pg_timezone_abbrevs`,
  );
  known = {
    names: new Map(names.map((row) => [String(row.name).toLowerCase(), String(row.name)])),
    abbreviations: new Map(abbreviations.map((row) => [String(row.abbrev), Number(row.minutes)])),
  };
}

/** Loads the database's zones as the application starts (the server and the import command). */
@Injectable()
export class DatabaseZonesLoader implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await loadDatabaseZones((sql) => this.dataSource.query(sql));
  }
}
