// DNS for discovery (SRV, TXT) and, when the user names a DNS server, for host lookups too: undici's
// connector gets `lookup` from here, so split-horizon setups and the test DNS see the whole chain.
// Every query is recorded in the trace; answers are cached per operation so nothing is asked twice.
import { Resolver } from 'node:dns/promises';
import type { LookupAddress, LookupOneOptions, LookupAllOptions } from 'node:dns';
import type { Step } from '../../../shared/errors.ts';
import type { SrvRecord } from './srv.ts';
import type { Trace } from './trace.ts';

export type DnsAnswer<T> = { ok: true; value: T } | { ok: false; code: string };

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export class Dns {
  private readonly resolver: Resolver;
  private readonly serverLabel: string;
  private readonly usesCustomServer: boolean;
  private readonly trace: Trace;
  private readonly cache = new Map<string, Promise<DnsAnswer<unknown>>>();

  /** `server` is "host:port" (IPv6 as "[::1]:53"), or null for the machine's resolver. */
  constructor(server: string | null, trace: Trace) {
    this.resolver = new Resolver({ timeout: 3000, tries: 2 });
    if (server) this.resolver.setServers([server]);
    this.serverLabel = server ?? 'system';
    this.usesCustomServer = server !== null;
    this.trace = trace;
  }

  get customServer(): boolean {
    return this.usesCustomServer;
  }

  srv(name: string, step: Step): Promise<DnsAnswer<SrvRecord[]>> {
    return this.query(
      'SRV',
      name,
      step,
      () => this.resolver.resolveSrv(name),
      (r) => r.map((x) => `${x.priority} ${x.weight} ${x.port} ${x.name || '.'}`),
    );
  }

  txt(name: string, step: Step): Promise<DnsAnswer<string[]>> {
    // A TXT record may be split into several character-strings; RFC 6763 key=value pairs are per string,
    // but RFC 6764 servers put one pair per record, and a split pair is joined back.
    return this.query(
      'TXT',
      name,
      step,
      async () => (await this.resolver.resolveTxt(name)).map((chunks) => chunks.join('')),
      (r) => r,
    );
  }

  private query<T>(type: 'SRV' | 'TXT' | 'A' | 'AAAA', name: string, step: Step, run: () => Promise<T>, show: (v: T) => string[]): Promise<DnsAnswer<T>> {
    const key = `${type} ${name.toLowerCase()}`;
    const hit = this.cache.get(key);
    if (hit) return hit as Promise<DnsAnswer<T>>;
    const started = performance.now();
    const p = run().then(
      (value): DnsAnswer<T> => {
        this.trace.add({
          kind: 'dns',
          step,
          type,
          name,
          server: this.serverLabel,
          answers: show(value),
          error: null,
          ms: Math.round(performance.now() - started),
        });
        return { ok: true, value };
      },
      (e: NodeJS.ErrnoException): DnsAnswer<T> => {
        const code = e.code ?? 'ESERVFAIL';
        this.trace.add({ kind: 'dns', step, type, name, server: this.serverLabel, answers: [], error: code, ms: Math.round(performance.now() - started) });
        return { ok: false, code };
      },
    );
    this.cache.set(key, p as Promise<DnsAnswer<unknown>>);
    return p;
  }

  /** A `lookup` for net/tls.connect answering from the configured DNS server (A and AAAA). */
  lookupFunction(stepOf: () => Step) {
    return (hostname: string, options: LookupOneOptions | LookupAllOptions | number, callback: LookupCallback): void => {
      const opts = typeof options === 'number' ? { family: options } : options;
      const step = stepOf();
      const family = opts.family === 'IPv4' ? 4 : opts.family === 'IPv6' ? 6 : (opts.family ?? 0);
      const want4 = family === 0 || family === 4;
      const want6 = family === 0 || family === 6;
      const ask = (type: 'A' | 'AAAA', wanted: boolean) =>
        wanted
          ? this.query(
              type,
              hostname,
              step,
              () => (type === 'A' ? this.resolver.resolve4(hostname) : this.resolver.resolve6(hostname)),
              (r) => r,
            )
          : Promise.resolve(null);
      Promise.all([ask('A', want4), ask('AAAA', want6)]).then(
        ([a, aaaa]) => {
          const addresses: LookupAddress[] = [
            ...(a?.ok ? a.value.map((address) => ({ address, family: 4 })) : []),
            ...(aaaa?.ok ? aaaa.value.map((address) => ({ address, family: 6 })) : []),
          ];
          if (addresses.length === 0) {
            const err: NodeJS.ErrnoException = new Error(`${hostname} has no address in DNS`);
            err.code = a && !a.ok ? a.code : aaaa && !aaaa.ok ? aaaa.code : 'ENOTFOUND';
            callback(err, opts.all ? [] : '', 0);
            return;
          }
          if (opts.all) callback(null, addresses);
          else callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (e: NodeJS.ErrnoException) => callback(e, '', 0),
      );
    };
  }
}
