// ESLint flat config: typescript-eslint's recommended rules over the whole repository.
// Formatting is Prettier's (prettier.config.js); nothing here judges layout.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['.output/', '.wxt/', 'node_modules/', 'server/console/dist/', 'data/', 'coverage/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter a signature needs but the body does not (it.each rows, listeners).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Type-only imports keep zod and the WXT storage items out of bundles that only need the types.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // TypeScript itself reports undefined names (and knows the browser globals).
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      'no-undef': 'off',
      // Chinese text uses the ideographic space (U+3000) on purpose: letter-spaced labels in comments and test data.
      'no-irregular-whitespace': ['error', { skipComments: true, skipStrings: true, skipTemplates: true }],
    },
  },
  {
    // MAIN-world hooks wrap native functions: they declare the native parameters (so the
    // wrapper's `length` matches), hand `arguments` and `this` on untouched, and type natives as Function.
    files: ['utils/guard/main-world/**'],
    rules: {
      'prefer-rest-params': 'off',
      '@typescript-eslint/no-this-alias': 'off',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Kysely's documented migration type: a migration runs against whatever schema the database has then.
    files: ['server/db/migrations.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests read JSON answers loosely in their assertions; the product code may not.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Command-line tools, benchmarks, tests and the server print to the console by design.
    files: ['scripts/**', 'bench/**', 'tests/**', 'server/**', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
);
