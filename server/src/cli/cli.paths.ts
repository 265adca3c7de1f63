import * as path from 'node:path';

/**
 * A path given on the command line, resolved from the directory the user typed the command in.
 * `npm run import -- FILE` runs the command in the package's root, not there, and a relative FILE
 * was looked for (or, for generate's --out, written) under the root; npm says where the user was
 * in INIT_CWD. Run without npm (node dist/server/cli/main.js), that is the working directory.
 * An absolute path stays as it is.
 */
export function userPath(given: string, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return path.resolve(env.INIT_CWD || cwd, given);
}
