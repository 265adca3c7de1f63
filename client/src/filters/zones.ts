/**
 * The time zones the filter offers. Chromium's Intl.supportedValuesOf('timeZone') still lists
 * some zones by their old IANA names (Asia/Calcutta, Europe/Kiev), so a link with the current
 * name would find no option; the current names are added, and so is whatever zone is chosen.
 */

/** Current IANA names of renamed zones, each with the old name some runtimes still list. */
export const RENAMED_ZONES: Record<string, string> = {
  'Asia/Kolkata': 'Asia/Calcutta',
  'Europe/Kyiv': 'Europe/Kiev',
  'America/Nuuk': 'America/Godthab',
  'Pacific/Kanton': 'Pacific/Enderbury',
  'Asia/Ho_Chi_Minh': 'Asia/Saigon',
  'Asia/Kathmandu': 'Asia/Katmandu',
  'Asia/Yangon': 'Asia/Rangoon',
  'Atlantic/Faroe': 'Atlantic/Faeroe',
  'Asia/Dhaka': 'Asia/Dacca',
  'Asia/Thimphu': 'Asia/Thimbu',
  'Asia/Ulaanbaatar': 'Asia/Ulan_Bator',
  'Pacific/Chuuk': 'Pacific/Truk',
  'Pacific/Pohnpei': 'Pacific/Ponape',
  'America/Argentina/Buenos_Aires': 'America/Buenos_Aires',
  'America/Indiana/Indianapolis': 'America/Indianapolis',
  'America/Kentucky/Louisville': 'America/Louisville',
};

/** Whether this runtime can show times in the zone (the filter drops any other). */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A link's zone as the filter offers it, or null when it offers no such zone: a zone this
 * runtime lists (or the current name of a renamed one), or UTC or GMT, in any case (asia/kolkata
 * is Asia/Kolkata, not an option of its own). Others the browser knows, such as IST or CET, mean
 * another zone to the database (it reads them as fixed offsets), and the API refuses them on
 * every card. Where the runtime lists no zones, any it knows is taken as written.
 */
export function offeredZone(zone: string, supported: readonly string[] = supportedZones()): string | null {
  if (!isKnownZone(zone)) return null;
  const lower = zone.toLowerCase();
  if (lower === 'utc' || lower === 'gmt') return zone.toUpperCase();
  if (supported.length === 0) return zone;
  return [...supported, ...Object.keys(RENAMED_ZONES)].find((offered) => offered.toLowerCase() === lower) ?? null;
}

/**
 * The zone options: UTC first, then every supported zone and the current names of renamed ones,
 * sorted, with `current` always among them so the select never shows blank.
 */
export function zoneOptions(
  supported: readonly string[],
  current: string,
  known: (zone: string) => boolean = isKnownZone,
): string[] {
  const zones = new Set(supported);
  for (const zone of Object.keys(RENAMED_ZONES)) if (!zones.has(zone) && known(zone)) zones.add(zone);
  if (current) zones.add(current);
  zones.delete('UTC');
  return ['UTC', ...[...zones].sort()];
}

/** The zones this runtime lists, as Intl.supportedValuesOf gives them (empty where missing). */
export function supportedZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported('timeZone') : [];
}
