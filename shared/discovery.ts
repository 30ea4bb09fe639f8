import type { DavlensError } from './errors.ts';
import type { TraceEntry } from './trace.ts';

export type ServiceKind = 'caldav' | 'carddav';

/** How the service's context URL was found. */
export type DiscoveryVia = 'srv' | 'well-known' | 'manual';

export interface ServiceResult {
  /** The context URL PROPFIND started from (after redirects). */
  context: string;
  via: DiscoveryVia;
  /** The current-user-principal URL, or null when stopped before it. */
  principal: string | null;
  /** calendar-home-set or addressbook-home-set URLs. */
  homeSets: string[];
  /**
   * CalDAV: the principal's scheduling inbox and outbox (RFC 6638 schedule-inbox-URL, schedule-outbox-URL),
   * never listed as calendars. Absent in accounts stored before Davlens asked for them.
   */
  scheduling?: string[];
  /** The user name the server accepted, or null when stopped before logging in. */
  username: string | null;
  /** The service host is outside the email's domain. */
  offDomain: boolean;
  /** Set when discovery stopped because this host needs the user's approval before it gets the password. */
  needsApproval: string | null;
}

/** The steps of discovery as a person follows them, in order. */
export const DISCOVERY_STEPS = ['server-url', 'srv', 'txt', 'well-known', 'principal', 'home-sets'] as const;
export type DiscoveryStep = (typeof DISCOVERY_STEPS)[number];

/**
 * How a step ended: done (it gave what the next step needed), not-found (it ran and there was nothing there, such
 * as no DNS record), failed (an error: no answer, a host that does not resolve, an HTTP error), waiting (stopped
 * for the user's approval of a host), skipped (it did not run, and `detail` says why).
 */
export type DiscoveryStepOutcome = 'done' | 'not-found' | 'failed' | 'waiting' | 'skipped';

export interface DiscoveryStepRecord {
  step: DiscoveryStep;
  service: ServiceKind;
  outcome: DiscoveryStepOutcome;
  /** What ran and how it ended (or why it did not run), as one sentence. */
  detail: string;
}

export interface DiscoveryResult {
  caldav: ServiceResult | null;
  carddav: ServiceResult | null;
  errors: DavlensError[];
  trace: TraceEntry[];
  /** Each service's steps, CalDAV's then CardDAV's, every step once in DISCOVERY_STEPS order. */
  steps: DiscoveryStepRecord[];
}

/** Everything discovery and every later network command take from the user. */
export interface ConnectionOptions {
  email: string;
  /** Overrides the user name candidates (full address, then local part). */
  user?: string;
  /** A principal, home-set or collection URL: skips DNS and well-known. */
  server?: string;
  /** host:port of the DNS server for SRV, TXT and host lookups. */
  dns?: string;
  /** PEM file contents of extra trusted CAs. */
  ca?: string;
  /** host:port -> "sha256//BASE64" */
  pins?: Record<string, string>;
  /** Hosts approved to receive the password although outside the email's domain. */
  trustHosts?: string[];
  insecureHttp?: boolean;
  /** Record request and response bodies in the trace. */
  traceBodies?: boolean;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
  /** Largest accepted response body in bytes. */
  maxResponseBytes?: number;
}
