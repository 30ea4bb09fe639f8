// Lint, including the layer rules. The folder tells the layer (as in VS Code's common/browser/node/electron-main):
//   shared/              plain TypeScript: no Node, no DOM, no electron, imports only shared/
//   electron/engine/     Node, never 'electron'; in layer folders (below), reached by the hosts only through index.ts
//   electron/main/       the Electron host: the only place 'electron' may be imported
//   electron/web, cli/   the browser-mode and command-line hosts
//   renderer/            DOM + React: never Node, never electron, never the engine
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

const ENGINE_ALWAYS = [
  { group: ['electron', 'electron/*'], message: "The engine never imports 'electron': only electron/main/ may." },
  { group: ['**/renderer/**', 'react', 'react-dom'], message: 'The engine never imports the renderer.' },
];

const HOSTS_USE_INDEX = { group: ['**/engine/*/**'], message: 'Hosts import the engine only through electron/engine/index.ts.' };

// The engine's layer folders and what each may not import. Allowed, top down: app -> remote, store, formats;
// remote -> dav, net; dav -> net; store -> formats; net and formats -> shared/ only (and their npm modules).
const ENGINE_LAYERS = {
  'index.ts': {
    forbid: ['**/net/**', '**/dav/**', '**/remote/**', '**/formats/**'],
    message: 'index.ts exposes app/ (and the profile helpers of store/) only.',
  },
  app: {
    forbid: ['**/net/**', '**/dav/**', 'undici', 'saxes', 'ical.js'],
    message: 'app/ reaches servers through remote/ and text through formats/: no net/, dav/, undici, saxes or ical.js.',
  },
  remote: {
    forbid: ['**/app/**', '**/store/**', '**/formats/**', 'undici', 'saxes', 'ical.js', 'node:sqlite'],
    message: 'remote/ may import dav/, net/ and shared/ only.',
  },
  dav: {
    forbid: ['**/app/**', '**/remote/**', '**/store/**', '**/formats/**', 'undici', 'ical.js', 'node:sqlite'],
    message: 'dav/ may import net/, shared/ and saxes only.',
  },
  net: {
    forbid: ['**/app/**', '**/remote/**', '**/dav/**', '**/store/**', '**/formats/**', 'saxes', 'ical.js', 'node:sqlite'],
    message: 'net/ may import shared/, Node and undici only.',
  },
  formats: {
    forbid: ['**/app/**', '**/remote/**', '**/dav/**', '**/net/**', '**/store/**', 'undici', 'saxes', ...nodeBuiltins, '!node:crypto'],
    message: 'formats/ is pure: shared/ and ical.js only (node:crypto for content hashes).',
  },
  store: {
    forbid: ['**/app/**', '**/remote/**', '**/dav/**', '**/net/**', 'undici', 'saxes', 'ical.js'],
    message: 'store/ may import formats/, shared/ and node:sqlite only: never the network.',
  },
};

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
    // Production code states its types (a double cast through unknown hides a mismatch instead of fixing it),
    // and its functions are short enough to read at once.
    files: ['electron/**/*.{ts,tsx}', 'shared/**/*.{ts,tsx}', 'renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'TSAsExpression > TSAsExpression[typeAnnotation.type="TSUnknownKeyword"]', message: 'No `as unknown as` in production code.' },
      ],
      // A function reads at once or it is split; a longer one says why in its disable comment.
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
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
  // The engine's layers: each folder lists what it may not import (npm modules included), so a newcomer can
  // tell from a path what a file may touch. The README's "Layout" section says the same in words.
  {
    files: ['electron/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ENGINE_ALWAYS }] },
  },
  ...Object.entries(ENGINE_LAYERS).map(([folder, { forbid, message }]) => ({
    files: [folder.endsWith('.ts') ? `electron/engine/${folder}` : `electron/engine/${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [...ENGINE_ALWAYS, { group: forbid, message }] }] },
  })),
  {
    // The hosts reach the engine through its one entry point.
    files: ['electron/main/**/*.ts', 'electron/web/**/*.ts', 'electron/cli/**/*.ts', 'electron/preload/**/*.ts'],
    ignores: ['electron/main/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...ENGINE_ALWAYS, HOSTS_USE_INDEX] }] },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [HOSTS_USE_INDEX] }] },
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
