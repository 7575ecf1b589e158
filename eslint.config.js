// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'reports/**', 'coverage/**', 'bench/results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.test.json', './packages/*/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['packages/*/test/**/*.ts', 'bench/**/*.ts', 'bench/**/*.js', 'vitest.config.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      'no-console': 'off',
    },
  },
  // Layer boundaries (design.md): data flows CLI -> sync -> client -> HTTP -> emulator, nothing reaches back up.
  {
    files: ['packages/client/src/**/*.ts'],
    rules: restrict(['@umapi-kit/*'], 'The client depends on nothing of this project (design.md).'),
  },
  {
    files: ['packages/emulator/**/*.ts'],
    rules: restrict(
      ['@umapi-kit/*'],
      'The emulator is the independent check on the client wire format: it must not import the client or other packages.',
    ),
  },
  {
    files: ['packages/sync/src/**/*.ts'],
    rules: restrict(['@umapi-kit/emulator', '@umapi-kit/cli'], 'sync may import the client only.'),
  },
  {
    files: ['packages/cli/src/**/*.ts', 'packages/cli/bin/**/*.ts'],
    rules: {
      'no-console': 'off',
    },
  },
);
