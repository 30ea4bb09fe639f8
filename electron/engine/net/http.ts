// The one HTTP layer of the engine. Every request of discovery, listing and sync goes through here:
// undici's Agent and its request() (the plain dispatcher API: the bytes as they arrive, headers as sent), the
// content codings undone here (decompressed, below; undici 8's decompress interceptor is marked experimental, and
// its streaming pause/resume is the machinery the bug below lived in). request() and not fetch: fetch's WHATWG layers (Headers,
// web streams, its decoding pipeline) cost a 4.7 MB gzip'd answer 45 ms of CPU, request() 31 ms; bench:sync's
// initial sync 0.96 -> 0.91 s CPU and 1.47 -> 1.42 s wall (medians of 7 interleaved syncs against Radicale).
// undici 8, not 7: 7.30.2 (and the fetch built into Node 24.21) died on an uncatchable assert(!this.paused) when
// a server closed the connection while a gzipped body was still being read, which Radicale does after every
// answer (nodejs/undici#5360); 8 needs Node >= 22.19, and every Davlens runtime is Node 24
// (node_modules/.bin/node, Electron 45). Redirects are never followed blindly (the caller decides, see
// discovery's trust rules); a size cap (after decoding too), a timeout covering the body, one trace entry per exchange.
//
// TLS: connections are opened with rejectUnauthorized=false and verified here, right after the handshake
// and before a byte of the request is written. That single path gives three things: the normal CA check
// (chain + host name, Node's own `authorized`), a pinned key per host:port that may stand in for a CA
// (`curl --pinnedpubkey` semantics: when a pin is set it must match), and, when trust fails, the
// certificate's details so the UI can offer "Trust this certificate".
import { X509Certificate, createHash } from 'node:crypto';
import { TLSSocket, getCACertificates, rootCertificates } from 'node:tls';
import type { Socket } from 'node:net';
import { AsyncLocalStorage } from 'node:async_hooks';
import * as zlib from 'node:zlib';
import type * as UndiciModule from 'undici';
import type { Agent, ProxyAgent, buildConnector, Dispatcher } from 'undici';
import type { CertificateInfo, DavlensError, Step } from '../../../shared/errors.ts';
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';
import type { HttpTraceEntry } from '../../../shared/trace.ts';
import type { Connection } from './connection.ts';
import type { Dns } from './dns.ts';
import type { Trace } from './trace.ts';

/** What HTTP reads of a connection (net/connection.ts), and the proxy environment (process.env by default). */
export type HttpOptions = Pick<Connection, 'ca' | 'pins' | 'timeoutMs' | 'maxResponseBytes' | 'traceBodies'> & {
  env?: Record<string, string | undefined>;
};

export interface HttpRequest {
  method: string;
  url: string;
  step: Step;
  headers?: Record<string, string>;
  body?: string;
  /** Counts this request's round trips and received bytes (the Session adds to it: per-collection sync figures). */
  meter?: RequestMeter;
}

