// The browser host as `npm run web` starts it (electron/web/main.ts as a process): the URL is the first
// line on stdout, --port/--profile/--dns/--ca reach the server and the engine (an account is added through
// the test DNS and CA), the page is served, and SIGTERM stops it cleanly.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHarness } from '../harness/env.ts';
import { scratchHomeEnv } from '../support/scratch.ts';

const h = loadHarness();
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'davlens-webcli-'));
const rendererDir = join(tmp, 'ui');
const children: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

function startWeb(args: string[]) {
  const child = spawn(join(root, 'node_modules', '.bin', 'node'), ['--disable-warning=ExperimentalWarning', 'electron/web/main.ts', ...args], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, ...scratchHomeEnv() },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  const firstLine = new Promise<string>((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 30_000);
    child.stdout.on('data', () => {
      const nl = stdout.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolveLine(stdout.slice(0, nl));
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  // Tests that expect an early exit never read the URL: keep that rejection from going unhandled.
  firstLine.catch(() => undefined);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, firstLine, exited, output: () => ({ stdout, stderr }) };
}

function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => r(port));
    });
  });
}

describe('npm run web (electron/web/main.ts)', () => {
  it('without a built UI it says which command builds it', async () => {
    const web = startWeb(['--renderer', rendererDir, '--profile', join(tmp, 'p0')]);
    expect(await web.exited).toBe(1);
    expect(web.output().stderr).toMatch(/npm run build:renderer/);
    expect(web.output().stderr).not.toMatch(/^\s+at /m);
  });

  it('a bad option is a usage error, not a stack trace', async () => {
    const web = startWeb(['--port', 'eighty']);
    expect(await web.exited).toBe(2);
    expect(web.output().stderr).toMatch(/--port takes a number/);
    expect(web.output().stderr).not.toMatch(/^\s+at /m);
  });

  it('prints the URL first, serves on the chosen port, passes --dns/--ca/--profile to the engine, stops on SIGTERM', async () => {
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Davlens</title>');
    const port = await freePort();
    const profile = join(tmp, 'profile');
    const web = startWeb(['--port', String(port), '--profile', profile, '--dns', h.dns, '--ca', h.caFile, '--renderer', rendererDir]);
    const line = await web.firstLine;
    const m = /^Davlens is running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43}))$/.exec(line);
    expect(m, line).not.toBeNull();
    expect(Number(m![2])).toBe(port);

    const signIn = await fetch(m![1]!, { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { Cookie: cookie } });
    expect(await page.text()).toContain('<title>Davlens</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");

    const call = (method: string, arg: unknown) =>
      fetch(`http://127.0.0.1:${port}/api/${method}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'X-Davlens': '1', 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${port}` },
        body: JSON.stringify(arg),
      }).then((r) => r.json() as Promise<{ ok: boolean; value: { status: string } }>);
    // Reaching dav.example.test at all needs the harness DNS, and its certificate needs the harness CA.
    const added = await call('addAccount', { email: h.users.bob.email, password: h.users.bob.password });
    expect(added).toMatchObject({ ok: true, value: { status: 'added' } });
    expect(existsSync(profile)).toBe(true);

    web.child.kill('SIGTERM');
    expect(await web.exited).toBe(0);
  });
});
