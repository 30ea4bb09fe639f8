// HTTP authentication: RFC 7235 challenge parsing, RFC 7616 Digest, RFC 7617 Basic.
// Pure: no I/O. The caller keeps the DigestState between requests to reuse the nonce.
import { createHash } from 'node:crypto';

export interface AuthChallenge {
  /** Lower-case, e.g. 'basic', 'digest'. */
  scheme: string;
  /** Lower-case keys, unquoted and unescaped values. */
  params: Record<string, string>;
  /** Set when the challenge carries a token68 instead of parameters (e.g. Negotiate). */
  token68?: string;
}

// ---- RFC 7235 challenge parsing ----

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

/** A cursor over one header value; the grammar needs a little lookahead, so positions are explicit. */
class Cursor {
  s: string;
  i = 0;
  constructor(s: string) {
    this.s = s;
  }
  get done(): boolean {
    return this.i >= this.s.length;
  }
  peek(): string {
    return this.s[this.i] ?? '';
  }
  skipWs(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }
  skipWsAndCommas(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.i++;
  }
  token(): string {
    const start = this.i;
    while (!this.done && TCHAR.test(this.peek())) this.i++;
    return this.s.slice(start, this.i);
  }
  quoted(): string {
    this.i++; // opening quote
    let out = '';
    while (!this.done && this.peek() !== '"') {
      if (this.peek() === '\\' && this.i + 1 < this.s.length) this.i++;
      out += this.peek();
      this.i++;
    }
    this.i++; // closing quote (or past the end when unterminated: take what there is)
    return out;
  }
  /** Lookahead: is the cursor at `token BWS "=" BWS (token / quoted-string)`, i.e. an auth-param? */
  atAuthParam(): boolean {
    const save = this.i;
    const name = this.token();
    this.skipWs();
    let ok = false;
    if (name !== '' && this.peek() === '=') {
      this.i++;
      this.skipWs();
      // A second "=" or nothing after it means token68 padding, not a parameter value.
      ok = this.peek() === '"' || (this.peek() !== '' && this.peek() !== '=' && this.peek() !== ',');
    }
    this.i = save;
    return ok;
  }
  /** Lookahead-and-consume a token68 that stands alone up to the next comma or the end. */
  token68(): string | null {
    const save = this.i;
    while (!this.done && TOKEN68_CHAR.test(this.peek())) this.i++;
    while (this.peek() === '=') this.i++;
    const value = this.s.slice(save, this.i);
    this.skipWs();
    if (value !== '' && (this.done || this.peek() === ',')) return value;
    this.i = save;
    return null;
  }
}

function parseParams(c: Cursor, params: Record<string, string>): void {
  while (c.atAuthParam()) {
    const name = c.token().toLowerCase();
    c.skipWs();
    c.i++; // "="
    c.skipWs();
    let value: string;
    if (c.peek() === '"') {
      value = c.quoted();
    } else {
      // Lenient: servers put '/' and the like in unquoted values, so read to the next separator.
      const start = c.i;
      while (!c.done && !/[\s,]/.test(c.peek())) c.i++;
      value = c.s.slice(start, c.i);
    }
    if (!(name in params)) params[name] = value; // RFC 7235: each name only once; keep the first
    c.skipWsAndCommas();
  }
}

/** Parses every challenge of every WWW-Authenticate (or Proxy-Authenticate) header line. */
export function parseWwwAuthenticate(headerValues: string[]): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  for (const value of headerValues) {
    const c = new Cursor(value);
    for (;;) {
      c.skipWsAndCommas();
      if (c.done) break;
      const scheme = c.token();
      if (scheme === '') {
        c.i++; // garbage character: skip it rather than give up on the rest of the line
        continue;
      }
      // Scheme names are case-insensitive (RFC 9110 §11.1; quirk lower-case-auth-scheme: SOGo writes "basic").
      const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: Object.create(null) as Record<string, string> };
      challenges.push(challenge);
      c.skipWs();
      if (c.atAuthParam()) {
        parseParams(c, challenge.params);
      } else {
        const t68 = c.token68();
        if (t68 !== null) challenge.token68 = t68;
      }
    }
  }
  return challenges;
}

// ---- RFC 7616 Digest ----

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

export interface DigestState {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: DigestAlgorithm;
  /** null: an RFC 2069 server that offered no qop. */
  qop: 'auth' | null;
  /** Requests already sent with this nonce; the next one uses nc + 1. */
  nc: number;
  userhash: boolean;
  stale: boolean;
}

const ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'];

