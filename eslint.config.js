// Flat config: typescript-eslint's recommended rules, plus the layering rules of ARCHITECTURE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'coverage', 'tests/artifacts', 'bench/data'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Scripts, the bench and the engine run on Node; the renderer's own globals come from its config below.
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // shared/ is the contract: pure code, imports nothing outside itself (no Node, no DOM, no engine).
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'fs',
            'path',
            'os',
            'electron',
            '../electron/*',
            '../../electron/*',
            '../renderer/*',
            '../../renderer/*',
          ],
        },
      ],
    },
  },
  {
    // The engine runs in plain Node (CLI, serve, workers): it must never import electron.
    files: ['electron/engine/**/*.ts', 'electron/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
);
