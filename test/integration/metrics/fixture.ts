import type { Queryable } from '../../support/factories';
import { connect, insertEvent, insertIncidents, insertSlaEvaluation } from '../../support/factories';
import { RunningApp, startApp } from '../../support/app';

/**
 * A dozen incidents with round numbers in source 'alpha' (plus one in 'beta'), worked through by
 * hand in the tests. All times UTC. The report window of most tests is March 2026 in UTC:
 * [2026-03-01T00:00Z, 2026-04-01T00:00Z); the previous window is February 2026.
 *
 *  id   opened        ack           restored      TTR    TTA   prio cat          group rc ro
 *  A1   03-02 00:00   03-02 01:00   03-02 02:00    2 h   1 h   1    network      G1    0  0
 *  A2   03-03 00:00   03-03 02:00   03-03 04:00    4 h   2 h   2    network      G1    1  0
 *  A3   03-04 00:00   03-04 00:30   03-04 06:00    6 h  .5 h   2    application  G2    0  0
 *  A4   03-05 00:00   -             03-05 08:00    8 h   -     3    application  G2    0  1  (first restored 03:00)
 *  A5   03-06 00:00   03-06 04:00   03-06 10:00   10 h   4 h   3    -            G1    2  1
 *  A6   03-10 00:00   03-10 01:00   03-11 00:00   24 h   1 h   4    storage      G2    0  0
 *  A7   03-12 00:00   03-12 02:00   03-11 12:00  -12 h   2 h   3    network      G1    0  0  (restored before opened)
 *  A8   03-20 00:00   03-20 03:00   -               -    3 h   2    network      G1    0  0
 *  A9   03-31 12:00   -             -               -    -     1    application  G2    0  0
 *  A10  02-27 00:00   02-27 06:00   03-01 00:00   48 h   6 h   5    storage      G2    0  0  (restored at `from`)
 *  A11  03-25 00:00   03-25 06:00   04-01 00:00  168 h   6 h   3    application  G1    0  0  (restored at `to`)
 *  A12  01-10 00:00   -             -               -    -     4    -            -     0  0
 *  A13  02-10 00:00   02-10 01:00   02-10 05:00    5 h   1 h   3    network      G1    0  0
 *  Z1 (source beta) 03-15 00:00, restored 03-15 01:00 (1 h), prio 3, network, G1.
 *
 * Resolution evaluations (stopped_at, status, incident.source_sla_met):
 *   A1 03-02 02:00 met (source true), A2 03-03 04:00 met (source false), A3 03-04 06:00 breached
 *   (source false), A4 03-05 08:00 breached (no source verdict), A6 03-11 00:00 met (none),
 *   A8 running (not stopped), A11 04-01 00:00 met (at `to`), A13 02-10 05:00 met.
 *   A5 has source_sla_met true but no evaluation.
 * Response evaluations: A1 03-02 01:00 met, A2 03-03 02:00 breached, A3 03-04 00:30 met,
 *   A8 03-20 03:00 met, A9 running.
 */
