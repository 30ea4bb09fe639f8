// Sync runs for the long-lived hosts (Electron, the browser mode): one run at a time, every account with a
// password in the vault, on a timer and on request; its progress goes out as events. Subscribed calendars are
// refreshed in the same runs: each when its own interval has passed (checked every minute), every one when the
// user asks (a conditional GET: an unchanged feed costs one 304).
import type { ProgressEvent, SyncCollectionReport, SyncStatus } from '../../../shared/api.ts';
import type { Engine, HostConnection } from './engine.ts';
import { isDue } from './subscriptions.ts';
import type { PasswordVault } from './types.ts';

/** The vault's key for a subscription's password (accounts' keys are their ids, which hold an '@'). */
export function subscriptionVaultKey(id: number): string {
  return `subscription:${id}`;
}

/** How often due subscriptions are looked for. */
const FEED_CHECK_MS = 60_000;

export interface BackgroundSync {
  /**
   * Syncs the given account, or every account with a password and every subscription; a call during a run waits
   * for that run.
   */
  run(accountId?: string): Promise<SyncStatus>;
  status(): SyncStatus;
  /** (Re)starts the timer: every `minutes`, none for 0. */
  schedule(minutes: number): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * `now` is the clock subscriptions are found due by and their refreshes stamped with (one clock for both: a test's
 * moves them together).
 */
export function backgroundSync(engine: Engine, vault: PasswordVault, host: HostConnection, emit: (e: ProgressEvent) => void, now = Date.now): BackgroundSync {
  let running: Promise<SyncStatus> | null = null;
  let lastRun: SyncCollectionReport[] = [];
  let timer: NodeJS.Timeout | null = null;
  const feedTimer = setInterval(() => void runDueFeeds().catch(() => undefined), FEED_CHECK_MS);
  feedTimer.unref();

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
    for (const a of engine.store.listAccounts()) {
      if (a.demo || (accountId && a.id !== accountId)) continue;
      const password = await vault.get(a.id);
      if (password !== null) await engine.sync(a, password, host, { onCollection });
    }
    if (!accountId) await refreshFeeds(true);
    return status();
  }

  /** Every subscription (`all`) or those due; one that asks for a login it has no password for waits for one. */
  async function refreshFeeds(all: boolean): Promise<void> {
    for (const s of engine.subscriptions()) {
      if (!all && !isDue(s, now())) continue;
      const password = s.options.user !== undefined ? ((await vault.get(subscriptionVaultKey(s.id))) ?? undefined) : undefined;
      if (s.options.user !== undefined && password === undefined) continue;
      onCollection((await engine.refreshSubscription(s, password, host, { now })).report);
    }
  }

  /** Due subscriptions, between sync runs (a run refreshes them all). */
  async function runDueFeeds(): Promise<void> {
    if (running || !engine.subscriptions().some((s) => isDue(s, now()))) return;
    lastRun = [];
    running = refreshFeeds(false).then(status);
    emit({ type: 'sync', status: status() });
    try {
      await running;
    } finally {
      running = null;
      emit({ type: 'sync', status: status() });
    }
  }

  function run(accountId?: string): Promise<SyncStatus> {
    // The status is read after the run is marked finished, so it says running: false.
    if (running) return running.then(status);
    lastRun = [];
    running = syncAll(accountId).finally(() => {
      running = null;
      emit({ type: 'sync', status: status() });
    });
    // Told once the run is marked running (emitted from syncAll's first line, it said running: false, and the views
    // learned of the run only when it stored its first collection).
    emit({ type: 'sync', status: status() });
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
      clearInterval(feedTimer);
      await running?.catch(() => undefined);
    },
  };
}
