// Starts the real servers the integration tests talk to (Radicale, Xandikos, SabreDAV 1.8, DAViCal, Cyrus, SOGo,
// nginx TLS, dnsmasq), all on loopback and fixed ports (PORTS.md), in a fresh temp dir; stop() ends them by PID.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resolver } from 'node:dns/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeCertificate } from './certs.ts';
import { startCyrus } from './cyrus.ts';
import { startDavical } from './davical.ts';
import { dnsmasqConfig, HOST_NAMES } from './dns-records.ts';
import { nginxConfig, NGINX_TCP_PORTS } from './nginx-conf.ts';
import { PORTS } from './ports.ts';
import type { PortName } from './ports.ts';
import { startPostgres } from './postgres.ts';
import { assertPortsFree, killHard, spawnLogged, stopProcess, tcpAnswers, waitUntilReady } from './processes.ts';
import type { Launch, ManagedProcess } from './processes.ts';
import { startSogo } from './sogo.ts';

export interface HarnessUser {
  /** The login name the server knows. */
  username: string;
  password: string;
  /** An address whose domain leads to this user's server through the test DNS. */
  email: string;
  /** Principal path on its server. */
  principal: string;
}

export interface HarnessUsers {
  /** Radicale. */
  alice: HarnessUser;
  /** Radicale; the login has no domain part, so bob@example.test must fall back to the local part. */
  bob: HarnessUser;
  /** Radicale, reached through offdomain.test / offsrv.test. */
  carol: HarnessUser;
  /** Xandikos behind nginx basic auth (8091, 8444). */
  xandikos: HarnessUser;
  /** SabreDAV, Basic (8081, 8445) and Digest (8082, 8446), one shared DB. */
  dave: HarnessUser;
  /** DAViCal (8083, 8447). */
  davical: HarnessUser;
  /** Cyrus httpd (8084, 8448); SASL realm localhost. */
  cyrus: HarnessUser;
  /** SOGo (8085, 8449). */
  sogo: HarnessUser;
}

export interface HarnessEndpoints {
  radicale: string;
  radicaleTls: string;
  radicaleTlsIpv4: string;
  radicaleTlsIpv6: string;
  radicalePlain: string;
  xandikos: string;
  xandikosAuth: string;
  xandikosTls: string;
  sabreBasic: string;
  sabreDigest: string;
  sabreBasicTls: string;
  sabreDigestTls: string;
  davical: string;
  davicalTls: string;
  cyrus: string;
  cyrusTls: string;
  sogo: string;
  sogoTls: string;
  bare: string;
  chain: string;
  downgrade: string;
  loop: string;
  offdomain: string;
}

/** Everything tests need to know about the running servers; plain data, written to $DAVLENS_HARNESS. */
export interface Harness {
  /** host:port of the test DNS server. */
  dns: string;
  caFile: string;
  caPem: string;
  /** "sha256//BASE64" of the certificate's SubjectPublicKeyInfo. */
  certSpkiPin: string;
  tmpDir: string;
  users: HarnessUsers;
  endpoints: HarnessEndpoints;
  ports: Record<PortName, number>;
  /** Server name -> log file. */
  logs: Record<string, string>;
  startupMs: number;
  /** Each server's own start-up, set-up included (initdb, schema, first user), in ms. */
  serverStartupMs: Record<string, number>;
}

export interface RunningHarness extends Harness {
  /** Non-enumerable, so JSON.stringify(running) is exactly the Harness. */
  stop(): Promise<void>;
}

const USERS: HarnessUsers = {
  alice: { username: 'alice@example.test', password: 'alicepw', email: 'alice@example.test', principal: '/alice@example.test/' },
  bob: { username: 'bob', password: 'bobpw', email: 'bob@example.test', principal: '/bob/' },
  carol: { username: 'carol@offdomain.test', password: 'carolpw', email: 'carol@offdomain.test', principal: '/carol@offdomain.test/' },
  xandikos: { username: 'alice', password: 'alicepw', email: 'alice@xandikos.test', principal: '/alice/' },
  dave: { username: 'dave', password: 'davepw', email: 'dave@sabre.test', principal: '/principals/dave/' },
  davical: { username: 'alice', password: 'davicalpw', email: 'alice@davical.test', principal: '/caldav.php/alice/' },
  cyrus: { username: 'alice', password: 'cyruspw', email: 'alice@cyrus.test', principal: '/dav/principals/user/alice/' },
  sogo: { username: 'alice', password: 'sogopw', email: 'alice@sogo.test', principal: '/SOGo/dav/alice/' },
};

