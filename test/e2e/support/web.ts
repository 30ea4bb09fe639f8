// Starts `npm run web` for a test (a fresh profile, the harness DNS and CA when given) and stops it by its
// own process group id. The first stdout line names the URL with the one-time token.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scratchHomeEnv } from '../../support/scratch.ts';

export interface WebHost {
  url: string;
  origin: string;
  profile: string;
  output(): string;
  stop(): Promise<void>;
}

export interface WebOptions {
  dns?: string;
  /** PEM file of extra trusted CAs; leave it out to see an untrusted certificate in the UI. */
  ca?: string;
  profile?: string;
  timeoutMs?: number;
}

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

export async function startWeb(opts: WebOptions = {}): Promise<WebHost> {
  const profile = opts.profile ?? mkdtempSync(join(tmpdir(), 'davlens-e2e-profile-'));
  const args = ['run', 'web', '--', '--profile', profile];
  if (opts.dns) args.push('--dns', opts.dns);
  if (opts.ca) args.push('--ca', opts.ca);
  // The host as a user runs it: without the test runner's NODE_ENV=test (which would build a development UI).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV' && !k.startsWith('VITEST')));
  const child: ChildProcess = spawn('npm', args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, ...scratchHomeEnv(), NO_COLOR: '1' },
  });
  let out = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => (out += d));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run web did not print its URL in time:\n${out}`)), opts.timeoutMs ?? 60_000);
    child.stdout?.on('data', (d: string) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run web exited (${code}) before printing its URL:\n${out}`));
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
    if (!opts.profile) rmSync(profile, { recursive: true, force: true });
  };
  return { url, origin: new URL(url).origin, profile, output: () => out, stop };
}
