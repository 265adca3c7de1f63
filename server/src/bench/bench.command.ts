/** `npm run bench`: placeholder until the benchmark lands. */
export async function runBench(_args: string[]): Promise<number> {
  return 1;
}