export async function insertFixture(db: Queryable): Promise<void> {
  const at = (s: string) => `2026-${s.replace(' ', 'T')}:00Z`;
  await insertIncidents(db, [
    {
      source: 'alpha',
      externalId: 'A1',
      openedAt: at('03-02 00:00'),
      acknowledgedAt: at('03-02 01:00'),
      restoredAt: at('03-02 02:00'),
      priority: 1,
      category: 'network',
      assignmentGroup: 'G1',
      sourceSlaMet: true,
      status: 'Closed',
    },
    {
      source: 'alpha',
      externalId: 'A2',
      openedAt: at('03-03 00:00'),
      acknowledgedAt: at('03-03 02:00'),
      restoredAt: at('03-03 04:00'),
      priority: 2,
      category: 'network',
      assignmentGroup: 'G1',
      reassignmentCount: 1,
      sourceSlaMet: false,
    },
    {
      source: 'alpha',
      externalId: 'A3',
      openedAt: at('03-04 00:00'),
      acknowledgedAt: at('03-04 00:30'),
      restoredAt: at('03-04 06:00'),
      priority: 2,
      category: 'application',
      assignmentGroup: 'G2',
      sourceSlaMet: false,
    },
    {
      source: 'alpha',
      externalId: 'A4',
      openedAt: at('03-05 00:00'),
      restoredAt: at('03-05 08:00'),
      priority: 3,
      category: 'application',
      assignmentGroup: 'G2',
      reopenCount: 1,
    },
    {
      source: 'alpha',
      externalId: 'A5',
      openedAt: at('03-06 00:00'),
      acknowledgedAt: at('03-06 04:00'),
      restoredAt: at('03-06 10:00'),
      priority: 3,
      category: null,
      assignmentGroup: 'G1',
      reassignmentCount: 2,
      reopenCount: 1,
      sourceSlaMet: true,
    },
    {
      source: 'alpha',
      externalId: 'A6',
      openedAt: at('03-10 00:00'),
      acknowledgedAt: at('03-10 01:00'),
      restoredAt: at('03-11 00:00'),
      priority: 4,
      category: 'storage',
      assignmentGroup: 'G2',
    },
    {
      source: 'alpha',
      externalId: 'A7',
      openedAt: at('03-12 00:00'),
      acknowledgedAt: at('03-12 02:00'),
      restoredAt: at('03-11 12:00'),
      priority: 3,
      category: 'network',
      assignmentGroup: 'G1',
    },
    {
      source: 'alpha',
      externalId: 'A8',
      openedAt: at('03-20 00:00'),
      acknowledgedAt: at('03-20 03:00'),
      priority: 2,
      category: 'network',
      assignmentGroup: 'G1',
    },
    {
      source: 'alpha',
      externalId: 'A9',
      openedAt: at('03-31 12:00'),
      priority: 1,
      category: 'application',
      assignmentGroup: 'G2',
    },
    {
      source: 'alpha',
      externalId: 'A10',
      openedAt: at('02-27 00:00'),
      acknowledgedAt: at('02-27 06:00'),
      restoredAt: at('03-01 00:00'),
      priority: 5,
      category: 'storage',
      assignmentGroup: 'G2',
    },
    {
      source: 'alpha',
      externalId: 'A11',
      openedAt: at('03-25 00:00'),
      acknowledgedAt: at('03-25 06:00'),
      restoredAt: at('04-01 00:00'),
      priority: 3,
      category: 'application',
      assignmentGroup: 'G1',
    },
    {
      source: 'alpha',
      externalId: 'A12',
      openedAt: at('01-10 00:00'),
      priority: 4,
      category: null,
      assignmentGroup: null,
    },
    {
      source: 'alpha',
      externalId: 'A13',
      openedAt: at('02-10 00:00'),
      acknowledgedAt: at('02-10 01:00'),
      restoredAt: at('02-10 05:00'),
      priority: 3,
      category: 'network',
      assignmentGroup: 'G1',
    },
    {
      source: 'beta',
      externalId: 'Z1',
      openedAt: at('03-15 00:00'),
      restoredAt: at('03-15 01:00'),
      priority: 3,
      category: 'network',
      assignmentGroup: 'G1',
    },
  ]);

  // A4's history: restored, reopened, restored again; inserted out of order on purpose.
  await insertEvent(db, {
    source: 'alpha',
    externalId: 'A4',
    seq: 3,
    at: at('03-05 08:00'),
    kind: 'status',
    from: 'Active',
    to: 'Resolved',
  });
  await insertEvent(db, {
    source: 'alpha',
    externalId: 'A4',
    seq: 1,
    at: at('03-05 03:00'),
    kind: 'status',
    from: 'New',
    to: 'Resolved',
  });
  await insertEvent(db, {
    source: 'alpha',
    externalId: 'A4',
    seq: 2,
    at: at('03-05 04:00'),
    kind: 'status',
    from: 'Resolved',
    to: 'Active',
  });

  const resolution = (
    externalId: string,
    status: 'met' | 'breached' | 'running',
    stoppedAt: string | null,
  ) =>
    insertSlaEvaluation(db, {
      source: 'alpha',
      externalId,
      kind: 'resolution',
      status,
      startedAt: at('01-01 00:00'),
      stoppedAt: stoppedAt && at(stoppedAt),
      targetMinutes: 240,
    });
  await resolution('A2', 'met', '03-03 04:00');
  await resolution('A3', 'breached', '03-04 06:00');
  await resolution('A4', 'breached', '03-05 08:00');
  await resolution('A6', 'met', '03-11 00:00');
  await resolution('A8', 'running', null);
  await resolution('A11', 'met', '04-01 00:00');
  await resolution('A13', 'met', '02-10 05:00');
  // A1's resolution evaluation carries a calendar zone, for the incident detail.
  await insertSlaEvaluation(db, {
    source: 'alpha',
    externalId: 'A1',
    kind: 'resolution',
    status: 'met',
    policyId: 7,
    priority: 1,
    startedAt: at('03-02 00:00'),
    stoppedAt: at('03-02 02:00'),
    targetMinutes: 240,
    elapsedMinutes: 120,
    pausedMinutes: 0,
    dueAt: at('03-02 04:00'),
    timezone: 'Europe/Berlin',
  });

  const response = (
    externalId: string,
    status: 'met' | 'breached' | 'running',
    stoppedAt: string | null,
  ) =>
    insertSlaEvaluation(db, {
      source: 'alpha',
      externalId,
      kind: 'response',
      status,
      startedAt: at('01-01 00:00'),
      stoppedAt: stoppedAt && at(stoppedAt),
      targetMinutes: 60,
    });
  await response('A1', 'met', '03-02 01:00');
  await response('A2', 'breached', '03-03 02:00');
  await response('A3', 'met', '03-04 00:30');
  await response('A8', 'met', '03-20 03:00');
  await response('A9', 'running', null);
}

/** The app on a fresh database holding this fixture. */
export async function startAppWithFixture(): Promise<RunningApp> {
  const t = await startApp();
  const client = await connect(t.db.url);
  await insertFixture(client);
  await client.end();
  return t;
}
