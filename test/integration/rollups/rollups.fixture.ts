import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { IncidentGenerator } from '../../../server/src/generator/incident.generator';
import { RefreshService } from '../../../server/src/refresh/refresh.service';
import { RollupsService } from '../../../server/src/rollups/rollups.service';

/** A TypeORM data source on a test database, and the rollups service over it. */
export async function openRollups(url: string): Promise<{ dataSource: DataSource; rollups: RollupsService }> {
  const dataSource = new DataSource({ type: 'postgres', url, entities: [], synchronize: false });
  await dataSource.initialize();
  const refresh = new RefreshService(dataSource);
  const rollups = new RollupsService(dataSource, refresh);
  rollups.onModuleInit();
  return { dataSource, rollups };
}

/**
 * Loads generated incidents into two sources ('alpha' and 'beta', alternating), keeping the first
 * of any repeated id, then derives SLA evaluations and source verdicts for part of them so that
 * every figure has something to count.
 */
export async function loadGenerated(dataSource: DataSource, incidents: number, seed: number): Promise<void> {
  await dataSource.query(`insert into source (name) values ('alpha'), ('beta') on conflict do nothing`);
  const generator = new IncidentGenerator({
    incidents,
    seed,
    start: new Date('2025-01-01T00:00:00Z'),
    months: 12,
    events: false,
  });
  const rows = [...generator.incidents()].map((r, i) => ({
    source: i % 2 === 0 ? 'alpha' : 'beta',
    external_id: r.externalId,
    opened_at: r.openedAt.toISOString(),
    acknowledged_at: r.acknowledgedAt?.toISOString() ?? null,
    restored_at: r.restoredAt?.toISOString() ?? null,
    priority: r.priority,
    category: r.category,
    assignment_group: r.assignmentGroup,
    reassignment_count: r.reassignmentCount,
    reopen_count: r.reopenCount,
  }));
  await dataSource.query(
    `insert into incident (source_id, external_id, opened_at, acknowledged_at, restored_at, priority, category,
                           assignment_group, reassignment_count, reopen_count, content_hash)
     select s.id, x.external_id, x.opened_at, x.acknowledged_at, x.restored_at, x.priority, x.category,
            x.assignment_group, x.reassignment_count, x.reopen_count, 'test'
       from jsonb_to_recordset($1::jsonb) as x (source text, external_id text, opened_at timestamptz,
              acknowledged_at timestamptz, restored_at timestamptz, priority smallint, category text,
              assignment_group text, reassignment_count int, reopen_count int)
       join source s on s.name = x.source
     on conflict do nothing`,
    [JSON.stringify(rows)],
  );
  // Durations of exactly zero, and restorations on a UTC midnight, are edges worth having.
  await dataSource.query(
    `update incident set restored_at = opened_at where hashtext(external_id) % 97 = 0 and restored_at is not null`,
  );
  await dataSource.query(
    `update incident set restored_at = date_trunc('day', restored_at at time zone 'UTC') at time zone 'UTC'
      where hashtext(external_id) % 89 = 0 and restored_at >= opened_at + interval '2 days'`,
  );
  await dataSource.query(`update incident set source_sla_met = (hashtext(external_id) % 2 = 0) where hashtext(external_id) % 5 = 0`);
  await deriveEvaluations(dataSource, 'true');
}

/** Stand-in SLA evaluations (the SLA engine's own are not under test here). */
export async function deriveEvaluations(dataSource: DataSource, where: string): Promise<void> {
  await dataSource.query(
    `insert into sla_evaluation (source_id, external_id, kind, priority, target_minutes, elapsed_minutes,
                                 started_at, stopped_at, status, incident_version)
     select source_id, external_id, 'resolution', priority, 480, extract(epoch from restored_at - opened_at) / 60,
            opened_at, restored_at,
            case when hashtext(external_id) % 11 = 0 then 'running'
                 when restored_at - opened_at <= interval '24 hours' then 'met' else 'breached' end,
            version
       from incident where restored_at is not null and hashtext(external_id) % 3 <> 0 and ${where}
     on conflict (source_id, external_id, kind) do update
       set stopped_at = excluded.stopped_at, status = excluded.status, computed_at = now()`,
  );
  await dataSource.query(
    `insert into sla_evaluation (source_id, external_id, kind, priority, target_minutes, elapsed_minutes,
                                 started_at, stopped_at, status, incident_version)
     select source_id, external_id, 'response', priority, 60, extract(epoch from acknowledged_at - opened_at) / 60,
            opened_at, acknowledged_at,
            case when acknowledged_at - opened_at <= interval '1 hour' then 'met' else 'breached' end, version
       from incident where acknowledged_at is not null and hashtext(external_id) % 4 <> 0 and ${where}
     on conflict (source_id, external_id, kind) do update
       set stopped_at = excluded.stopped_at, status = excluded.status, computed_at = now()`,
  );
}

/**
 * Zones with offsets of whole hours, half hours (St John's, Kolkata), 45 minutes and +14. Tokyo's
 * midnight is 15:00 UTC: a day's last nine UTC hours, when the generated incidents are busy, are
 * read as the whole UTC day less those hours.
 */
export const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'America/St_Johns',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Asia/Tokyo',
];

/** Any subset of the four filters, including an unknown source and the '(none)' category. */
export const filterArb = fc.record(
  {
    source: fc.constantFrom('alpha', 'beta', 'nowhere'),
    priority: fc.integer({ min: 1, max: 5 }),
    category: fc.constantFrom('application', 'network', 'other', 'hardware', '(none)'),
    assignmentGroup: fc.constantFrom('group-01', 'group-02', 'group-07'),
  },
  { requiredKeys: [] },
);

/**
 * Changes every incident whose id hashes to 0 modulo `modulus`, as a later import would: shifts
 * or removes (reopens) its restoration, moves its opening and acknowledgement, changes priority
 * and category (some to none), counts a reopening, and derives its SLA evaluations again.
 */
export async function changeIncidents(dataSource: DataSource, modulus: number): Promise<void> {
  const changed = `hashtext(external_id) % ${Number(modulus)} = 0`;
  await dataSource.query(
    `update incident set
        restored_at = case when hashtext(external_id) % 4 = 0 then null else restored_at + interval '37 hours' end,
        opened_at = opened_at - interval '5 hours',
        acknowledged_at = acknowledged_at + interval '50 minutes',
        priority = 1 + (priority % 5),
        category = case when hashtext(external_id) % 2 = 0 then 'network' when hashtext(external_id) % 3 = 0 then null else category end,
        reopen_count = reopen_count + 1,
        version = nextval('incident_version_seq')
      where ${changed}`,
  );
  await dataSource.query(
    `delete from sla_evaluation e using incident i
      where i.source_id = e.source_id and i.external_id = e.external_id and i.restored_at is null and e.kind = 'resolution'`,
  );
  await deriveEvaluations(dataSource, changed);
}
