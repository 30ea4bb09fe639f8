// The engine's one connection-options type, and the connection one account's operations share. A Connection
// is what the user gives (shared/discovery.ts's ConnectionOptions), the password, and what earlier runs
// learned; HTTP and the session each read the fields that concern them.
import type { ConnectionOptions } from '../../../shared/discovery.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import { Dns } from './dns.ts';
import { Http } from './http.ts';
import { Session } from './session.ts';
import { Trace } from './trace.ts';

export interface Connection extends ConnectionOptions {
  password: string;
  /** Origins known to take Basic login for this account (see Session). */
  basicOrigins?: string[];
}

/** The session, DNS and HTTP layer one account's operations share (discovery and a sync in one run, say). */
export interface OpenConnection {
  session: Session;
  dns: Dns;
  trace: Trace;
  http: Http;
  close(): Promise<void>;
}

export function openConnection(connection: Connection, onTrace?: (e: TraceEntry) => void): OpenConnection {
  const trace = new Trace(onTrace);
  const dns = new Dns(connection.dns ?? null, trace);
  const http = new Http(connection, trace, connection.dns ? dns : null);
  const session = new Session(connection, http, trace);
  return { session, dns, trace, http, close: () => http.close() };
}