export interface RequestMeter {
  requests: number;
  bytes: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names. Repeated headers are joined with ", " (WWW-Authenticate is kept whole in `wwwAuthenticate`). */
  headers: Record<string, string>;
  wwwAuthenticate: string[];
  /** The body as one string (joined from `pieces` when first read). */
  body: string;
  /**
   * The same text in pieces, decoded from the bytes received only as they are read. A large answer is read from
   * these (dav/xml.ts): no second copy of it as one string; a piece with no character beyond Latin-1 takes one byte
   * per character, not two, as do the items read from it (one 'Ł' anywhere made a whole joined answer two bytes per
   * character); and each piece dies young, right after it is read. Decoded as the bytes arrived, every piece lived
   * until the reader reached it, through collections that copied it twice (with the values read out of the answer
   * made strings of their own, shared/own-copy.ts: bench:sync's collector copied 80 -> 55 MB).
   */
  pieces: Iterable<string>;
  /** Bytes of the body received (after content decoding). */
  bytes: number;
  url: string;
  ms: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Bytes decoded into one piece of an answer. One character beyond Latin-1 makes its whole piece two bytes per
 * character, and so every item read from it: with 64 KB chunks nearly every piece of bench:sync's address book
 * was, with 4 KB about a quarter.
 */
const PIECE_BYTES = 4096;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

class TlsTrustError extends Error {
  readonly certificate: CertificateInfo;
  readonly pinMismatch: boolean;
  constructor(certificate: CertificateInfo, pinMismatch: boolean) {
    super(pinMismatch ? 'pinned key mismatch' : `untrusted certificate (${certificate.reason})`);
    this.certificate = certificate;
    this.pinMismatch = pinMismatch;
  }
}

function spkiPinOf(certDer: Buffer): string {
  const spki = new X509Certificate(certDer).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256//${createHash('sha256').update(spki).digest('base64')}`;
}

function certificateInfo(socket: TLSSocket, host: string, port: number): CertificateInfo | null {
  const raw = socket.getPeerCertificate(false)?.raw;
  if (!raw) return null;
  const x509 = new X509Certificate(raw);
  return {
    host,
    port,
    fingerprint256: x509.fingerprint256,
    spkiPin: spkiPinOf(raw),
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    validFrom: x509.validFrom,
    validTo: x509.validTo,
    reason: String(socket.authorizationError ?? 'pinned key mismatch'),
  };
}

function systemCas(): string[] {
  // getCACertificates('default') includes NODE_EXTRA_CA_CERTS; rootCertificates does not.
  try {
    return getCACertificates('default');
  } catch {
    return [...rootCertificates];
  }
}

/** NO_PROXY matching as curl does it: "*" or a list of host suffixes (with or without leading dot), optional :port. */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const [h, p] = entry.toLowerCase().split(/:(?=\d+$)/);
      if (p && p !== port) return false;
      const suffix = (h ?? '').replace(/^\*?\./, '');
      return host === suffix || host.endsWith(`.${suffix}`);
    });
}

const stepContext = new AsyncLocalStorage<Step>();

type Undici = typeof UndiciModule;
/** undici and the one verifying Agent every direct request of an Http goes through. */
type Client = { undici: Undici; agent: Agent };
let undiciLoaded: Promise<Undici> | null = null;

/**
 * undici, loaded with the first request: it takes ~0.13 s to load (its HTTP/2 client, fetch, web streams), which a
 * command answered from the store (events, contacts, export of a synced account) never needs to pay.
 */
function loadUndici(): Promise<Undici> {
  return (undiciLoaded ??= import('undici'));
}

/**
 * Loads undici now, ahead of the first request: for the long-lived hosts, which start long before a person has typed
 * an address to discover (in a fresh web host the first request of discovery left 66-76 ms after addAccount was
 * called, 25-29 ms with undici loaded at start). A failed load fails the first request, as it would have anyway.
 */
export function preloadHttpClient(): void {
  loadUndici().catch(() => undefined);
}

export class Http {
  private readonly opts: HttpOptions;
  private readonly trace: Trace;
  private readonly cas: string[];
  private readonly dns: Dns | null;
  private client: Promise<Client> | null = null;
  private readonly proxies = new Map<string, ProxyAgent>();

  constructor(opts: HttpOptions, trace: Trace, dns: Dns | null) {
    this.opts = opts;
    this.trace = trace;
    this.dns = dns;
    this.cas = opts.ca ? [...systemCas(), opts.ca] : systemCas();
  }

  /** undici and the one Agent every direct request goes through, made with the first request. */
  private ready(): Promise<Client> {
    return (this.client ??= loadUndici().then((undici) => ({ undici, agent: this.verifyingAgent(undici) })));
  }

