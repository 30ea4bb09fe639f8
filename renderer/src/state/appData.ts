// The app-wide data every screen shares: accounts, collections, settings and sync status, kept fresh by
// the engine's progress events. Components read it from one hook; each change goes through the client.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AccountSummary, CollectionsView, DavlensClient, Settings, SyncStatus } from '../../../shared/api.ts';
import { DEFAULT_SETTINGS } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';

export interface AppData {
  accounts: AccountSummary[] | null;
  collections: CollectionsView | null;
  settings: Settings | null;
  sync: SyncStatus | null;
  loadError: DavlensError | null;
  /** Bumps whenever synced data may have changed: views refetch on it. */
  dataVersion: number;
}

export interface AppActions {
  reload(): Promise<void>;
  refreshAccounts(): Promise<AccountSummary[] | null>;
  updateSettings(patch: Partial<Settings>): Promise<void>;
  syncNow(accountId?: string): Promise<DavlensError | null>;
  dataChanged(): void;
}

export function useAppData(client: DavlensClient): [AppData, AppActions] {
  const [state, setState] = useState<AppData>({ accounts: null, collections: null, settings: null, sync: null, loadError: null, dataVersion: 0 });
  const wasRunning = useRef(false);
  /** Collections with changes the current run has stored (and the view shows). */
  const storedInRun = useRef(0);

  const refreshAccounts = useCallback(async () => {
    const r = await client.listAccounts();
    if (r.ok) setState((s) => ({ ...s, accounts: r.value }));
    return r.ok ? r.value : null;
  }, [client]);

  const refreshCollections = useCallback(async () => {
    const r = await client.listCollections();
    if (r.ok) setState((s) => ({ ...s, collections: r.value }));
  }, [client]);

  const reload = useCallback(async () => {
    const [accounts, collections, settings, sync] = await Promise.all([
      client.listAccounts(),
      client.listCollections(),
      client.getSettings(),
      client.syncStatus(),
    ]);
    const firstError = [accounts, collections, settings].find((r) => !r.ok);
    setState((s) => ({
      accounts: accounts.ok ? accounts.value : (s.accounts ?? []),
      collections: collections.ok ? collections.value : (s.collections ?? { calendars: [], addressbooks: [], subscriptions: [] }),
      settings: settings.ok ? settings.value : (s.settings ?? DEFAULT_SETTINGS),
      sync: sync.ok ? sync.value : s.sync,
      loadError: firstError && !firstError.ok ? firstError.error : null,
      dataVersion: s.dataVersion + 1,
    }));
  }, [client]);

  const dataChanged = useCallback(() => {
    void Promise.all([refreshAccounts(), refreshCollections()]).then(() => setState((s) => ({ ...s, dataVersion: s.dataVersion + 1 })));
  }, [refreshAccounts, refreshCollections]);

  useEffect(() => {
    void reload();
    return client.onProgress((e) => {
      // A new account's first days are in: its calendars and their events can be shown.
      if (e.type === 'window') dataChanged();
      if (e.type !== 'sync') return;
      setState((s) => ({ ...s, sync: e.status }));
      // Each collection a run stores shows at once: a new account's calendars fill in one by one.
      const changed = e.status.collections.filter((c) => c.added + c.changed + c.deleted > 0).length;
      if (e.status.running && changed > storedInRun.current) dataChanged();
      storedInRun.current = e.status.running ? changed : 0;
      if (wasRunning.current && !e.status.running) dataChanged();
      wasRunning.current = e.status.running;
    });
  }, [client, reload, dataChanged]);

  const updateSettings = useCallback(
    async (patch: Partial<Settings>) => {
      // Optimistic: the view follows at once; the engine's answer is the truth.
      setState((s) => ({ ...s, settings: { ...(s.settings ?? DEFAULT_SETTINGS), ...patch } }));
      const r = await client.updateSettings(patch);
      if (r.ok) setState((s) => ({ ...s, settings: r.value }));
    },
    [client],
  );

  const syncNow = useCallback(
    async (accountId?: string) => {
      setState((s) => ({ ...s, sync: s.sync ? { ...s.sync, running: true } : { running: true, accounts: [], collections: [] } }));
      wasRunning.current = true;
      const r = await client.syncNow(accountId ? { accountId } : {});
      wasRunning.current = false;
      if (r.ok) setState((s) => ({ ...s, sync: r.value }));
      else setState((s) => ({ ...s, sync: s.sync ? { ...s.sync, running: false } : null }));
      dataChanged();
      return r.ok ? null : r.error;
    },
    [client, dataChanged],
  );

  return [state, { reload, refreshAccounts, updateSettings, syncNow, dataChanged }];
}
