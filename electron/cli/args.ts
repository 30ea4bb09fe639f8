// Command-line flags shared by every command. The names are a public interface: extend, never rename.
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ConnectionOptions } from '../../shared/discovery.ts';
import { UsageError } from './password.ts';

const CONNECTION_FLAGS = {
  user: { type: 'string' },
  server: { type: 'string' },
  dns: { type: 'string' },
  ca: { type: 'string' },
  pin: { type: 'string', multiple: true },
  'trust-host': { type: 'string', multiple: true },
  'insecure-http': { type: 'boolean' },
  'password-file': { type: 'string' },
  profile: { type: 'string' },
  timeout: { type: 'string' },
  trace: { type: 'boolean' },
  'trace-bodies': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export function parseCommandLine(argv: string[], extra: ParseArgsConfig['options'] = {}): { positionals: string[]; values: FlagValues } {
  try {
    const { positionals, values } = parseArgs({ args: argv, options: { ...CONNECTION_FLAGS, ...extra }, allowPositionals: true, strict: true });
    // An empty --profile (an unset variable) must not quietly mean the user's real profile.
    if (values.profile === '') throw new UsageError('--profile needs a directory, not an empty string.');
    return { positionals, values: values as FlagValues };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

/** --pin HOST:PORT=sha256//BASE64, repeatable. */
function parsePins(pins: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pins ?? []) {
    const m = /^(\[[^\]]+\]|[^:=]+):(\d+)=(sha256\/\/[A-Za-z0-9+/=]+)$/.exec(p);
    if (!m) throw new UsageError(`--pin takes HOST:PORT=sha256//BASE64 (as curl --pinnedpubkey), not "${p}".`);
    out[`${m[1]!.replace(/^\[|\]$/g, '')}:${m[2]}`] = m[3]!;
  }
  return out;
}

export async function connectionOptions(email: string, v: FlagValues): Promise<ConnectionOptions> {
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  let ca: string | undefined;
  if (str('ca')) {
    try {
      ca = await readFile(str('ca')!, 'utf8');
    } catch (e) {
      throw new UsageError(`--ca ${str('ca')}: ${(e as Error).message}`);
    }
  }
  const dns = str('dns');
  if (dns && !/^(\[[0-9a-f:]+\]|[\w.-]+)(:\d+)?$/i.test(dns)) throw new UsageError(`--dns takes HOST:PORT, not "${dns}".`);
  const timeout = str('timeout');
  return {
    email,
    user: str('user'),
    server: str('server'),
    dns,
    ca,
    pins: parsePins(v.pin as string[] | undefined),
    trustHosts: (v['trust-host'] as string[] | undefined) ?? [],
    insecureHttp: v['insecure-http'] === true,
    traceBodies: v['trace-bodies'] === true,
    timeoutMs: timeout ? Math.max(1, Number(timeout)) * 1000 : undefined,
  };
}