  private verifyingAgent(undici: Undici): Agent {
    const { opts, dns } = this;
    const base = undici.buildConnector({
      rejectUnauthorized: false,
      // No TLS session resumption: a resumed handshake carries no certificate to check against a pin,
      // and every connection must pass the verification below on its own.
      maxCachedSessions: 0,
      ca: this.cas,
      timeout: Math.min(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, 15_000),
      ...(dns ? { lookup: dns.lookupFunction(() => stepContext.getStore() ?? 'context-path') } : {}),
    } as buildConnector.BuildOptions);
    const verify: buildConnector.connector = (options, callback) => {
      base(options, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('no socket'), null);
        const failure = this.verifyTls(socket, options.hostname, Number(options.port) || 443, options.protocol);
        if (failure) {
          socket.destroy();
          return callback(failure, null);
        }
        callback(null, socket);
      });
    };
    return new undici.Agent({ connect: verify, connections: 6, keepAliveTimeout: 10_000 });
  }

  private verifyTls(socket: Socket, host: string, port: number, protocol: string): Error | null {
    if (protocol !== 'https:' || !(socket instanceof TLSSocket)) return null;
    const hostPort = `${host.replace(/^\[|\]$/g, '')}:${port}`;
    const pin = this.opts.pins?.[hostPort];
    if (!pin && socket.authorized) return null;
    const info = certificateInfo(socket, host, port);
    // Fail closed: without a certificate to look at, nothing can be trusted.
    if (!info) return new Error(`${hostPort} presented no certificate`);
    if (pin) return info.spkiPin === pin ? null : new TlsTrustError(info, true);
    return new TlsTrustError(info, false);
  }

  private dispatcherFor(url: URL, { undici, agent: direct }: Client): Dispatcher {
    const env = this.opts.env ?? process.env;
    const proxy = url.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
    if (!proxy || bypassesProxy(url, env.NO_PROXY ?? env.no_proxy)) return direct;
    let agent = this.proxies.get(proxy);
    if (!agent) {
      // Through a proxy the TLS handshake happens inside undici's tunnel, where the verifying connector
      // above cannot reach: CAs apply, pins cannot (refused in request() with a clear error).
      agent = new undici.ProxyAgent({ uri: proxy, requestTls: { ca: this.cas } });
      this.proxies.set(proxy, agent);
    }
    return agent;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    return stepContext.run(req.step, () => this.send(req));
  }

  private async send(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const started = performance.now();
    const headers = { ...(req.headers ?? {}) };
    const entry: HttpTraceEntry = {
      kind: 'http',
      step: req.step,
      method: req.method,
      url: req.url,
      requestHeaders: redactHeaders(headers),
      // PROPFIND and OPTIONS bodies are Davlens's own fixed property lists (no personal data) and make the
      // curl walk-through replayable; other bodies (multiget hrefs, uploads) only with traceBodies.
      requestBody: this.opts.traceBodies || req.method === 'PROPFIND' || req.method === 'OPTIONS' ? (req.body ?? null) : null,
      status: null,
      responseHeaders: {},
      responseBody: null,
      error: null,
      ms: 0,
    };
    const fail = (e: DavlensError): never => {
      entry.error = e.message;
      entry.ms = Math.round(performance.now() - started);
      this.trace.add(entry);
      throw new DavlensFailure(e);
    };
    const client = await this.ready();
    const dispatcher = this.dispatcherFor(url, client);
    if (dispatcher !== client.agent && this.opts.pins?.[`${url.hostname}:${url.port || 443}`]) {
      fail(
        davlensError('bad-input', `A pinned certificate for ${url.host} cannot be checked through the proxy; add ${url.hostname} to NO_PROXY.`, req.step, {
          url: req.url,
        }),
      );
    }
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Dispatcher.ResponseData;
    try {
      res = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: req.method as Dispatcher.HttpMethod,
        headers: withDefaults(headers),
        body: req.body ?? null,
        signal,
      });
    } catch (e) {
      return fail(this.describeFailure(e, req, timeoutMs));
    }
    entry.status = res.statusCode;
    const responseHeaders = joinedHeaders(res.headers);
    entry.responseHeaders = redactHeaders(responseHeaders);
    const auth = res.headers['www-authenticate'];
    const wwwAuthenticate = auth === undefined ? [] : Array.isArray(auth) ? auth : [auth];
    let read: { chunks: Uint8Array[]; bytes: number };
    try {
      read = await this.readCapped(res, responseHeaders, req);
    } catch (e) {
      if (e instanceof DavlensFailure) return fail(e.error);
      return fail(this.describeFailure(e, req, timeoutMs));
    }
    entry.ms = Math.round(performance.now() - started);
    const answer = responseOf({ status: res.statusCode, headers: responseHeaders, wwwAuthenticate, url: req.url, ms: entry.ms }, read.chunks, read.bytes);
    if (this.opts.traceBodies) entry.responseBody = answer.body;
    this.trace.add(entry);
    return answer;
  }

  /** The body's bytes (decoded as its Content-Encoding says), within the size cap. */
  private async readCapped(res: Dispatcher.ResponseData, headers: Record<string, string>, req: HttpRequest): Promise<{ chunks: Uint8Array[]; bytes: number }> {
    const cap = this.opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const declared = Number(headers['content-length'] ?? NaN);
    if (declared > cap) {
      res.body.destroy();
      throw new DavlensFailure(tooLarge(req, cap));
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > cap) {
        res.body.destroy();
        throw new DavlensFailure(tooLarge(req, cap));
      }
      // Kept as received: each chunk is a buffer of its own (the socket's or TLS's), never written again.
      chunks.push(chunk);
    }
    const coding = (headers['content-encoding'] ?? '').trim().toLowerCase();
    if (coding === '' || coding === 'identity' || chunks.length === 0) return { chunks, bytes: size };
    const decoded = decompressed(coding, chunks, cap, req);
    return { chunks: [decoded], bytes: decoded.byteLength };
  }

  private describeFailure(e: unknown, req: HttpRequest, timeoutMs: number): DavlensError {
    const host = new URL(req.url).host;
    type CodedError = Error & { code?: string; cause?: CodedError };
    const err = e as CodedError;
    const cause: CodedError = err.cause ?? err;
    if (cause instanceof TlsTrustError) {
      const c = cause.certificate;
      return cause.pinMismatch
        ? davlensError(
            'tls-pin-mismatch',
            `${host} presented a key that does not match the pinned one (${c.spkiPin}). If the server's certificate was replaced on purpose, trust the new one; otherwise someone may be intercepting the connection.`,
            req.step,
            { url: req.url, certificate: c },
          )
        : davlensError(
            'tls-untrusted',
            `${host} presented a certificate that is not trusted (${c.reason}). SHA-256 fingerprint ${c.fingerprint256}. Trust it only if you know it is the server's own.`,
            req.step,
            { url: req.url, certificate: c },
          );
    }
    const name = (err as Error).name;
    const code = cause.code ?? '';
    if (
      name === 'TimeoutError' ||
      name === 'AbortError' ||
      code === 'UND_ERR_CONNECT_TIMEOUT' ||
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT'
    ) {
      return davlensError('timeout', `${host} did not answer within ${Math.round(timeoutMs / 1000)} s (${req.method} ${req.url}).`, req.step, { url: req.url });
    }
    if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_AGAIN') {
      return davlensError('dns-failed', `The host name ${new URL(req.url).hostname} could not be resolved (${code}).`, req.step, { url: req.url });
    }
    if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /certificate|SSL|TLS/i.test(cause.message)) {
      return davlensError('tls-untrusted', `The TLS connection to ${host} failed: ${cause.message}.`, req.step, { url: req.url });
    }
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || /terminated|other side closed/i.test(cause.message)) {
      return davlensError('bad-response', `${host} closed the connection before the response was complete (${req.method} ${req.url}).`, req.step, {
        url: req.url,
      });
    }
    const what = code || cause.message;
    return davlensError('network', `Could not connect to ${host} (${what}).`, req.step, { url: req.url });
  }

  async close(): Promise<void> {
    const agent = this.client && (await this.client).agent;
    await Promise.all([agent?.close(), ...[...this.proxies.values()].map((p) => p.close())]);
  }
}

