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

/**
 * While a run stores collection after collection, the views show the first at once and then refresh at most this
 * often (and once more when the run ends). Each refresh reads the visible range again, thousands of occurrences on a
 * busy calendar, from the engine that is syncing, while the page lays them out on the same cores: bench:ui's new
 * account (four collections, 15,000 items, 6,000 occurrences on screen) took 3.5-3.7 s to sync in the app with a
 * refresh after every collection (and two reads of the range, and its neighbours read ahead, each time), 2.4-3.0 s
 * now; the same engine left alone takes 1.6 s.
 */
const RUN_REFRESH_MS = 1000;

/** `refresh` for each collection a run stores: the first at once, then at most once per RUN_REFRESH_MS. */
function runRefresher(refresh: () => void): { stored(): void; reset(): void } {
  let refreshedAt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const now = (): void => {
    timer = null;
    refreshedAt = Date.now();
    refresh();
  };
  return {
    stored() {
      const wait = refreshedAt + RUN_REFRESH_MS - Date.now();
      if (wait <= 0) now();
      else timer ??= setTimeout(now, wait);
    },
    reset() {
      if (timer) clearTimeout(timer);
      timer = null;
      refreshedAt = 0;
    },
  };
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

  // One state change with the new version: set apart, the new collection list and then the version each made the
  // calendar read its range again (two identical reads of thousands of occurrences after every stored collection).
  const dataChanged = useCallback(() => {
    void Promise.all([client.listAccounts(), client.listCollections()]).then(([accounts, collections]) =>
      setState((s) => ({
        ...s,
        ...(accounts.ok ? { accounts: accounts.value } : {}),
        ...(collections.ok ? { collections: collections.value } : {}),
        dataVersion: s.dataVersion + 1,
      })),
    );
  }, [client]);

  useEffect(() => {
    void reload();
    const inRun = runRefresher(dataChanged);
    const stopListening = client.onProgress((e) => {
      // A new account's first days are in: its calendars and their events can be shown.
      if (e.type === 'window') dataChanged();
      if (e.type !== 'sync') return;
      setState((s) => ({ ...s, sync: e.status }));
      // The collections a run stores show as they come (the first at once, then at most once per RUN_REFRESH_MS):
      // a new account's calendars fill in while it syncs.
      const changed = e.status.collections.filter((c) => c.added + c.changed + c.deleted > 0).length;
      if (e.status.running && changed > storedInRun.current) inRun.stored();
      storedInRun.current = e.status.running ? changed : 0;
      if (wasRunning.current && !e.status.running) {
        // The run's end shows everything it stored: a refresh still waiting is this one.
        inRun.reset();
        dataChanged();
      }
      wasRunning.current = e.status.running;
    });
    return () => {
      stopListening();
      inRun.reset();
    };
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
