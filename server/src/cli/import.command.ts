/** `npm run import -- FILE ...`: filled in by the imports feature. */
export async function runImport(_args: string[]): Promise<number> {
  process.stderr.write('import is not available yet\n');
  return 1;
}
