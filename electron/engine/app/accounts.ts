// Accounts in the store: made from a discovery result, opened for a command or a host call.
import type { DiscoveryResult } from '../../../shared/discovery.ts';
import type { Connection } from '../remote/discovery.ts';
import { accountIdFor, type StoredAccount } from '../store/store.ts';

/** True when discovery found at least one usable service (not stopped for approval). */
export function foundAnyService(r: DiscoveryResult): boolean {
  return [r.caldav, r.carddav].some((s) => s !== null && s.needsApproval === null && s.principal !== null);
}

/**
 * The account to save after a discovery that found something; approvals and pins are remembered. A service
 * the account had and this discovery, asked the same way (server, user name), did not find (a timeout, a server
 * briefly down) is kept: dropping it would make the next sync remove its collections and their items. Asked
 * another way (the account moved), only what was found now counts: the password goes to no old server.
 * `basicOrigins`: where discovery's login with Basic worked, kept so that the first window and the first sync send
 * the password with their first request instead of waiting for a 401 each (a round trip apiece before the first
 * month shows; before, only a finished sync stored them).
 */
export function accountFromDiscovery(input: Connection, r: DiscoveryResult, previous: StoredAccount | null, basicOrigins: string[] = []): StoredAccount {
  const usable = (s: DiscoveryResult['caldav']) => (s && s.needsApproval === null && s.principal !== null ? s : null);
  const same = previous !== null && previous.options.server === input.server && previous.options.user === input.user;
  const caldav = usable(r.caldav) ?? (same ? previous.caldav : null);
  const carddav = usable(r.carddav) ?? (same ? previous.carddav : null);
  return {
    id: accountIdFor(input.email),
    email: input.email,
    username: caldav?.username ?? carddav?.username ?? null,
    caldav,
    carddav,
    approvedHosts: [...new Set([...(previous?.approvedHosts ?? []), ...(input.trustHosts ?? [])])],
    options: {
      user: input.user,
      server: input.server,
      dns: input.dns,
      ca: input.ca,
      insecureHttp: input.insecureHttp,
      pins: { ...(previous?.options.pins ?? {}), ...(input.pins ?? {}) },
      ...(basicOrigins.length > 0 ? { basicOrigins } : {}),
    },
    syncedAt: previous?.syncedAt ?? null,
    lastError: null,
    demo: false,
  };
}

/** The connection input for an account already in the store (its confirmed user name, approvals, pins). */
export function accountInput(account: StoredAccount, password: string, overrides: Partial<Connection> = {}): Connection {
  const o = account.options;
  return {
    email: account.email,
    password,
    user: account.username ?? o.user,
    server: o.server,
    dns: overrides.dns ?? o.dns,
    ca: [o.ca, overrides.ca].filter(Boolean).join('\n') || undefined,
    pins: { ...(o.pins ?? {}), ...(overrides.pins ?? {}) },
    trustHosts: [...account.approvedHosts, ...(overrides.trustHosts ?? [])],
    // Plain http stays allowed for an account discovered with it; --insecure-http on this run allows it too.
    insecureHttp: o.insecureHttp === true || overrides.insecureHttp === true,
    timeoutMs: overrides.timeoutMs,
    traceBodies: overrides.traceBodies,
    basicOrigins: o.basicOrigins,
  };
}
