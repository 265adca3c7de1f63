import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportResult } from '../../../server/src/imports/import.service';
import { DATASETS, ImportHarness, importHarness } from './import-context';

const DIR = path.join(DATASETS, 'bpi2014-rabobank-itil');
const DETAIL = path.join(DIR, 'Detail_Incident.csv');
const ACTIVITY = path.join(DIR, 'EventLog_incident_activity_derived.csv.gz');

interface Expected {
  incidents: number;
  emptyRows: number;
  resolved: number;
  reopened: number;
  /** Incidents with a Reopen Time or a Reopen activity (SOURCE.md: "Reopen Time (and Reopen activities)"). */
  reopenedAny: number;
  workInProgress: number;
  reassignments: number;
  /** Count per mapped impact 1..3 (1,2 -> 1; 3 -> 2; 4,5 -> 3). */
  impact: Record<number, number>;
  priority: Record<number, number>;
  acknowledged: number;
  ackEpochSum: number;
  /** Incidents of the Detail file with an assignment activity naming a group (SOURCE.md: the group is the log's). */
  assigned: number;
  /** Incidents whose `# Reassignments` is empty. */
  missingReassignments: string[];
}

/** dd/mm/yyyy HH:MM:SS or yyyy-mm-dd HH:MM:SS as UTC epoch seconds. */
function epoch(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text)!;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
}

/** Plain string splitting over the raw files (SOURCE.md: `;`, CRLF, not quoted; the log `,`). */
async function expectedFromRawFiles(): Promise<Expected> {
  const e: Expected = {
    incidents: 0, emptyRows: 0, resolved: 0, reopened: 0, reopenedAny: 0, workInProgress: 0, reassignments: 0,
    impact: { 1: 0, 2: 0, 3: 0 }, priority: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }, acknowledged: 0, ackEpochSum: 0, assigned: 0,
    missingReassignments: [],
  };
  const ids = new Set<string>();
  // SOURCE.md: `# Reassignments` is the number of Reassignment activities; empty for IM0024778.
  const missingReassignments = new Set<string>();
  const reopenedIds = new Set<string>();
  let col: Record<string, number> | null = null;
  for await (const raw of readline.createInterface({ input: fs.createReadStream(DETAIL) })) {
    const v = raw.replace(/\r$/, '').split(';');
    if (!col) {
      col = Object.fromEntries(v.map((name, i) => [name, i]));
      continue;
    }
    const id = v[col['Incident ID']];
    if (id === '') {
      e.emptyRows++;
      continue;
    }
    ids.add(id);
    e.incidents++;
    if (v[col['Resolved Time']] !== '') e.resolved++;
    if (v[col['Reopen Time']] !== '') {
      e.reopened++;
      reopenedIds.add(id);
    }
    if (v[col.Status] === 'Work in progress') e.workInProgress++;
    if (v[col['# Reassignments']] === '') missingReassignments.add(id);
    else e.reassignments += Number(v[col['# Reassignments']]);
    const impact = Number(v[col.Impact].slice(0, 1));
    e.impact[impact <= 2 ? 1 : impact === 3 ? 2 : 3]++;
    e.priority[Number(v[col.Priority].slice(0, 1))]++;
  }

  // First Assignment or Operator Update per incident, BOMs stripped from the ids.
  const firstAck = new Map<string, number>();
  const assigned = new Set<string>();
  const ASSIGNMENTS = ['Assignment', 'Reassignment', 'External Vendor Assignment', 'External Vendor Reassignment'];
  let header = true;
  const gz = fs.createReadStream(ACTIVITY).pipe(createGunzip());
  for await (const raw of readline.createInterface({ input: gz })) {
    if (header) {
      header = false;
      continue;
    }
    const [rawId, type, stamp, group] = raw.replace(/\r$/, '').split(',');
    const id = rawId.split('\uFEFF').join('');
    if (ASSIGNMENTS.includes(type) && group !== '' && ids.has(id)) assigned.add(id);
    if (type === 'Reassignment' && missingReassignments.has(id)) e.reassignments++;
    if (type === 'Reopen' && ids.has(id)) reopenedIds.add(id);
    if (type !== 'Assignment' && type !== 'Operator Update') continue;
    const at = epoch(stamp);
    const seen = firstAck.get(id);
    if (seen === undefined || at < seen) firstAck.set(id, at);
  }
  e.missingReassignments = [...missingReassignments];
  e.reopenedAny = reopenedIds.size;
  e.assigned = assigned.size;
  for (const [id, at] of firstAck) {
    if (!ids.has(id)) continue;
    e.acknowledged++;
    e.ackEpochSum += at;
  }
  return e;
}

