// Fixed loopback ports of the harness (table in PORTS.md). Fixed, because the DNS zone's SRV records name them.
export const PORTS = {
  /** Radicale, plain http (backend). */
  radicale: 5232,
  /** Xandikos, plain http, no login (backend). */
  xandikos: 8090,
  /** nginx basic auth in front of Xandikos, plain http. */
  xandikosAuth: 8091,
  /** SabreDAV 1.8 under php -S, Basic login (backend). */
  sabreBasic: 8081,
  /** SabreDAV 1.8 under php -S, Digest login, same DB (backend). */
  sabreDigest: 8082,
  /** DAViCal 1.1 under Apache + mod_php (backend). */
  davical: 8083,
  /** Cyrus IMAP 3.6 httpd (backend). */
  cyrus: 8084,
  /** Cyrus imapd: one login creates the user's mailbox, which its DAV collections need. */
  cyrusImap: 8143,
  /** SOGo 5.8 sogod (backend; DAV under /SOGo/dav/). */
  sogo: 8085,
  /** memcached for SOGo. */
  memcached: 8211,
  /** The private PostgreSQL cluster of DAViCal and SOGo (127.0.0.1 and a socket in the temp dir). */
  postgres: 8432,
  /** dnsmasq, UDP and TCP. */
  dns: 5353,
  /** nginx TLS -> Radicale (127.0.0.1 and ::1). */
  radicaleTls: 8443,
  /** nginx TLS + basic auth -> Xandikos. */
  xandikosTls: 8444,
  /** nginx TLS -> SabreDAV Basic. */
  sabreBasicTls: 8445,
  /** nginx TLS -> SabreDAV Digest. */
  sabreDigestTls: 8446,
  /** nginx TLS -> DAViCal. */
  davicalTls: 8447,
  /** nginx TLS -> Cyrus. */
  cyrusTls: 8448,
  /** nginx TLS -> SOGo. */
  sogoTls: 8449,
  /** nginx TLS, bare-domain vhosts (bare/chain/downgrade/loop/offdomain.test). */
  bareTls: 443,
  /** nginx plain http -> Radicale (the insecure and downgrade cases). */
  radicalePlain: 8080,
  /** Nothing listens here: the dead SRV target of priority.test. */
  unused: 8499,
} as const;

export type PortName = keyof typeof PORTS;