function tooLarge(req: HttpRequest, cap: number): DavlensError {
  return davlensError(
    'response-too-large',
    `The response of ${new URL(req.url).host} to ${req.method} ${req.url} is larger than ${Math.round(cap / 1024 / 1024)} MB and was not read.`,
    req.step,
    { url: req.url },
  );
}

/**
 * Sent with every request unless it names its own: the content codings decompressed() reads, and a name. (fetch, which
 * Davlens used before, asked for the same codings and named itself "undici".)
 */
const SENT_ALWAYS: Readonly<Record<string, string>> = { 'accept-encoding': 'gzip, deflate', 'user-agent': 'Davlens' };

function withDefaults(headers: Record<string, string>): Record<string, string> {
  const named = new Set(Object.keys(headers).map((k) => k.toLowerCase()));
  const out = { ...headers };
  for (const [k, v] of Object.entries(SENT_ALWAYS)) if (!named.has(k)) out[k] = v;
  return out;
}

/** Response headers as one string each (repeated ones joined with ", "). */
function joinedHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * Whether a deflate body has the zlib wrapper (RFC 1950) that RFC 9110's "deflate" names: some servers send the bare
 * deflate data (RFC 1951) instead, which browsers, curl and fetch read too. The wrapper's first byte names method 8
 * and its first two bytes, read as one number, are a multiple of 31.
 */
