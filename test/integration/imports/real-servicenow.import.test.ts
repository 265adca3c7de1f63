import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportResult } from '../../../server/src/imports/import.service';
import { SERVICENOW_FILE as FILE, serviceNowAcknowledged, serviceNowIncidents } from '../real-data/servicenow-raw';
import { ImportHarness, importHarness } from './import-context';

interface Expected {
  incidents: number;
  slaMet: number;
  notResolved: number;
  reopened: number;
  reassignments: number;
  priorityChanges: number;
  incidentsWithPriorityChange: number;
  acknowledged: number;
  ackEpochSum: number;
}

/**
 * The expected figures straight from the raw file, by plain string splitting (SOURCE.md: no quoted
 * fields), following SOURCE.md's rules: the last row of an incident holds its final state; the
 * first response is the earliest sys_updated_at of a row whose state is off New (-100 is no state)
 * or whose assigned_to is set.
 */
async function expectedFromRawFile(): Promise<Expected> {
  const e: Expected = {
    incidents: 0, slaMet: 0, notResolved: 0, reopened: 0, reassignments: 0,
    priorityChanges: 0, incidentsWithPriorityChange: 0, acknowledged: 0, ackEpochSum: 0,
  };
  for await (const incident of serviceNowIncidents()) {
    const { rows, col } = incident;
    const last = rows[rows.length - 1];
    e.incidents++;
    if (last[col.made_sla] === 'true') e.slaMet++;
    if (last[col.resolved_at] === '?') e.notResolved++;
    if (Number(last[col.reopen_count]) > 0) e.reopened++;
    e.reassignments += Number(last[col.reassignment_count]);
    // A priority change is a row whose priority differs from the row before it.
    const changes = rows.filter((v, i) => i > 0 && v[col.priority] !== rows[i - 1][col.priority]).length;
    e.priorityChanges += changes;
    if (changes > 0) e.incidentsWithPriorityChange++;
    const ack = serviceNowAcknowledged(incident);
    if (ack !== null) {
      e.acknowledged++;
      e.ackEpochSum += ack / 1000;
    }
  }
  return e;
}

describe('the real ServiceNow event log (UCI)', () => {
  let h: ImportHarness;
  let expected: Expected;
  let first: ImportResult;

  beforeAll(async () => {
    h = await importHarness();
    expected = await expectedFromRawFile();
    first = await h.imports.run({ file: FILE });
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('agrees with SOURCE.md and with the plain computation over the raw file', async () => {
    // SOURCE.md: 24,918 incidents; made_sla 15,803 true; 1,556 never resolved; 275 reopened;
    // 383 incidents change priority during their life.
    expect(expected).toMatchObject({ incidents: 24_918, slaMet: 15_803, notResolved: 1_556, reopened: 275 });
    expect(expected.incidentsWithPriorityChange).toBe(383);
    expect(first).toMatchObject({ source: 'servicenow', format: 'servicenow', timezone: 'UTC', rowsRead: 24_918, inserted: 24_918, rejected: 0 });

    const [stored] = await h.sql<Record<string, number>>(`
      select count(*)::int as incidents,
             count(*) filter (where source_sla_met)::int as "slaMet",
             count(*) filter (where restored_at is null)::int as "notResolved",
             count(*) filter (where reopen_count > 0)::int as reopened,
             sum(reassignment_count)::int as reassignments,
             count(acknowledged_at)::int as acknowledged,
             sum(extract(epoch from acknowledged_at))::float8 as "ackEpochSum"
        from incident`);
    expect(stored).toEqual({
      incidents: expected.incidents,
      slaMet: expected.slaMet,
      notResolved: expected.notResolved,
      reopened: expected.reopened,
      reassignments: expected.reassignments,
      acknowledged: expected.acknowledged,
      ackEpochSum: expected.ackEpochSum,
    });

    const [events] = await h.sql<{ changes: number; incidents: number }>(`
      select count(*)::int as changes, count(distinct external_id)::int as incidents
        from incident_event where kind = 'priority'`);
    expect(events).toEqual({ changes: expected.priorityChanges, incidents: 383 });
  });

  it('keeps the history in time order, also for the incident whose updates go backwards', async () => {
    const [disorder] = await h.sql<{ n: number }>(`
      select count(*)::int as n from incident_event a
        join incident_event b on b.source_id = a.source_id and b.external_id = a.external_id and b.seq = a.seq + 1
       where b.at < a.at`);
    expect(disorder.n).toBe(0);
    // Every incident ends Closed (SOURCE.md), so its last status event goes to Closed.
    const [notClosed] = await h.sql<{ n: number }>(`
      select count(*)::int as n from (
        select distinct on (external_id) external_id, to_value from incident_event
         where kind = 'status' order by external_id, seq desc) last where to_value <> 'Closed'`);
    expect(notClosed.n).toBe(0);
    const [invalid] = await h.sql<{ n: number }>(`select count(*)::int as n from incident_event where '-100' in (from_value, to_value)`);
    expect(invalid.n).toBe(0);
  });

  it('changes nothing when imported again', async () => {
    const again = await h.imports.run({ file: FILE });
    expect(again).toMatchObject({ rowsRead: 24_918, inserted: 0, updated: 0, unchanged: 24_918, rejected: 0 });
  }, 120_000);
});
