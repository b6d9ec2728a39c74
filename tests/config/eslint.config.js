// @ts-check
/**
 * Lint rules for the whole repo: typescript-eslint's recommended set, eslint-plugin-astro for .astro
 * files, and import boundaries that keep the architecture honest:
 * - `node:*` only in Node host folders (src/mock/node, src/lab/grade, src/cli, src/node) and tests;
 *   everything else must run in a browser or a worker.
 * - `@webcontainer/api` only in its engine (src/lab/engines/webcontainer), so its weight and its
 *   cross-origin-isolation needs stay opt-in.
 */
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import astro from 'eslint-plugin-astro';
import globals from 'globals';

const nodeImports = {
  group: ['node:*'],
  message:
    'node:* is only allowed in Node host folders (src/mock/node, src/lab/grade, src/cli, src/node) and tests; this code must also run in the browser.',
};
const webcontainerImports = {
  group: ['@webcontainer/api', '@webcontainer/api/*'],
  message: '@webcontainer/api is only allowed in src/lab/engines/webcontainer/.',
};

const NODE_HOSTS = [
  'src/mock/node/**',
  'src/lab/grade/**',
  'src/cli/**',
  'src/node/**',
  // Lesson 8 teaches Node servers: its samples are Node hosts by design.
  'content/samples/08-production/**',
];
const TESTS = ['tests/**', '**/*.test.ts', '**/*.test.tsx'];
const WEBCONTAINER = ['src/lab/engines/webcontainer/**'];

export default defineConfig(
  {
    ignores: [
      'dist/**',
      '.astro/**',
      'node_modules/**',
      'bench/**',
      'tests/.tmp/**',
      'test-results/**',
      'playwright-report/**',
      'public/vendor/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { patterns: [nodeImports, webcontainerImports] }],
    },
  },
  // Node hosts and tests may use node:* (but not the WebContainer API).
  {
    files: [...NODE_HOSTS, ...TESTS, 'astro.config.mjs'],
    rules: { 'no-restricted-imports': ['error', { patterns: [webcontainerImports] }] },
  },
  // Starters are unfinished on purpose: a `let` the learner will grow is not yet reassigned. Learners see
  // these files, so they carry no eslint-disable comments.
  {
    files: ['labs/*/starter.ts'],
    rules: { 'prefer-const': 'off' },
  },
  // The WebContainer engine may use its API (but not node:*).
  {
    files: WEBCONTAINER,
    rules: { 'no-restricted-imports': ['error', { patterns: [nodeImports] }] },
  },
);
