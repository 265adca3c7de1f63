import * as path from 'node:path';
import { IncidentRecord } from '../../../server/src/incidents/incident.record';
import { detectFile, readItems } from '../../../server/src/imports/import.read';
import { TimeReader } from '../../../server/src/imports/import.time';
import { FormatName, ImportItem, Rejection } from '../../../server/src/imports/import.types';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/imports');

/** Every item a fixture file gives, read as the import reads it (detection, parsing, mapping). */
export async function readFixture(name: string, zone = 'UTC', format?: FormatName): Promise<ImportItem[]> {
  const file = path.resolve(FIXTURES, name);
  const detected = await detectFile(file, format);
  const items: ImportItem[] = [];
  for await (const item of await readItems(file, format ?? detected.format, detected, new TimeReader(zone))) items.push(item);
  return items;
}

export function records(items: ImportItem[]): Map<string, IncidentRecord> {
  const map = new Map<string, IncidentRecord>();
  for (const item of items) if (item.kind === 'record') map.set(item.record.externalId, item.record);
  return map;
}

export function rejections(items: ImportItem[]): Rejection[] {
  return items.flatMap((item) => (item.kind === 'rejection' ? [item.rejection] : []));
}

export function lineOf(items: ImportItem[], externalId: string): number | undefined {
  for (const item of items) if (item.kind === 'record' && item.record.externalId === externalId) return item.line;
  return undefined;
}

export const utc = (iso: string) => new Date(iso);
