// The one way components reach the engine: the DavlensClient from the app root, through context.
import { createContext, useContext } from 'react';
import type { ReactElement, ReactNode } from 'react';
import type { DavlensClient } from '../../../shared/api.ts';
import type { HostEvent } from '../../../shared/host-events.ts';

const ClientContext = createContext<DavlensClient | null>(null);

export function ClientProvider({ client, children }: { client: DavlensClient; children: ReactNode }): ReactElement {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): DavlensClient {
  const c = useContext(ClientContext);
  if (!c) throw new Error('useClient outside ClientProvider');
  return c;
}

/** Host menu commands, when the transport offers them (desktop only; the browser never fires). */
export function subscribeHostEvents(client: DavlensClient, listener: (e: HostEvent) => void): () => void {
  const source = client as DavlensClient & { onHostEvent?: (l: (e: HostEvent) => void) => () => void };
  return typeof source.onHostEvent === 'function' ? source.onHostEvent(listener) : () => {};
}
