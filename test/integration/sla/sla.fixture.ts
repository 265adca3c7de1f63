import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { createApp } from '../../../server/src/app';
import { SlaEngine } from '../../../server/src/sla/sla.engine';
import { createTestDatabase, TestDatabase } from '../../support/db';
import { testConfig } from '../../support/config';

/** A migrated test database, the app on it (no scheduler), a pg client and the SLA engine. */
export interface SlaHarness {
  db: TestDatabase;
  app: INestApplication;
  client: Client;
  engine: SlaEngine;
  base: string;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<SlaHarness> {
  const db = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: db.url, ...env });
  const app = await createApp(config, { url: db.url, release: async () => undefined }, { logger: false, schedule: false });
  await app.listen(0, '127.0.0.1');
  const base = `${await app.getUrl()}/api`;
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const engine = app.get(SlaEngine);
  return {
    db,
    app,
    client,
    engine,
    base,
    async close() {
      await client.end();
      await app.close();
      await db.drop();
    },
  };
}

export interface IncidentInput {
  source: string;
  externalId: string;
  openedAt: string;
  priority: number;
  acknowledgedAt?: string | null;
  restoredAt?: string | null;
  status?: string | null;
  category?: string | null;
  assignmentGroup?: string | null;
  sourceSlaMet?: boolean | null;
  /** [at, kind, from, to] in time order. */
  events?: [string, string, string | null, string | null][];
}

/** Writes an incident and its events the way an importer does (a fresh version). */
export async function insertIncident(client: Client, input: IncidentInput): Promise<void> {
  const {
    rows: [{ id }],
  } = await client.query(
    `insert into source (name) values ($1) on conflict (name) do update set name = excluded.name returning id`,
    [input.source],
  );
  await client.query(
    `insert into incident (source_id, external_id, opened_at, acknowledged_at, restored_at, status, priority,
       category, assignment_group, source_sla_met, content_hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'test')`,
    [
      id,
      input.externalId,
      input.openedAt,
      input.acknowledgedAt ?? null,
      input.restoredAt ?? null,
      input.status ?? null,
      input.priority,
      input.category ?? null,
      input.assignmentGroup ?? null,
      input.sourceSlaMet ?? null,
    ],
  );
  for (const [seq, [at, kind, from, to]] of (input.events ?? []).entries()) {
    await client.query(
      `insert into incident_event (source_id, external_id, seq, at, kind, from_value, to_value)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [id, input.externalId, seq + 1, at, kind, from, to],
    );
  }
}

/** The evaluation row of one clock, numbers as numbers and instants as ISO UTC strings. */
export async function evaluation(client: Client, externalId: string, kind: 'response' | 'resolution') {
  const { rows } = await client.query(
    `select policy_id, policy_version, priority, target_minutes::float8 as target, elapsed_minutes::float8 as elapsed,
            paused_minutes::float8 as paused, stopped_at, due_at, timezone, status, breached_at
     from sla_evaluation where external_id = $1 and kind = $2`,
    [externalId, kind],
  );
  if (rows.length === 0) return null;
  const iso = (d: Date | null) => (d === null ? null : d.toISOString());
  const r = rows[0];
  return { ...r, stopped_at: iso(r.stopped_at), due_at: iso(r.due_at), breached_at: iso(r.breached_at) };
}

export async function api(base: string, path: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Runs every registered refresher now (what the scheduler does every interval). */
export async function refresh(base: string): Promise<void> {
  const { status, body } = await api(base, '/refresh', { method: 'POST' });
  if (status !== 200 || body.status !== 'succeeded') throw new Error(`refresh: ${status} ${JSON.stringify(body)}`);
}

export const everyDay = (from: string, to: string) =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [[from, to]]]));

export const weekdays = (from: string, to: string) =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [[from, to]]]));

/**
 * Eleven P1 incidents of `source` on the default 24x7 policy (response 15 min, resolution
 * 240 min), `${prefix}-1` to `${prefix}-11`, opened 08:00, acknowledged 08:10 (10 <= 15: met),
 * restored after 25 * i minutes: 25..225 met (i = 1..9), 250 and 275 breached (i = 10, 11).
 */
export async function insertElevenP1(client: Client, source: string, prefix: string): Promise<void> {
  for (let i = 1; i <= 11; i++) {
    await insertIncident(client, {
      source,
      externalId: `${prefix}-${i}`,
      openedAt: '2026-05-04T08:00:00Z',
      acknowledgedAt: '2026-05-04T08:10:00Z',
      restoredAt: new Date(Date.parse('2026-05-04T08:00:00Z') + 25 * i * 60_000).toISOString(),
      priority: 1,
    });
  }
}

/** What insertElevenP1's incidents are evaluated to, in the order of their ids' length, id, kind. */
export function elevenP1Evaluations(prefix: string): { external_id: string; kind: string; elapsed: number; status: string }[] {
  const expected = [];
  for (let i = 1; i <= 11; i++) {
    expected.push({ external_id: `${prefix}-${i}`, kind: 'resolution', elapsed: 25 * i, status: i <= 9 ? 'met' : 'breached' });
    expected.push({ external_id: `${prefix}-${i}`, kind: 'response', elapsed: 10, status: 'met' });
  }
  return expected;
}
