import { Client } from 'pg';

/** Anything that runs a parameterised query: a pg Client, Pool or PoolClient. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/** An open connection to a test database; end() it in afterAll. */
export async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Inserts a source (or finds the one with that name) and returns its id. */
export async function insertSource(
  db: Queryable,
  name = 'test',
  format: string | null = 'generic',
): Promise<number> {
  const { rows } = await db.query(
    `insert into source (name, format) values ($1, $2)
     on conflict (name) do update set name = excluded.name
     returning id`,
    [name, format],
  );
  return rows[0].id;
}

/** Columns of `incident` a test may set, camelCased; every one but externalId and openedAt is optional. */
export interface IncidentFields {
  source?: string;
  externalId: string;
  openedAt: string | Date;
  detectedAt?: string | Date | null;
  acknowledgedAt?: string | Date | null;
  restoredAt?: string | Date | null;
  closedAt?: string | Date | null;
  status?: string | null;
  impact?: number | null;
  urgency?: number | null;
  priority?: number;
  priorityOrigin?: 'stated' | 'matrix';
  category?: string | null;
  subcategory?: string | null;
  service?: string | null;
  configurationItem?: string | null;
  assignmentGroup?: string | null;
  reassignmentCount?: number;
  hierarchicalEscalation?: boolean;
  reopenCount?: number;
  isMajor?: boolean;
  detectionSource?: string | null;
  workaround?: string | null;
  knowledgeArticle?: string | null;
  supplier?: string | null;
  closureCode?: string | null;
  resolutionNotes?: string | null;
  problemId?: string | null;
  relatedChange?: string | null;
  causedByChange?: string | null;
  sourceSlaMet?: boolean | null;
  attributes?: Record<string, unknown>;
  contentHash?: string;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Inserts one incident straight into `incident` (source 'test' unless named, created if needed).
 * Only the fields given are written; the rest take the table's defaults, priority 3.
 */
export async function insertIncident(db: Queryable, fields: IncidentFields): Promise<void> {
  const { source = 'test', attributes, ...rest } = fields;
  const sourceId = await insertSource(db, source);
  const values: Record<string, unknown> = {
    priority: 3,
    content_hash: 'test',
    ...Object.fromEntries(Object.entries(rest).map(([key, value]) => [snake(key), value])),
    source_id: sourceId,
  };
  if (attributes) values.attributes = JSON.stringify(attributes);

  const columns = Object.keys(values);
  await db.query(
    `insert into incident (${columns.join(', ')})
     values (${columns.map((_c, i) => `$${i + 1}`).join(', ')})`,
    Object.values(values),
  );
}

/** Inserts many incidents in order. */
export async function insertIncidents(db: Queryable, incidents: IncidentFields[]): Promise<void> {
  for (const incident of incidents) await insertIncident(db, incident);
}

export interface EventFields {
  source?: string;
  externalId: string;
  seq: number;
  at: string | Date;
  kind: 'status' | 'assignment' | 'priority' | 'escalation' | 'update';
  from?: string | null;
  to?: string | null;
}

/** Inserts one incident_event row; its incident must exist. */
export async function insertEvent(db: Queryable, event: EventFields): Promise<void> {
  const sourceId = await insertSource(db, event.source ?? 'test');
  await db.query(
    `insert into incident_event (source_id, external_id, seq, at, kind, from_value, to_value)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      sourceId,
      event.externalId,
      event.seq,
      event.at,
      event.kind,
      event.from ?? null,
      event.to ?? null,
    ],
  );
}

export interface SlaEvaluationFields {
  source?: string;
  externalId: string;
  kind: 'response' | 'resolution';
  status: 'met' | 'breached' | 'running' | 'paused';
  startedAt: string | Date;
  stoppedAt?: string | Date | null;
  priority?: number;
  policyId?: number | null;
  targetMinutes?: number;
  elapsedMinutes?: number;
  pausedMinutes?: number;
  dueAt?: string | Date | null;
  timezone?: string;
  breachedAt?: string | Date | null;
  incidentVersion?: number;
}

/** Inserts one sla_evaluation row as the SLA engine would leave it; its incident must exist. */
export async function insertSlaEvaluation(
  db: Queryable,
  evaluation: SlaEvaluationFields,
): Promise<void> {
  const sourceId = await insertSource(db, evaluation.source ?? 'test');
  await db.query(
    `insert into sla_evaluation (source_id, external_id, kind, policy_id, priority, target_minutes,
       elapsed_minutes, paused_minutes, started_at, stopped_at, due_at, timezone, status,
       breached_at, incident_version)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      sourceId,
      evaluation.externalId,
      evaluation.kind,
      evaluation.policyId ?? null,
      evaluation.priority ?? 3,
      evaluation.targetMinutes ?? 60,
      evaluation.elapsedMinutes ?? 0,
      evaluation.pausedMinutes ?? 0,
      evaluation.startedAt,
      evaluation.stoppedAt ?? null,
      evaluation.dueAt ?? null,
      evaluation.timezone ?? 'UTC',
      evaluation.status,
      evaluation.breachedAt ?? null,
      evaluation.incidentVersion ?? 1,
    ],
  );
}
