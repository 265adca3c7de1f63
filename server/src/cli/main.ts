import 'reflect-metadata';

/** One entry point for the command-line tools: `import`, `generate`, `bench`. */
type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  import: async () => (await import('./import.command')).runImport,
  generate: async () => (await import('../generator/generate.command')).runGenerate,
  bench: async () => (await import('../bench/bench.command')).runBench,
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const load = name ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`usage: node dist/server/cli/main.js <${Object.keys(commands).join('|')}> [options]\n`);
    process.exit(2);
  }
  const command = await load();
  process.exitCode = await command(args);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
