// Sync runs for the long-lived hosts (Electron, the browser mode): one run at a time, every account with a
// password in the vault, on a timer and on request; its progress goes out as events.
import type { ProgressEvent, SyncCollectionReport, SyncStatus } from '../../../shared/api.ts';
import type { Engine, HostConnection } from './engine.ts';
import type { PasswordVault } from './types.ts';

export interface BackgroundSync {
  /** Syncs the given account (default: all with a password); a call during a run waits for that run. */
  run(accountId?: string): Promise<SyncStatus>;
  status(): SyncStatus;
  /** (Re)starts the timer: every `minutes`, none for 0. */
  schedule(minutes: number): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export function backgroundSync(engine: Engine, vault: PasswordVault, host: HostConnection, emit: (e: ProgressEvent) => void): BackgroundSync {
  let running: Promise<SyncStatus> | null = null;
  let lastRun: SyncCollectionReport[] = [];
  let timer: NodeJS.Timeout | null = null;

  const status = (): SyncStatus => ({
    running: running !== null,
    accounts: engine.store
      .listAccounts()
      .filter((a) => !a.demo)
      .map((a) => ({ accountId: a.id, syncedAt: a.syncedAt, error: a.lastError })),
    collections: lastRun,
  });

  const onCollection = (r: SyncCollectionReport) => {
    lastRun.push(r);
    emit({ type: 'sync', status: status() });
  };

  async function syncAll(accountId?: string): Promise<SyncStatus> {
    emit({ type: 'sync', status: status() });
    for (const a of engine.store.listAccounts()) {
      if (a.demo || (accountId && a.id !== accountId)) continue;
      const password = await vault.get(a.id);
      if (password !== null) await engine.sync(a, password, host, { onCollection });
    }
    return status();
  }

  function run(accountId?: string): Promise<SyncStatus> {
    // The status is read after the run is marked finished, so it says running: false.
    if (running) return running.then(status);
    lastRun = [];
    running = syncAll(accountId).finally(() => {
      running = null;
      emit({ type: 'sync', status: status() });
    });
    return running.then(status);
  }

  return {
    run,
    status,
    schedule(minutes) {
      if (timer) clearInterval(timer);
      timer = null;
      if (minutes > 0) {
        timer = setInterval(() => void run().catch(() => undefined), minutes * 60_000);
        timer.unref();
      }
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
