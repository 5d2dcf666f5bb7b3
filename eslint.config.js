// Flat config: typescript-eslint's recommended rules, eslint-plugin-vue's recommended rules for the renderer's
// single-file components, plus the layering rules of ARCHITECTURE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';

export default tseslint.config(
  // tmp-bench and tmp-ch are gitignored scratch folders (Prettier skips them through .gitignore too).
  {
    ignores: [
      'node_modules',
      'out',
      'dist',
      'coverage',
      'tests/artifacts',
      'bench/data',
      'tmp-bench',
      'tmp-ch',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    // Single-file components: vue-eslint-parser reads the template, typescript-eslint parses <script lang="ts">.
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    // <script lang="ts"> is TypeScript that vue-tsc checks: switch off the core rules TypeScript already covers
    // (no-undef and the like), exactly as typescript-eslint does for .ts files.
    files: ['**/*.vue'],
    rules: tseslint.configs.eslintRecommended.rules,
  },
  {
    // Prettier owns the layout of templates; these recommended rules want a different one and would fight it.
    files: ['**/*.vue'],
    rules: {
      'vue/max-attributes-per-line': 'off', // Prettier puts attributes on one line while they fit in printWidth.
      'vue/singleline-html-element-content-newline': 'off', // Prettier keeps short content inline.
      'vue/multiline-html-element-content-newline': 'off', // Prettier decides where element content breaks.
      'vue/html-closing-bracket-newline': 'off', // Prettier hugs `>` to the content to keep whitespace exact.
      'vue/html-indent': 'off', // Prettier indents templates (and its whitespace-sensitive wrapping differs).
      'vue/html-self-closing': 'off', // Prettier writes void elements as `<input />`; the rule wants `<input>`.
      'vue/html-quotes': 'off', // Prettier picks single quotes when the value holds double quotes.
    },
  },
  {
    // Scripts, the bench and the engine run on Node; the renderer runs in the browser (Electron's renderer
    // process or a plain browser under `flumen serve`).
    ignores: ['renderer/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
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
    // The renderer reaches the engine only through shared/api.ts (IPC or WebSocket), never by importing it:
    // nothing from electron/ (engine, shells, preload) and not the `electron` module. shared/ stays allowed.
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer reaches the engine only through shared/api.ts.' },
          ],
          patterns: [
            {
              regex: '^electron/|^(\\.\\./)+electron(/|$)',
              message: 'The renderer must not import electron/ (the engine): go through shared/api.ts.',
            },
            { group: ['node:*'], message: 'The renderer runs in a browser: no Node modules.' },
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
