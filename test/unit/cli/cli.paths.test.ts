import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { userPath } from '../../../server/src/cli/cli.paths';

describe('userPath: a path of the command line, from where the user typed the command', () => {
  const root = path.resolve('/srv/app'); // the package root, where npm runs the command
  const home = path.resolve('/home/ana/exports'); // where the user typed npm run import

  it('resolves a relative path from INIT_CWD, which npm sets to the directory npm was run in', () => {
    expect(userPath('incidents.csv', { INIT_CWD: home }, root)).toBe(path.join(home, 'incidents.csv'));
    expect(userPath('../old/x.csv.gz', { INIT_CWD: home }, root)).toBe(path.resolve('/home/ana/old/x.csv.gz'));
  });

  it('resolves from the working directory without npm (INIT_CWD unset or empty)', () => {
    expect(userPath('incidents.csv', {}, root)).toBe(path.join(root, 'incidents.csv'));
    expect(userPath('incidents.csv', { INIT_CWD: '' }, root)).toBe(path.join(root, 'incidents.csv'));
  });

  it('leaves an absolute path as it is', () => {
    const absolute = path.resolve('/data/incidents.csv');
    expect(userPath(absolute, { INIT_CWD: home }, root)).toBe(absolute);
  });
});

describe('DATA_DIR: read from where the command was typed, as the CLI paths are', () => {
  it('resolves a relative DATA_DIR from INIT_CWD, and defaults to .data in the working directory', async () => {
    const { loadConfig } = await import('../../../server/src/config/app.config');
    const home = path.resolve('/home/ana/work');
    // DATA_DIR=store, typed in /home/ana/work: /home/ana/work/store, whatever npm's working directory.
    expect(loadConfig({ DATA_DIR: 'store', INIT_CWD: home }).dataDir).toBe(path.join(home, 'store'));
    const absolute = path.resolve('/var/lib/incidents');
    expect(loadConfig({ DATA_DIR: absolute, INIT_CWD: home }).dataDir).toBe(absolute);
    // Unset: the working directory's .data (the package's root under npm), as before.
    expect(loadConfig({ INIT_CWD: home }).dataDir).toBe(path.join(process.cwd(), '.data'));
  });
});
