// The one error type of every layer. A DavlensError is a plain JSON value (no class) so it crosses IPC, HTTP
// and stdout unchanged; the UI and the CLI turn `code` into behaviour and show `message` to people.
// One way to raise it: throw a DavlensFailure (an Error carrying it, with a stack). One way to report it: as a
// value, in a Result or an answer's `errors[]`; errorOf() turns whatever was caught into one.

/** The stage of work an error or trace entry belongs to. */
export type Step =
  | 'input'
  | 'srv'
  | 'txt'
  | 'well-known'
  | 'context-path'
  | 'principal'
  | 'home-sets'
  | 'capabilities'
  | 'collections'
  | 'items'
  | 'parse'
  | 'export'
  | 'sync'
  /** Fetching a subscribed calendar's feed (webcal or ICS URL). */
  | 'feed'
  | 'store';

export type ErrorCode =
  /** The input itself is unusable (bad email, bad URL, bad flag). */
  | 'bad-input'
  /** DNS answered with an error or did not answer. */
  | 'dns-failed'
  /** An SRV record with the single target "." says the service is decidedly not offered there. */
  | 'service-not-offered'
  /** Nothing answered as a CalDAV/CardDAV service after every step was tried. */
  | 'service-not-found'
  /** The server refused the credentials (user name or password). */
  | 'auth-failed'
  /** An earlier rejection of the password stopped this step before it was tried. */
  | 'auth-stopped'
  /** The server's TLS certificate is not trusted (details in `certificate`). */
  | 'tls-untrusted'
  /** A pinned key did not match the key the server presented. */
  | 'tls-pin-mismatch'
  /** The service lives on a host outside the email's domain that the user has not approved. */
  | 'needs-approval'
  /** A plain-http URL or redirect was refused (no --insecure-http, or a downgrade from https). */
  | 'insecure-refused'
  /** Too many redirects, or a redirect back to a URL already visited. */
  | 'redirect-loop'
  /** A redirect without a usable Location. */
  | 'bad-redirect'
  | 'timeout'
  /** Connection refused, reset, or host unreachable. */
  | 'network'
  /** The server answered with an HTTP status the step cannot use. */
  | 'http-status'
  /** The server's body was not the XML the step needs (HTML error page, malformed, DTD, truncated). */
  | 'bad-response'
  /** The server's body was larger than the configured cap. */
  | 'response-too-large'
  /** One item (event, contact) could not be parsed; its neighbours are unaffected. */
  | 'item-unparsable'
  /** A subscribed feed breaks iCalendar's rules in a way Davlens works around: the message says what is shown instead. */
  | 'feed-defect'
  /** A series has more occurrences in the asked window than one answer holds; the first ones are shown. */
  | 'too-many-occurrences'
  /** A collection or item named by the user does not exist. */
  | 'not-found'
  /** The profile's store cannot be opened here (this Node lacks what it needs, or a newer Davlens wrote it). */
  | 'store-unavailable'
  | 'internal';

/** What a person needs to decide whether to trust a certificate. */
export interface CertificateInfo {
  host: string;
  port: number;
  /** SHA-256 of the certificate (DER), colon-separated hex, as browsers show it. */
  fingerprint256: string;
  /** The pin to trust it: `sha256//BASE64` of the SPKI, as `curl --pinnedpubkey` takes it. */
  spkiPin: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** OpenSSL's reason, e.g. DEPTH_ZERO_SELF_SIGNED_CERT or ERR_TLS_CERT_ALTNAME_INVALID. */
  reason: string;
}

export interface DavlensError {
  code: ErrorCode;
  /** A sentence a person can act on. */
  message: string;
  step: Step;
  url: string | null;
  status: number | null;
  /** Set for tls-untrusted and tls-pin-mismatch. */
  certificate?: CertificateInfo;
  /** Set for needs-approval: the host that would receive the password. */
  host?: string;
  /** For an item error: the item's href. */
  href?: string;
}

export function davlensError(code: ErrorCode, message: string, step: Step, extra: Partial<Omit<DavlensError, 'code' | 'message' | 'step'>> = {}): DavlensError {
  return { code, message, step, url: extra.url ?? null, status: extra.status ?? null, ...stripNullish(extra) };
}

function stripNullish<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function isDavlensError(v: unknown): v is DavlensError {
  return typeof v === 'object' && v !== null && 'code' in v && 'message' in v && 'step' in v;
}

/** The one exception the engine throws: it carries the DavlensError that will be reported. */
export class DavlensFailure extends Error {
  readonly error: DavlensError;
  constructor(error: DavlensError) {
    super(error.message);
    this.name = 'DavlensFailure';
    this.error = error;
  }
}

/** What a caught value reports: a DavlensFailure's error, or an internal error naming what failed. */
export function errorOf(e: unknown, what: string, step: Step): DavlensError {
  if (e instanceof DavlensFailure) return e.error;
  return davlensError('internal', `${what} failed: ${e instanceof Error ? e.message : String(e)}`, step);
}
