// The peer libraries' side of the corpus checks (test/unit/peers-*.test.ts): the fixture files, and a Python
// script of test/peers/ run over them on Debian's /usr/bin/python3 (python3 on PATH may be another build).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const PYTHON = '/usr/bin/python3';

/** Every file under test/fixtures ending in `ext`, as a path relative to it, sorted. */
export function fixtureFiles(ext: string, dir = FIXTURES): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? fixtureFiles(ext, join(dir, e.name)) : e.name.endsWith(ext) ? [relative(FIXTURES, join(dir, e.name))] : []))
    .sort();
}

/** Whether Debian's Python has the module (a package or a single file in dist-packages). */
export function havePythonModule(name: string): boolean {
  const base = `/usr/lib/python3/dist-packages/${name}`;
  return existsSync(PYTHON) && (existsSync(base) || existsSync(`${base}.py`));
}

/**
 * Runs test/peers/SCRIPT with `args` and then every fixture file; the script prints one JSON object per file
 * ({ file, ... }). Returns them by fixture path.
 */
export function runPeer<T>(script: string, files: string[], args: string[] = []): Map<string, T & { error?: string }> {
  const out = execFileSync(PYTHON, [join(import.meta.dirname, '..', 'peers', script), ...args, ...files.map((f) => join(FIXTURES, f))], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' },
    // vobject logs each line it skips to stderr: the skipped cards show in the comparison.
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const byFile = new Map<string, T & { error?: string }>();
  for (const line of out.trim().split('\n')) {
    const r = JSON.parse(line) as T & { file: string; error?: string };
    byFile.set(relative(FIXTURES, r.file), r);
  }
  return byFile;
}
