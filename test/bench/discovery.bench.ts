// npm run bench:discovery — how many DNS queries and HTTP requests a full discovery of both services
// takes, and how long, for the test accounts; beside it, the same accounts with each service discovered
// on its own (no shared session: what the shared cache saves). Target: at most 8 HTTP requests after DNS
// for both services with Basic auth when SRV+TXT point at the right context path.
import { readFileSync } from 'node:fs';
import type { DiscoveryResult } from '../../shared/discovery.ts';
import { discover, type Connection } from '../../electron/engine/remote/discovery.ts';
import { startServers } from '../harness/servers.ts';

const harness = await startServers();
try {
  const base = { dns: harness.dns, ca: readFileSync(harness.caFile, 'utf8') };
  const accounts: { label: string; input: Connection }[] = [
    { label: 'SRV+TXT, Basic (Radicale)', input: { ...base, email: harness.users.alice.email, password: harness.users.alice.password } },
    { label: 'SRV+TXT, local-part fallback', input: { ...base, email: harness.users.bob.email, password: harness.users.bob.password } },
    { label: 'SRV+TXT, Digest (SabreDAV)', input: { ...base, email: 'dave@digest.test', password: 'davepw' } },
    { label: 'SRV+TXT, Xandikos', input: { ...base, email: harness.users.xandikos.email, password: harness.users.xandikos.password } },
    { label: 'no SRV, well-known on 443', input: { ...base, email: 'alice@bare.test', user: 'alice@example.test', password: 'alicepw' } },
  ];
  const count = (r: DiscoveryResult) => ({
    dns: r.trace.filter((e) => e.kind === 'dns').length,
    http: r.trace.filter((e) => e.kind === 'http').length,
    ok: Boolean(r.caldav?.principal && r.carddav?.principal),
  });
  const RUNS = 5;
  const rows: string[][] = [['account', 'found', 'DNS', 'HTTP', 'median ms', '| separate: DNS', 'HTTP', 'median ms']];
  for (const { label, input } of accounts) {
    const shared: number[] = [];
    const separate: number[] = [];
    let c = { dns: 0, http: 0, ok: false };
    let s = { dns: 0, http: 0 };
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      const r = await discover(input);
      shared.push(performance.now() - t);
      c = count(r);
      t = performance.now();
      const cal = count(await discover(input, undefined, ['caldav']));
      const card = count(await discover(input, undefined, ['carddav']));
      separate.push(performance.now() - t);
      s = { dns: cal.dns + card.dns, http: cal.http + card.http };
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);
    rows.push([label, c.ok ? 'both' : 'NO', String(c.dns), String(c.http), median(shared), `| ${s.dns}`, String(s.http), median(separate)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`Discovery of both services, ${RUNS} runs each (loopback servers; DNS = SRV/TXT/A/AAAA queries):`);
  for (const r of rows) console.log(r.map((v, i) => v.padEnd(widths[i]!)).join('  '));
  console.log('Target: <= 8 HTTP requests for SRV+TXT with Basic (the first row).');
} finally {
  await harness.stop();
}
