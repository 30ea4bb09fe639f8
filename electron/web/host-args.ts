// Options both hosts take (`npm run web -- ...`, `npm start -- ...`). Electron-free: the desktop main
// process parses its argv with this too. Unknown flags are an error for the browser host; the desktop host
// ignores them (Chromium adds switches of its own).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { profileDir, type ServiceOptions } from '../engine/index.ts';

export const HOST_USAGE = `Options:
  --profile DIR     profile directory (default: the per-user Davlens profile)
  --dns HOST:PORT   DNS server for discovery (split-horizon setups, tests)
  --ca FILE         extra CA certificates (PEM) to trust
  --port N          browser mode: port on 127.0.0.1 (default: a free port)
  --renderer DIR    browser mode: the built UI (default: dist/renderer)`;

export class HostUsageError extends Error {}

export interface HostArgs {
  profile: string;
  dns?: string;
  ca?: string;
  port?: number;
  rendererDir?: string;
  help: boolean;
}

export function parseHostArgs(argv: string[], opts: { strict: boolean } = { strict: true }): HostArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: opts.strict,
      allowPositionals: !opts.strict,
      options: {
        profile: { type: 'string' },
        dns: { type: 'string' },
        ca: { type: 'string' },
        port: { type: 'string' },
        renderer: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    throw new HostUsageError((e as Error).message);
  }
  const str = (k: string) => (typeof values[k] === 'string' ? values[k] : undefined);
  const dns = str('dns');
  if (dns !== undefined && !/^(\[[0-9a-f:]+\]|[\w.-]+)(:\d+)?$/i.test(dns)) throw new HostUsageError(`--dns takes HOST:PORT, not "${dns}".`);
  const portText = str('port');
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) throw new HostUsageError(`--port takes a number from 0 to 65535, not "${portText}".`);
  }
  let ca: string | undefined;
  const caFile = str('ca');
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (e) {
      throw new HostUsageError(`--ca ${caFile}: ${(e as Error).message}`);
    }
  }
  return { profile: profileDir(str('profile')), dns, ca, port, rendererDir: str('renderer'), help: values.help === true };
}

/** ServiceOptions without the vault, which each host supplies. */
export function serviceOptions(args: HostArgs): Omit<ServiceOptions, 'vault'> {
  return { profileDir: args.profile, ...(args.dns ? { dns: args.dns } : {}), ...(args.ca ? { ca: args.ca } : {}) };
}