const ENDPOINTS: HarnessEndpoints = {
  radicale: `http://127.0.0.1:${PORTS.radicale}/`,
  radicaleTls: `https://dav.example.test:${PORTS.radicaleTls}/`,
  radicaleTlsIpv4: `https://127.0.0.1:${PORTS.radicaleTls}/`,
  radicaleTlsIpv6: `https://[::1]:${PORTS.radicaleTls}/`,
  radicalePlain: `http://dav.plain.test:${PORTS.radicalePlain}/`,
  xandikos: `http://127.0.0.1:${PORTS.xandikos}/`,
  xandikosAuth: `http://127.0.0.1:${PORTS.xandikosAuth}/`,
  xandikosTls: `https://dav.xandikos.test:${PORTS.xandikosTls}/`,
  sabreBasic: `http://127.0.0.1:${PORTS.sabreBasic}/`,
  sabreDigest: `http://127.0.0.1:${PORTS.sabreDigest}/`,
  sabreBasicTls: `https://dav.sabre.test:${PORTS.sabreBasicTls}/`,
  sabreDigestTls: `https://dav.digest.test:${PORTS.sabreDigestTls}/`,
  davical: `http://127.0.0.1:${PORTS.davical}/`,
  davicalTls: `https://dav.davical.test:${PORTS.davicalTls}/`,
  cyrus: `http://127.0.0.1:${PORTS.cyrus}/`,
  cyrusTls: `https://dav.cyrus.test:${PORTS.cyrusTls}/`,
  // sogod answers / with its HTML login page; DAV lives under /SOGo/dav/ (production puts redirects in front).
  sogo: `http://127.0.0.1:${PORTS.sogo}/SOGo/dav/`,
  sogoTls: `https://dav.sogo.test:${PORTS.sogoTls}/SOGo/dav/`,
  bare: 'https://bare.test/',
  chain: 'https://chain.test/',
  downgrade: 'https://downgrade.test/',
  loop: 'https://loop.test/',
  offdomain: 'https://offdomain.test/',
};

const SABRE_SERVER = fileURLToPath(new URL('./sabre/server.php', import.meta.url));
const SABRE_INIT_DB = fileURLToPath(new URL('./sabre/init-db.php', import.meta.url));

function portUses() {
  const tcp = (host: string, port: number, owner: string) => ({ host, port, proto: 'tcp' as const, owner });
  return [
    tcp('127.0.0.1', PORTS.radicale, 'Radicale'),
    tcp('127.0.0.1', PORTS.xandikos, 'Xandikos'),
    tcp('127.0.0.1', PORTS.sabreBasic, 'SabreDAV Basic'),
    tcp('127.0.0.1', PORTS.sabreDigest, 'SabreDAV Digest'),
    tcp('127.0.0.1', PORTS.davical, 'DAViCal (Apache)'),
    tcp('127.0.0.1', PORTS.cyrus, 'Cyrus httpd'),
    tcp('127.0.0.1', PORTS.cyrusImap, 'Cyrus imapd'),
    tcp('127.0.0.1', PORTS.sogo, 'SOGo'),
    tcp('127.0.0.1', PORTS.memcached, 'memcached (SOGo)'),
    tcp('127.0.0.1', PORTS.postgres, 'PostgreSQL (DAViCal, SOGo)'),
    ...NGINX_TCP_PORTS.map((p) => tcp(p.host, p.port, 'nginx')),
    { host: '127.0.0.1', port: PORTS.dns, proto: 'udp' as const, owner: 'dnsmasq' },
    tcp('127.0.0.1', PORTS.dns, 'dnsmasq'),
    // Must stay closed: priority.test's first SRV target is meant to refuse connections.
    tcp('127.0.0.1', PORTS.unused, 'nobody (dead SRV target)'),
    tcp('::1', PORTS.unused, 'nobody (dead SRV target)'),
  ];
}

async function dnsAnswers(): Promise<boolean> {
  const resolver = new Resolver({ timeout: 250, tries: 1 });
  resolver.setServers([`127.0.0.1:${PORTS.dns}`]);
  try {
    return (await resolver.resolve4('dav.example.test')).includes('127.0.0.1');
  } catch {
    return false;
  }
}

