import tseslint from 'typescript-eslint';

// The two rules STYLE.md names as errors: a promise nobody awaits, and `any`.
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'client/**', '.data/**'] },
  {
    files: ['server/src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Tests read API answers as loosely typed JSON; `any` there is flagged but not fatal.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'warn' },
  },
);
