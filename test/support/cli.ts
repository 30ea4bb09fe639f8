// Runs the real `davlens` command line (bin/davlens on node@24) as users and scripts do, in the scratch home:
// a run that names no profile (--profile, DAVLENS_PROFILE) gets a fresh one of its own.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { scratchHomeEnv, scratchProfile } from './scratch.ts';

const BIN = resolve(import.meta.dirname, '../../bin/davlens');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when --json was given. */
  json: unknown;
  /** Peak resident memory of the run in MB, when measured (runCliMeasured). */
  maxRssMb?: number;
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, input?: string): Promise<CliRun> {
  return run(BIN, args, env, input);
}

/** runCli under GNU time (Debian package `time`), which reports the run's peak resident memory. */
export async function runCliMeasured(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const r = await run('/usr/bin/time', ['-f', 'davlens-max-rss-kb=%M', BIN, ...args], env, undefined, args);
  const kb = /davlens-max-rss-kb=(\d+)\n?$/.exec(r.stderr);
  return { ...r, stderr: kb ? r.stderr.slice(0, kb.index) : r.stderr, ...(kb ? { maxRssMb: Math.round(Number(kb[1]) / 1024) } : {}) };
}

function run(file: string, argv: string[], env: Record<string, string | undefined>, input?: string, args = argv): Promise<CliRun> {
  return new Promise((done) => {
    const profile = args.includes('--profile') || env.DAVLENS_PROFILE !== undefined ? {} : { DAVLENS_PROFILE: scratchProfile() };
    const childEnv = { ...process.env, ...scratchHomeEnv(), ...profile, ...env };
    const child = execFile(file, argv, { env: childEnv, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      let json: unknown = null;
      if (args.includes('--json')) {
        try {
          json = JSON.parse(stdout);
        } catch {
          json = null;
        }
      }
      done({ code, stdout, stderr, json });
    });
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}
