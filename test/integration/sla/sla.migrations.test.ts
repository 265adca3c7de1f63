import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../server/src/database/migrations';
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
