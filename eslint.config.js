// Lint, including the layer rule: shared <- engine <- hosts; renderer <- shared only.
// The folder tells the layer (as in VS Code's common/browser/node/electron-main):
//   shared/            plain TypeScript: no Node, no DOM, no electron, imports only shared/
//   electron/ (engine) Node: never 'electron', never renderer/
//   electron/main/     the Electron host: the only place 'electron' may be imported
//   renderer/          DOM + React: never Node, never electron, never the engine
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'http',
  'https',
  'net',
  'tls',
  'dns',
  'crypto',
  'child_process',
  'url',
  'util',
  'stream',
  'zlib',
  'worker_threads',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'release/', 'test-results/', '.tmp/'] },
  ...tseslint.configs.recommended,
  {
    // Type-aware rules: the type checker sees what a plain lint cannot (a promise nobody awaits, an async
    // function where a callback's return value is ignored).
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Production code states its types: a double cast through unknown hides a mismatch instead of fixing it.
    files: ['electron/**/*.{ts,tsx}', 'shared/**/*.{ts,tsx}', 'renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'TSAsExpression > TSAsExpression[typeAnnotation.type="TSUnknownKeyword"]', message: 'No `as unknown as` in production code.' },
      ],
    },
  },
  {
    files: ['shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'shared/ runs everywhere: no Node built-ins.' },
            { group: ['electron', 'electron/*'], message: 'shared/ must not import electron.' },
            { group: ['**/electron/**', '**/renderer/**', 'react', 'react-dom', 'undici'], message: 'shared/ imports only shared/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.{ts,tsx}'],
    ignores: ['electron/main/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: "The engine never imports 'electron': only electron/main/ may." },
            { group: ['**/renderer/**', 'react', 'react-dom'], message: 'The engine never imports the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    // The build config runs in Node at build time; it is not renderer code.
    ignores: ['renderer/**/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'The renderer is sandboxed: no Node built-ins.' },
            { group: ['electron', 'electron/*', '**/electron/**'], message: 'The renderer talks to the API contract in shared/ only.' },
          ],
        },
      ],
    },
  },
);
