import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bindParameters,
  compileNamedParameters,
  SqlFiles,
} from '../../../server/src/database/sql-file';

describe('compileNamedParameters', () => {
  it('numbers each name once, in order of first use', () => {
    const compiled = compileNamedParameters('select :b, :a, :b::int');
    expect(compiled).toEqual({ text: 'select $1, $2, $1::int', names: ['b', 'a'] });
  });

  it('leaves casts, strings, quoted identifiers and comments alone', () => {
    const sql = `select ':not' as "x:y", e'it''s :no', now()::date -- :comment\n/* :block */ , :yes`;
    const compiled = compileNamedParameters(sql);
    expect(compiled.names).toEqual(['yes']);
    expect(compiled.text).toBe(
      `select ':not' as "x:y", e'it''s :no', now()::date -- :comment\n/* :block */ , $1`,
    );
  });

  it('does not take a time literal or an array slice for a parameter', () => {
    expect(compileNamedParameters(`select '10:30'::time, a[1:2]`).names).toEqual([]);
  });
});

describe('SqlFiles', () => {
  let root: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sql-files-'));
    fs.mkdirSync(path.join(root, 'parts'));
    fs.writeFileSync(path.join(root, 'parts', 'one.sql'), 'select :x as v');
    fs.writeFileSync(path.join(root, 'parts', 'two.sql'), 'select :y as v');
    fs.writeFileSync(
      path.join(root, 'main.sql'),
      'with a as (\n  -- @include parts/{part}.sql\n)\nselect v, :x from a',
    );
    fs.writeFileSync(path.join(root, 'loop.sql'), '-- @include loop.sql');
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('inlines includes with their slot filled, then numbers the parameters', () => {
    const files = new SqlFiles(root);
    const one = files.get('main.sql', { part: 'one' });
    expect(one.text).toBe('with a as (\nselect $1 as v\n)\nselect v, $1 from a');
    expect(one.names).toEqual(['x']);
    const two = files.get('main.sql', { part: 'two' });
    expect(two.names).toEqual(['y', 'x']);
  });

  it('reads a file once', () => {
    const files = new SqlFiles(root);
    const first = files.get('parts/one.sql');
    fs.writeFileSync(path.join(root, 'parts', 'one.sql'), 'select 2');
    expect(files.get('parts/one.sql')).toBe(first);
    fs.writeFileSync(path.join(root, 'parts', 'one.sql'), 'select :x as v');
  });

  it('refuses a missing slot, a cycle and a path outside the root', () => {
    const files = new SqlFiles(root);
    expect(() => files.get('main.sql')).toThrow(/slot \{part\}/);
    expect(() => files.get('loop.sql')).toThrow(/cycle/);
    expect(() => files.get('main.sql', { part: '../../etc/passwd' })).toThrow(/outside/);
  });

  it('binds values by name and refuses a missing one', () => {
    const compiled = compileNamedParameters('select :a, :b');
    expect(bindParameters({ name: 't', ...compiled }, { b: 2, a: null })).toEqual([null, 2]);
    expect(() => bindParameters({ name: 't', ...compiled }, { a: 1 })).toThrow(/:b not given/);
  });
});
