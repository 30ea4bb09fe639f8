// `npm start`, run by plain Node (not inside Electron): find the Electron binary, build, launch. The
// electron package downloads its binary lazily and `require('electron')` would try that with a stack trace
// on failure, so its path resolution is repeated here without the side effect, one download is tried
// (bounded), and if there is still no binary the user gets one sentence pointing at the browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NO_ELECTRON_MESSAGE =
  'Davlens cannot open the desktop app here because the Electron binary is not installed and could not be downloaded; run `npm run web` to use Davlens in your browser instead.';

const DOWNLOAD_TIMEOUT_MS = 120_000;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The electron package's own resolution (node_modules/electron/index.js), minus its download. */
export function electronBinary(electronDir: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const pathFile = join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const overridden = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(overridden) ? overridden : null;
  }
  if (!relative) return null;
  const full = join(electronDir, 'dist', relative);
  return existsSync(full) ? full : null;
}

function electronPackageDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The binary, downloading it once if the package allows; null if it cannot be had. */
function obtainElectron(): string | null {
  const dir = electronPackageDir();
  if (!dir) return null;
  const found = electronBinary(dir);
  if (found) return found;
  const installer = join(dir, 'install.js');
  if (!existsSync(installer)) return null;
  // Its output is a stack trace on failure: keep it for nobody; success is visible as a found binary.
  spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: DOWNLOAD_TIMEOUT_MS });
  return electronBinary(dir);
}

function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
  return result.status ?? 1;
}

function main(): void {
  const binary = obtainElectron();
  if (!binary) {
    console.error(NO_ELECTRON_MESSAGE);
    process.exit(1);
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  for (const script of ['build:renderer', 'build:main']) {
    const code = run(npm, ['run', '--silent', script]);
    if (code !== 0) process.exit(code);
  }
  const child = spawn(binary, [join(root, 'out', 'main', 'index.mjs'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