export async function startServers(): Promise<RunningHarness> {
  const t0 = performance.now();
  await assertPortsFree(portUses());

  const tmpDir = await mkdtemp(join(tmpdir(), 'davlens-harness-'));
  // Traversable, not listable: PostgreSQL, Apache's workers, Cyrus and SOGo run as their packages' users and
  // must reach their own folders inside.
  await chmod(tmpDir, 0o711);
  const dirs = {
    logs: join(tmpDir, 'logs'),
    tls: join(tmpDir, 'tls'),
    radicale: join(tmpDir, 'radicale'),
    xandikos: join(tmpDir, 'xandikos'),
    sabre: join(tmpDir, 'sabre'),
    nginx: join(tmpDir, 'nginx'),
    dnsmasq: join(tmpDir, 'dnsmasq'),
    postgres: join(tmpDir, 'postgres'),
    davical: join(tmpDir, 'davical'),
    cyrus: join(tmpDir, 'cyrus'),
    sogo: join(tmpDir, 'sogo'),
  };
  await Promise.all(Object.values(dirs).map((d) => mkdir(d)));
  const logs: Record<string, string> = {};
  const logFile = (name: string) => (logs[name] = join(dirs.logs, `${name}.log`));

  const procs: ManagedProcess[] = [];
  // Last resort if the test runner dies without teardown: no server may outlive it.
  const killAll = () => procs.forEach(killHard);
  process.on('exit', killAll);

  const launch: Launch = (name, command, args, opts) => {
    const proc = spawnLogged(name, command, args, { ...opts, logFile: logFile(name) });
    procs.push(proc);
    return proc;
  };
  const tcp = (host: string, port: number) => () => tcpAnswers(host, port);
  const addr = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

  const radicale = async () => {
    const users = [USERS.alice, USERS.bob, USERS.carol].map((u) => `${u.username}:${u.password}\n`).join('');
    await writeFile(join(dirs.radicale, 'users'), users);
    await writeFile(
      join(dirs.radicale, 'config'),
      [
        '[server]',
        `hosts = 127.0.0.1:${PORTS.radicale}`,
        '[auth]',
        'type = htpasswd',
        `htpasswd_filename = ${join(dirs.radicale, 'users')}`,
        'htpasswd_encryption = plain',
        // Else every 401 costs about a second.
        'delay = 0',
        '[rights]',
        'type = owner_only',
        '[storage]',
        `filesystem_folder = ${join(dirs.radicale, 'collections')}`,
        '',
      ].join('\n'),
    );
    const proc = launch('radicale', '/usr/bin/radicale', ['--config', join(dirs.radicale, 'config')], { cwd: dirs.radicale });
    await waitUntilReady(proc, addr('127.0.0.1', PORTS.radicale), tcp('127.0.0.1', PORTS.radicale));
  };

  const xandikos = async () => {
    const proc = launch(
      'xandikos',
      '/usr/bin/xandikos',
      ['-d', join(dirs.xandikos, 'data'), '--defaults', '--current-user-principal', USERS.xandikos.principal, '-l', '127.0.0.1', '-p', String(PORTS.xandikos)],
      { cwd: dirs.xandikos },
    );
    await waitUntilReady(proc, addr('127.0.0.1', PORTS.xandikos), tcp('127.0.0.1', PORTS.xandikos));
  };

  const sabre = async () => {
    const db = join(dirs.sabre, 'sabre.sqlite');
    const { dave } = USERS;
    await promisify(execFile)('/usr/bin/php', [SABRE_INIT_DB, db, dave.username, dave.password, dave.email]).catch((err: Error) => {
      throw new Error(`SabreDAV DB setup (${SABRE_INIT_DB}) failed: ${err.message}`);
    });
    const php = (name: string, port: number, auth: string) => {
      // Debian's defaults, made explicit: PHP 8.2 deprecation notices would otherwise corrupt SabreDAV 1.8's XML.
      const args = [
        '-d',
        'display_errors=0',
        '-d',
        'error_reporting=E_ALL & ~E_DEPRECATED & ~E_STRICT',
        '-d',
        'log_errors=1',
        '-S',
        `127.0.0.1:${port}`,
        '-t',
        dirs.sabre,
        SABRE_SERVER,
      ];
      const proc = launch(name, '/usr/bin/php', args, { cwd: dirs.sabre, env: { SABRE_DB: db, SABRE_AUTH: auth } });
      return waitUntilReady(proc, addr('127.0.0.1', port), tcp('127.0.0.1', port));
    };
    await Promise.all([php('sabre-basic', PORTS.sabreBasic, 'basic'), php('sabre-digest', PORTS.sabreDigest, 'digest')]);
  };

  const dnsmasq = async () => {
    const conf = join(dirs.dnsmasq, 'dnsmasq.conf');
    await writeFile(conf, dnsmasqConfig());
    const proc = launch(
      'dnsmasq',
      '/usr/sbin/dnsmasq',
      [
        `--conf-file=${conf}`,
        '--no-resolv',
        '--no-hosts',
        '-k',
        '--bind-interfaces',
        '--listen-address=127.0.0.1',
        '-p',
        String(PORTS.dns),
        `--pid-file=${join(dirs.dnsmasq, 'dnsmasq.pid')}`,
        '--log-facility=-',
        '--log-queries',
      ],
      { cwd: dirs.dnsmasq },
    );
    await waitUntilReady(proc, `127.0.0.1:${PORTS.dns}/udp`, dnsAnswers);
  };

  const certificate = makeCertificate(dirs.tls, HOST_NAMES);
  const nginx = async () => {
    const { certFile, keyFile } = await certificate;
    const htpasswdFile = join(dirs.nginx, 'htpasswd');
    await writeFile(htpasswdFile, `${USERS.xandikos.username}:{PLAIN}${USERS.xandikos.password}\n`);
    const errorLog = logFile('nginx');
    const conf = join(dirs.nginx, 'nginx.conf');
    await writeFile(conf, nginxConfig({ dir: dirs.nginx, certFile, keyFile, htpasswdFile, errorLog }));
    const proc = launch('nginx', '/usr/sbin/nginx', ['-p', dirs.nginx, '-c', conf, '-e', errorLog], { cwd: dirs.nginx });
    const all = NGINX_TCP_PORTS.map((p) => addr(p.host, p.port)).join(', ');
    await waitUntilReady(proc, all, async () => (await Promise.all(NGINX_TCP_PORTS.map((p) => tcpAnswers(p.host, p.port)))).every(Boolean));
  };

  // DAViCal and SOGo share one private PostgreSQL cluster; each waits for it, not for the other.
  const postgres = startPostgres(dirs.postgres, PORTS.postgres, launch, logFile);
  const davical = async () => {
    const { davical: user } = USERS;
    await startDavical(dirs.davical, PORTS.davical, await postgres, { ...user, fullName: 'Alice Example' }, launch, logFile);
  };
  const cyrus = () => startCyrus(dirs.cyrus, { http: PORTS.cyrus, imap: PORTS.cyrusImap }, USERS.cyrus, launch, logFile);
  const sogo = async () => {
    await startSogo(dirs.sogo, { http: PORTS.sogo, memcached: PORTS.memcached }, await postgres, { ...USERS.sogo, fullName: 'Alice Example' }, launch);
  };

  const stop = async () => {
    await Promise.all(procs.map((p) => stopProcess(p)));
    process.off('exit', killAll);
  };

  const serverStartupMs: Record<string, number> = {};
  const timed = async (name: string, started: Promise<unknown>) => {
    await started;
    serverStartupMs[name] = Math.round(performance.now() - t0);
  };
  // allSettled: on a failure, wait for the other starts too, so none spawns after we stopped the rest.
  const results = await Promise.allSettled([
    timed('Radicale', radicale()),
    timed('Xandikos', xandikos()),
    timed('SabreDAV', sabre()),
    timed('dnsmasq', dnsmasq()),
    timed('nginx', nginx()),
    certificate,
    timed('PostgreSQL', postgres),
    timed('DAViCal', davical()),
    timed('Cyrus', cyrus()),
    timed('SOGo', sogo()),
  ]);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.message ?? r.reason)] : []));
  if (failures.length > 0) {
    await stop();
    // The temp dir stays: the messages point at its logs.
    throw new Error(`Harness start failed (temp dir ${tmpDir}):\n${failures.join('\n\n')}`);
  }

  const cert = await certificate;
  const startupMs = Math.round(performance.now() - t0);
  const harness: Harness = {
    dns: `127.0.0.1:${PORTS.dns}`,
    caFile: cert.certFile,
    caPem: cert.pem,
    certSpkiPin: cert.spkiPin,
    tmpDir,
    users: USERS,
    endpoints: ENDPOINTS,
    ports: { ...PORTS },
    logs,
    startupMs,
    serverStartupMs,
  };
  const each = Object.entries(serverStartupMs)
    .map(([name, ms]) => `${name} ${ms}`)
    .join(', ');
  console.log(`[harness] ${procs.length} servers up in ${startupMs} ms (${each}; ${tmpDir})`);

  const running = harness as RunningHarness;
  Object.defineProperty(running, 'stop', {
    enumerable: false,
    value: async () => {
      await stop();
      // DAVLENS_KEEP_TMP=1 keeps the logs and data for a look after the run.
      if (process.env.DAVLENS_KEEP_TMP !== '1') await rm(tmpDir, { recursive: true, force: true });
    },
  });
  return running;
}