function isZlibWrapped(body: Buffer): boolean {
  return body.length >= 2 && (body[0]! & 0x0f) === 8 && ((body[0]! << 8) | body[1]!) % 31 === 0;
}

/** Content codings undone, last applied first; more than fetch's five is refused (as fetch did: a resource-exhaustion guard). */
const MAX_CODINGS = 5;

/**
 * The body undone from its Content-Encoding, at most `cap` bytes. Lenient at the end of the stream as curl and fetch
 * are (a body cut short decodes as far as it goes: the XML reader then names what is missing).
 */
function decompressed(encoding: string, chunks: readonly Uint8Array[], cap: number, req: HttpRequest): Buffer {
  const codings = encoding
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'identity');
  const host = new URL(req.url).host;
  const refuse = (why: string) =>
    new DavlensFailure(
      davlensError('bad-response', `${host} answered ${req.method} ${req.url} with a body that cannot be read: ${why}.`, req.step, { url: req.url }),
    );
  if (codings.length > MAX_CODINGS) throw refuse(`${codings.length} content codings`);
  let body = Buffer.concat(chunks);
  for (const coding of codings.reverse()) {
    const lenient = { maxOutputLength: cap, finishFlush: zlib.constants.Z_SYNC_FLUSH };
    try {
      if (coding === 'gzip' || coding === 'x-gzip') body = zlib.gunzipSync(body, lenient);
      else if (coding === 'deflate') body = isZlibWrapped(body) ? zlib.inflateSync(body, lenient) : zlib.inflateRawSync(body, lenient);
      else if (coding === 'br') body = zlib.brotliDecompressSync(body, { maxOutputLength: cap });
      else throw refuse(`the content coding "${coding}", which Davlens did not ask for`);
    } catch (e) {
      if (e instanceof DavlensFailure) throw e;
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new DavlensFailure(tooLarge(req, cap));
      throw refuse(`its ${coding} data is corrupt (${(e as Error).message})`);
    }
  }
  return body;
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Authorization keeps its scheme ("Basic <redacted>") so the trace still says how the client logged in. */
export function redactHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    const lower = k.toLowerCase();
    if (!SECRET_HEADERS.has(lower)) out[k] = v;
    else if (lower.endsWith('authorization')) out[k] = `${v.split(' ')[0]} <redacted>`;
    else out[k] = '<redacted>';
  }
  return out;
}

/** The text of `chunks` (UTF-8; a leading BOM dropped), decoded PIECE_BYTES at a time as it is read. */
function* decodedPieces(chunks: readonly Uint8Array[]): Generator<string> {
  const decoder = new TextDecoder('utf-8');
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.byteLength; at += PIECE_BYTES) {
      const piece = decoder.decode(chunk.subarray(at, at + PIECE_BYTES), { stream: true });
      if (piece !== '') yield piece;
    }
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/** An answer whose text is decoded when read: `pieces` each time it is iterated, `body` once, joined. */
export function responseOf(fields: Omit<HttpResponse, 'body' | 'pieces' | 'bytes'>, chunks: readonly Uint8Array[], bytes: number): HttpResponse {
  let joined: string | null = null;
  const pieces = { [Symbol.iterator]: () => decodedPieces(chunks) };
  return {
    ...fields,
    pieces,
    bytes,
    get body() {
      joined ??= [...pieces].join('');
      return joined;
    },
  };
}