describe('the real BPI 2014 Detail_Incident.csv with its activity log', () => {
  let h: ImportHarness;
  let expected: Expected;
  let first: ImportResult;

  beforeAll(async () => {
    h = await importHarness();
    expected = await expectedFromRawFiles();
    first = await h.imports.run({ file: DETAIL, eventsFile: ACTIVITY });
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('agrees with SOURCE.md and with the plain computation over the raw files', async () => {
    // SOURCE.md: 46,606 incidents + 203 all-empty rows; Resolved Time empty for 1,780;
    // Reopen Time set for 2,284; 9 rows Work in progress.
    expect(expected.missingReassignments).toEqual(['IM0024778']);
    // Most incidents are assigned somewhere in the log; none was before the group was mapped.
    expect(expected.assigned).toBeGreaterThan(expected.incidents / 2);
    expect(expected).toMatchObject({ incidents: 46_606, emptyRows: 203, resolved: 46_606 - 1_780, reopened: 2_284, workInProgress: 9 });
    expect(first).toMatchObject({ source: 'bpi2014', format: 'bpi2014', rowsRead: 46_606, inserted: 46_606, rejected: 0 });

    const [stored] = await h.sql<Record<string, number>>(`
      select count(*)::int as incidents,
             count(restored_at)::int as resolved,
             count(*) filter (where reopen_count > 0)::int as reopened,
             count(*) filter (where status = 'Work in progress')::int as "workInProgress",
             sum(reassignment_count)::int as reassignments,
             count(acknowledged_at)::int as acknowledged,
             sum(extract(epoch from acknowledged_at))::float8 as "ackEpochSum",
             count(assignment_group)::int as assigned
        from incident`);
    expect(stored).toEqual({
      incidents: expected.incidents,
      resolved: expected.resolved,
      reopened: expected.reopenedAny,
      workInProgress: expected.workInProgress,
      reassignments: expected.reassignments,
      acknowledged: expected.acknowledged,
      ackEpochSum: expected.ackEpochSum,
      assigned: expected.assigned,
    });

    const impacts = await h.sql<{ impact: number; n: number }>(`select impact, count(*)::int as n from incident group by 1 order by 1`);
    expect(Object.fromEntries(impacts.map((r) => [r.impact, r.n]))).toEqual(expected.impact);
    const priorities = await h.sql<{ priority: number; n: number }>(`select priority, count(*)::int as n from incident group by 1 order by 1`);
    expect(Object.fromEntries(priorities.map((r) => [r.priority, r.n]))).toEqual(expected.priority);
  });

  it('dropped the stray BOMs: no stored id or event carries one', async () => {
    const [n] = await h.sql<{ ids: number; events: number }>(`
      select (select count(*)::int from incident where external_id like '%' || chr(65279) || '%') as ids,
             (select count(*)::int from incident_event where external_id like '%' || chr(65279) || '%') as events`);
    expect(n).toEqual({ ids: 0, events: 0 });
    const [disorder] = await h.sql<{ n: number }>(`
      select count(*)::int as n from incident_event a
        join incident_event b on b.source_id = a.source_id and b.external_id = a.external_id and b.seq = a.seq + 1
       where b.at < a.at`);
    expect(disorder.n).toBe(0);
  });

  it('changes nothing when imported again', async () => {
    const again = await h.imports.run({ file: DETAIL, eventsFile: ACTIVITY });
    expect(again).toMatchObject({ rowsRead: 46_606, inserted: 0, updated: 0, unchanged: 46_606, rejected: 0 });
  }, 120_000);
});