/** The Digest parameters we can answer, or null (unsupported algorithm, only qop=auth-int, no nonce). */
export function digestStateFromChallenge(c: AuthChallenge): DigestState | null {
  if (c.scheme !== 'digest') return null;
  // realm, nonce and opaque go back in the Authorization header: a quoted-string holds no control characters
  // (RFC 9110 §5.6.4), and one that did would split the header (found by fuzzing). Such a challenge is unusable.
  if (Object.values(c.params).some((v) => /[\u0000-\u0008\u000a-\u001f\u007f]/.test(v))) return null;
  const nonce = c.params.nonce;
  if (nonce === undefined) return null;
  const wanted = (c.params.algorithm ?? 'MD5').toLowerCase();
  const algorithm = ALGORITHMS.find((a) => a.toLowerCase() === wanted);
  if (!algorithm) return null;
  let qop: 'auth' | null = null;
  if (c.params.qop !== undefined) {
    const offered = c.params.qop.split(',').map((q) => q.trim().toLowerCase());
    if (!offered.includes('auth')) return null; // auth-int needs the body hash: not supported
    qop = 'auth';
  }
  const state: DigestState = {
    realm: c.params.realm ?? '',
    nonce,
    algorithm,
    qop,
    nc: 0,
    userhash: (c.params.userhash ?? '').toLowerCase() === 'true',
    stale: (c.params.stale ?? '').toLowerCase() === 'true',
  };
  if (c.params.opaque !== undefined) state.opaque = c.params.opaque;
  return state;
}

function hasher(algorithm: DigestAlgorithm): (data: string) => string {
  const name = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  return (data) => createHash(name).update(data, 'utf8').digest('hex');
}

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** RFC 8187 ext-value: UTF-8 bytes, everything but attr-char percent-encoded. */
export function encodeExtValue(value: string): string {
  let out = "UTF-8''";
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9!#$&+\-.^_`|~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The Authorization value for the next request on this nonce, and the state to keep for the one after. */
export function digestAuthorization(
  state: DigestState,
  input: { username: string; password: string; method: string; uri: string; cnonce: string },
): { header: string; state: DigestState } {
  const H = hasher(state.algorithm);
  const next = { ...state, nc: state.nc + 1 };
  const nc = next.nc.toString(16).padStart(8, '0');
  const sess = state.algorithm.endsWith('-sess');

  let ha1 = H(`${input.username}:${state.realm}:${input.password}`);
  if (sess) ha1 = H(`${ha1}:${state.nonce}:${input.cnonce}`);
  const ha2 = H(`${input.method}:${input.uri}`);
  const response = state.qop === 'auth' ? H(`${ha1}:${state.nonce}:${nc}:${input.cnonce}:auth:${ha2}`) : H(`${ha1}:${state.nonce}:${ha2}`); // RFC 2069 compatibility

  const parts: string[] = [];
  if (state.userhash) parts.push(`username=${quote(H(`${input.username}:${state.realm}`))}`);
  else if (/[\u0080-\uffff]/.test(input.username)) parts.push(`username*=${encodeExtValue(input.username)}`);
  else parts.push(`username=${quote(input.username)}`);
  parts.push(`realm=${quote(state.realm)}`, `uri=${quote(input.uri)}`, `algorithm=${state.algorithm}`, `nonce=${quote(state.nonce)}`);
  if (state.qop === 'auth') parts.push(`nc=${nc}`, `cnonce=${quote(input.cnonce)}`, 'qop=auth');
  else if (sess) parts.push(`cnonce=${quote(input.cnonce)}`); // the server needs it to rebuild the -sess A1
  parts.push(`response=${quote(response)}`);
  if (state.opaque !== undefined) parts.push(`opaque=${quote(state.opaque)}`);
  if (state.userhash) parts.push('userhash=true');
  return { header: `Digest ${parts.join(', ')}`, state: next };
}

// ---- choosing, and Basic ----

function rank(c: AuthChallenge): number {
  if (c.scheme === 'basic') return 2;
  const d = digestStateFromChallenge(c);
  if (!d) return -1;
  return d.algorithm.startsWith('SHA-256') ? 0 : 1;
}

/** Prefers Digest SHA-256, then Digest MD5, then Basic; the first offered wins a tie. */
export function chooseChallenge(challenges: AuthChallenge[]): AuthChallenge | null {
  let best: AuthChallenge | null = null;
  let bestRank = Infinity;
  for (const c of challenges) {
    const r = rank(c);
    if (r >= 0 && r < bestRank) {
      best = c;
      bestRank = r;
    }
  }
  return best;
}

/** RFC 7617 with charset=UTF-8: UTF-8 bytes, so any name or password encodes. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
