// `npm start` where the Electron binary cannot be obtained (as on these machines): one sentence naming the
// browser mode, exit code 1, quickly, no stack trace. The download it tries goes to a closed loopback port
// here (ELECTRON_MIRROR), so the test sends nothing off the machine.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { electronBinary, NO_ELECTRON_MESSAGE } from '../../electron/main/start.ts';
import { scratchHomeEnv } from '../support/scratch.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'davlens-launch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(command, args, {
      cwd: root,
      env: {
        ...process.env,
        ...scratchHomeEnv(),
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        electron_config_cache: join(tmp, 'cache'),
        ELECTRON_OVERRIDE_DIST_PATH: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (code) => done({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

const installedHere = electronBinary(join(root, 'node_modules', 'electron'), { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '' }) !== null;

describe('finding the Electron binary', () => {
  const pkg = (name: string, files: Record<string, string>) => {
    const dir = join(tmp, name);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    return dir;
  };

  it('follows the package’s path.txt into dist/, and finds nothing when either is missing', () => {
    expect(electronBinary(pkg('none', { 'package.json': '{}' }), {})).toBeNull();
    expect(electronBinary(pkg('no-dist', { 'path.txt': 'electron' }), {})).toBeNull();
    const full = pkg('full', { 'path.txt': 'electron', 'dist/electron': '' });
    expect(electronBinary(full, {})).toBe(join(full, 'dist', 'electron'));
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the package does', () => {
    const dist = pkg('override', { electron: '' });
    expect(electronBinary(pkg('plain', {}), { ELECTRON_OVERRIDE_DIST_PATH: dist })).toBe(join(dist, 'electron'));
    expect(electronBinary(pkg('plain2', {}), { ELECTRON_OVERRIDE_DIST_PATH: join(tmp, 'nowhere') })).toBeNull();
  });
});

describe.skipIf(installedHere)('npm start without an Electron binary', () => {
  const node = join(root, 'node_modules', '.bin', 'node');

  it('the launcher fails fast with one sentence naming the browser mode', async () => {
    const { code, stdout, stderr, ms } = await run(node, ['--disable-warning=ExperimentalWarning', 'electron/main/start.ts']);
    expect(code).toBe(1);
    expect(stderr).toBe(`${NO_ELECTRON_MESSAGE}\n`);
    expect(stdout).toBe('');
    expect(NO_ELECTRON_MESSAGE).toContain('npm run web');
    expect(NO_ELECTRON_MESSAGE.split(/[.;] /)[0]).toMatch(/Electron/);
    expect(ms).toBeLessThan(20_000);
  });

  it('`npm start` shows that sentence, builds nothing, prints no stack trace', async () => {
    const { code, stdout, stderr } = await run('npm', ['start']);
    expect(code).not.toBe(0);
    const output = stdout + stderr;
    expect(output.split(NO_ELECTRON_MESSAGE)).toHaveLength(2);
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toMatch(/vite|build:renderer|TypeError|fetch failed/);
  });
});
