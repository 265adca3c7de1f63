import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '../../server/src/database/embedded-postgres';

/**
 * The server and an import started from another terminal share one DATA_DIR: whichever comes
 * first starts PostgreSQL, the other connects to it, and only the last one out stops it.
 */
describe('embedded PostgreSQL shared by two processes', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-embedded-'));
  fs.chmodSync(dataDir, 0o755);

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts once, keeps running while another is connected, and stops with the last one', async () => {
    const first = await openEmbeddedDatabase(dataDir, undefined);
    const second = await openEmbeddedDatabase(dataDir, undefined);
    expect(second.url).toBe(first.url);

    // The second holds no query and no pool connection, as an idle server would: it still counts.
    await first.release();
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(true);
    const other = new Client({ connectionString: second.url });
    await other.connect();
    expect((await other.query('select 1 as one')).rows[0].one).toBe(1);
    await other.end();

    await second.release();
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    // A second start finds the data again.
    const again = await openEmbeddedDatabase(dataDir, undefined);
    const client = new Client({ connectionString: again.url });
    await client.connect();
    await client.query('create table kept (x int)');
    await client.end();
    await again.release();
    const last = await openEmbeddedDatabase(dataDir, undefined);
    const check = new Client({ connectionString: last.url });
    await check.connect();
    expect((await check.query(`select to_regclass('kept') is not null as found`)).rows[0].found).toBe(true);
    await check.end();
    await last.release();
  });
});
