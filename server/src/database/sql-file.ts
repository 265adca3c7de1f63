import * as fs from 'node:fs';
import * as path from 'node:path';

/** A SQL text with named parameters (:name) turned into PostgreSQL's positional ones ($1, $2 ..). */
export interface CompiledSql {
  /** The file it came from, relative to its root, for error messages and logs. */
  name: string;
  text: string;
  /** names[i] is bound to $(i + 1). */
  names: string[];
}

/** Parameter values by name; every name the SQL uses must be present (null is a value). */
export type SqlParams = Record<string, unknown>;

const INCLUDE = /^[ \t]*--[ \t]*@include[ \t]+(\S+)[ \t]*$/gm;

/**
 * Loads the plain SQL files under one folder, each read from disk once.
 *
 * Two things happen on load, and nothing else: a line `-- @include other.sql` is replaced by the
 * text of that file (relative to the root, so a figure's population lives in one file that several
 * queries share), and `:name` parameters become `$n` bound parameters. Casts (`::date`), string
 * literals, quoted identifiers and comments are left alone. Slots (`{population}` in an include
 * path) are filled only from the caller's fixed allow-lists, never from user input.
 */
export class SqlFiles {
  private readonly cache = new Map<string, CompiledSql>();

  constructor(private readonly root: string) {}

  /** The compiled text of `name`, with `slots` filled into its include paths. */
  get(name: string, slots: Record<string, string> = {}): CompiledSql {
    const key = `${name}?${JSON.stringify(slots)}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      compiled = { name, ...compileNamedParameters(this.expand(name, slots, [])) };
      this.cache.set(key, compiled);
    }
    return compiled;
  }

  private expand(name: string, slots: Record<string, string>, stack: string[]): string {
    const file = path.resolve(this.root, name);
    if (!file.startsWith(path.resolve(this.root) + path.sep)) {
      throw new Error(`SQL file ${name} lies outside ${this.root}`);
    }
    if (stack.includes(file))
      throw new Error(`SQL include cycle: ${[...stack, file].join(' -> ')}`);

    const text = fs.readFileSync(file, 'utf8');
    return text.replace(INCLUDE, (_line, target: string) => {
      const filled = target.replace(/\{(\w+)\}/g, (_slot, slot: string) => {
        const value = slots[slot];
        if (value === undefined) throw new Error(`SQL file ${name}: slot {${slot}} not given`);
        return value;
      });
      return this.expand(filled, slots, [...stack, file]).trimEnd();
    });
  }
}

/** Binds `params` in the order the compiled SQL expects them. */
export function bindParameters(sql: CompiledSql, params: SqlParams): unknown[] {
  return sql.names.map((name) => {
    if (!(name in params) || params[name] === undefined) {
      throw new Error(`SQL ${sql.name}: parameter :${name} not given`);
    }
    return params[name];
  });
}

/**
 * Rewrites `:name` to `$n` (the same name always gets the same number) and lists the names.
 * Skips string literals, quoted identifiers, comments and `::` casts.
 */
export function compileNamedParameters(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  let out = '';
  let i = 0;

  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];

    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === ':' && next === ':') {
      out += '::';
      i += 2;
    } else if (c === ':' && /[A-Za-z_]/.test(next ?? '')) {
      const match = /^[A-Za-z_]\w*/.exec(sql.slice(i + 1))!;
      const name = match[0];
      let index = names.indexOf(name);
      if (index === -1) index = names.push(name) - 1;
      out += `$${index + 1}`;
      i += 1 + name.length;
    } else {
      out += c;
      i += 1;
    }
  }
  return { text: out, names };
}

/** Index just past the quote that closes the one at `start` ('' and "" are escaped quotes). */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
  return sql.length;
}
