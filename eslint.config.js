import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ENGINES = ['src/core', 'src/promql', 'src/tsdb', 'src/alertmanager', 'src/ruler', 'src/thresholds'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'web/dist/**', 'bench/**', 'bin/**', 'scripts/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      'no-console': 'error',
    },
  },
  {
    // Engines are pure: no HTTP, no process, no storage drivers. Those come in through constructors.
    files: ENGINES.map((d) => `${d}/**/*.ts`),
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['node:http', 'node:https', 'http', 'https', 'fastify', 'better-sqlite3', 'pg', 'node:child_process', 'node:process', 'pino', 'nodemailer', 'node:net', 'node:tls', 'node:dns'],
        patterns: ['**/server/**', '**/store/**', '**/cli/**', '**/app.js'],
      }],
    },
  },
  { files: ['src/cli/**/*.ts', 'test/**/*.ts'], rules: { 'no-console': 'off' } },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      // Tests may use the in-memory store and other adapters as fixtures.
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
