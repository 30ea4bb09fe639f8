// The browser host: the API contract over HTTP on 127.0.0.1 (POST /api/<method>, JSON Result answers),
// progress as server-sent events (GET /api/events), and the built renderer. Other pages in the same browser
// and DNS rebinding are the threat, so every request passes the same gate before anything runs:
//   Host must be a loopback name with our port (rebinding), Origin (when sent) our own, Sec-Fetch-Site not
//   foreign; the printed one-time token is exchanged for an HttpOnly SameSite=Strict cookie and a 303 to a
//   clean URL; API calls also need `X-Davlens: 1` (a foreign page cannot set it without a CORS preflight,
//   which is never answered). Refusals are 401/403 with no side effect.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DavlensApi, ProgressEvent, Result } from '../../shared/api.ts';
import { apiOver, callOn, fail } from '../../shared/api.ts';
import { davlensError } from '../../shared/errors.ts';
import { dispatch, isApiMethod } from './dispatch.ts';
import { bodyLimit, parseJsonBody } from './json-body.ts';
import { readStaticFile, SECURITY_HEADERS } from './static-files.ts';

const API_HEADER = 'x-davlens';
const EVENTS_PATH = '/api/events';
const HEARTBEAT_MS = 15_000;

export interface WebHostService extends DavlensApi {
  onProgress(listener: (event: ProgressEvent) => void): () => void;
}

export interface WebServerOptions {
  service: WebHostService;
  /** The built renderer (index.html + assets). */
  rendererDir: string;
  /** 0 or undefined: a free port. */
  port?: number;
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string;
}

export interface WebServer {
  /** The URL to print: http://127.0.0.1:PORT/?token=... */
  url: string;
  origin: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Only the browser host cannot save through a dialog: its client downloads exportFile's content instead. */
function browserSaveExport(): Promise<Result<never>> {
  return Promise.resolve(fail(davlensError('bad-input', 'The browser mode cannot save files itself: the page downloads the export instead.', 'export')));
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

function refuse(res: ServerResponse, status: 401 | 403 | 404 | 405 | 413 | 415 | 400, message: string): void {
  send(res, status, JSON.stringify({ error: message }) + '\n', { 'Content-Type': 'application/json; charset=utf-8' });
}

/** Who may talk to this server: a loopback page of our own that exchanged the one-time token for the cookie. */
class Gate {
  port = 0;
  private token: string | null;
  private readonly session = randomBytes(32).toString('base64url');

  constructor(token: string | null) {
    this.token = token;
  }

  /** The token in the printed URL: null once it was exchanged. */
  get printedToken(): string | null {
    return this.token;
  }

  /** Cookies are shared by every port of a host: the port in the name keeps two instances apart. */
  private get cookieName(): string {
    return `davlens_${this.port}`;
  }

  /** The check every request passes first; returns a refusal sentence or null. */
  foreign(req: IncomingMessage): string | null {
    const host = (req.headers.host ?? '').toLowerCase();
    if (![`127.0.0.1:${this.port}`, `localhost:${this.port}`, `[::1]:${this.port}`].includes(host)) return 'Host must be this server on a loopback name.';
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) return 'Cross-origin requests are refused.';
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'Cross-site requests are refused.';
    return null;
  }

  hasSession(req: IncomingMessage): boolean {
    const value = cookieValue(req, this.cookieName);
    return value !== null && sameSecret(value, this.session);
  }

  /** The one-time token: exchanged once for the session cookie, then the clean URL. */
  exchange(req: IncomingMessage, res: ServerResponse, offered: string): void {
    if (this.hasSession(req)) return send(res, 303, '', { Location: '/' });
    if (this.token === null || !sameSecret(offered, this.token)) {
      return send(res, 401, 'This link is not valid (it works once). Restart Davlens with `npm run web` for a new one.\n', {
        'Content-Type': 'text/plain; charset=utf-8',
      });
    }
    this.token = null;
    send(res, 303, '', { Location: '/', 'Set-Cookie': `${this.cookieName}=${this.session}; HttpOnly; SameSite=Strict; Path=/` });
  }
}

/** POST /api/<method>: a JSON argument in, the method's Result out. */
async function answerCall(api: DavlensApi, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  if (!isApiMethod(method)) return refuse(res, 404, 'No such API method.');
  if (req.method !== 'POST') return refuse(res, 405, 'Use POST.');
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return refuse(res, 415, 'Send JSON.');
  const body = await readBody(req, bodyLimit(method));
  if (body === null) {
    // The rest is not read: the connection closes after the answer.
    res.once('finish', () => req.destroy());
    return refuse(res, 413, 'The request body is too large.');
  }
  const arg = parseJsonBody(body);
  if (!arg.ok) return refuse(res, 400, arg.reason);
  const result = await dispatch(api, method, arg.value);
  send(res, 200, JSON.stringify(result), { 'Content-Type': 'application/json; charset=utf-8' });
}

/** GET /api/events: progress as server-sent events until the page goes away. */
function openEvents(service: WebHostService, clients: Set<ServerResponse>, res: ServerResponse): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' });
  res.write(': connected\n\n');
  clients.add(res);
  const unsubscribe = service.onProgress((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  res.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    clients.delete(res);
  });
}

async function serveStatic(rendererDir: string, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Use GET.');
  const file = await readStaticFile(rendererDir, pathname);
  res.writeHead(file.status, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const gate = new Gate(opts.token ?? randomBytes(32).toString('base64url'));
  // The contract's methods bound to the service (a spread of it would lose class methods and `this`).
  const api: DavlensApi = { ...apiOver(callOn(opts.service)), saveExport: browserSaveExport };
  const sseClients = new Set<ServerResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = gate.foreign(req);
    if (refusal) return refuse(res, 403, refusal);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const offered = url.searchParams.get('token');
    if (offered !== null && req.method === 'GET' && url.pathname === '/') return gate.exchange(req, res, offered);
    if (!gate.hasSession(req)) return refuse(res, 401, 'Open the link Davlens printed when it started.');
    if (!url.pathname.startsWith('/api/')) return serveStatic(opts.rendererDir, req, res, url.pathname);
    if (req.headers[API_HEADER] !== '1') return refuse(res, 403, `API requests need the header ${API_HEADER}: 1.`);
    if (url.pathname !== EVENTS_PATH) return answerCall(api, req, res, url.pathname.slice('/api/'.length));
    if (req.method !== 'GET') return refuse(res, 405, 'Use GET.');
    openEvents(opts.service, sseClients, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) refuse(res, 400, e instanceof Error ? e.message : String(e));
      else res.destroy();
    });
  });
  const port = (gate.port = await listen(server, opts.port ?? 0));
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${gate.printedToken}`,
    origin,
    port,
    server,
    close: () =>
      new Promise<void>((done) => {
        for (const res of sseClients) res.end();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** The body, or null as soon as it passes `limit` (a Content-Length above it is refused before any byte). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolveBody, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) return resolveBody(null);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolveBody(null);
      } else {
        chunks.push(chunk);
      }
    };
    req.on('data', onData);
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
