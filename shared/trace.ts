// The trace is a feature, not debug output: every DNS query and HTTP exchange discovery or sync made, in
// order, printable as the equivalent command lines. Secrets are redacted before an entry is created.
import type { Step } from './errors.ts';

export interface DnsTraceEntry {
  kind: 'dns';
  step: Step;
  /** e.g. SRV _caldavs._tcp.example.com */
  type: 'SRV' | 'TXT' | 'A' | 'AAAA';
  name: string;
  /** The DNS server asked, or "system" for the resolver configured on the machine. */
  server: string;
  /** Answers as text, e.g. "0 5 443 dav.example.com" or "path=/dav". Empty when none. */
  answers: string[];
  /** DNS error code (ENOTFOUND, ENODATA, ETIMEOUT...) or null. */
  error: string | null;
  ms: number;
}

export interface HttpTraceEntry {
  kind: 'http';
  step: Step;
  method: string;
  url: string;
  /** Request headers as sent; Authorization is replaced by "<redacted>" (scheme kept). */
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  status: number | null;
  responseHeaders: Record<string, string>;
  /** Only when bodies were asked for (they hold personal data). */
  responseBody: string | null;
  /** Why the exchange failed without a status (timeout, TLS, refused), or null. */
  error: string | null;
  ms: number;
}

/** A sentence from a step: what it decided and why ("TXT path answered 404: trying /.well-known/caldav"). */
export interface NoteTraceEntry {
  kind: 'note';
  step: Step;
  service: 'caldav' | 'carddav' | null;
  message: string;
}

export type TraceEntry = DnsTraceEntry | HttpTraceEntry | NoteTraceEntry;
