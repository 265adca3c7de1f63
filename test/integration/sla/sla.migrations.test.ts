import * as path from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../server/src/database/migrations';
import { PolicyDto } from '../../../server/src/sla/sla.dto';
import { createTestDatabase, TestDatabase } from '../../support/db';
import { connect } from '../../support/factories';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe('sql/065', () => {
  it('clears the working hours stored on 24x7 calendars, and leaves weekly calendars as they are', async () => {
    const client = await connect(db.url);
    try {
      const monday = { mon: [['09:00', '17:00']] };
      await client.query(
        `insert into sla_calendar (name, timezone, kind, weekly) values
           ('round the clock, hours stored', 'UTC', '24x7', $1), ('office', 'UTC', 'weekly', $1)`,
        [JSON.stringify(monday)],
      );
      // As a database from before the migration: 065 not applied yet.
      await client.query(`delete from schema_migration where name = '065_calendar_24x7_without_hours.sql'`);
      expect(await runMigrations(db.url, path.join(__dirname, '..', '..', '..', 'sql'))).toEqual(['065_calendar_24x7_without_hours.sql']);
      const { rows } = await client.query(
        `select name, weekly, version from sla_calendar where name in ('round the clock, hours stored', 'office') order by name`,
      );
      // The 24x7 one loses its hours and keeps its version (no clock read them); the weekly one
      // keeps its Monday.
      expect(rows).toEqual([
        { name: 'office', weekly: monday, version: 1 },
        { name: 'round the clock, hours stored', weekly: {}, version: 1 },
      ]);
    } finally {
      await client.end();
    }
  });
});

describe('sql/066', () => {
  it('drops blank statuses, and keeps a status in both lists as pausing only, recomputing such a policy', async () => {
    const client = await connect(db.url);
    try {
      const policies: [string, string[], string[]][] = [
        // In both: "pending " (spelt otherwise, spaces around it) is the pausing "Pending". Blanks
        // in both lists, a null among them.
        ['both', ['Pending', '', '  ', 'On Hold'], ['Resolved', 'pending ', 'Closed', '', null as unknown as string]],
        // Blanks only: no status in both.
        ['blanks', ['Pending', ' '], ['Resolved', '']],
        ['clean', ['Pending'], ['Resolved']],
      ];
      for (const [name, pause, stop] of policies) {
        await client.query('insert into sla_policy (name, pause_statuses, stop_statuses) values ($1, $2, $3)', [name, pause, stop]);
      }
      await client.query('delete from sla_recompute');
      // As a database from before the migration: 066 not applied yet.
      await client.query(`delete from schema_migration where name = '066_policy_statuses_cleaned.sql'`);
      expect(await runMigrations(db.url, path.join(__dirname, '..', '..', '..', 'sql'))).toEqual(['066_policy_statuses_cleaned.sql']);
      const { rows } = await client.query(
        `select name, pause_statuses, stop_statuses, version, exists (select from sla_recompute r where r.policy_id = p.id) as queued
           from sla_policy p where name in ('both', 'blanks', 'clean') order by name`,
      );
      expect(rows).toEqual([
        // Blanks gone, in order; version kept and nothing recomputed: no incident is in a blank status.
        { name: 'blanks', pause_statuses: ['Pending'], stop_statuses: ['Resolved'], version: 1, queued: false },
        // "pending " leaves the stop list (blanks and the null too), and "Pending" stays pausing:
        // a move to it is now a reopen, so the policy gets version 2 and is recomputed.
        { name: 'both', pause_statuses: ['Pending', 'On Hold'], stop_statuses: ['Resolved', 'Closed'], version: 2, queued: true },
        { name: 'clean', pause_statuses: ['Pending'], stop_statuses: ['Resolved'], version: 1, queued: false },
      ]);
      // What GET lists of each, sent back, now passes the checks that refused it.
      for (const row of rows) {
        const body = plainToInstance(PolicyDto, {
          name: row.name,
          targets: [{ priority: 1, responseMinutes: 10, resolutionMinutes: 60, calendarId: 1 }],
          pauseStatuses: row.pause_statuses,
          stopStatuses: row.stop_statuses,
        });
        expect(validateSync(body), row.name).toEqual([]);
      }
      // The seeded default policy (sql/030) had nothing to clean.
      const seeded = await client.query('select version from sla_policy where id = 1');
      expect(seeded.rows).toEqual([{ version: 1 }]);
    } finally {
      await client.end();
    }
  });
});
