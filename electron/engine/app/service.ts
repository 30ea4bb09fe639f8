// The engine behind the API contract (shared/api.ts): what the Electron utility process and the
// browser-mode server host. It adapts the application layer (engine.ts) to the contract: every method returns
// a Result and never throws across the boundary; passwords live in the host's vault; sync runs in the background.
import { randomUUID } from 'node:crypto';
import type {
  AccountSummary,
  AddAccountOutcome,
  AddAccountRequest,
  CalendarView,
  CollectionsView,
  DavlensApi,
  SubscriptionView,
  ProgressEvent,
  Result,
  Settings,
} from '../../../shared/api.ts';
import { DEFAULT_SETTINGS, fail, ok } from '../../../shared/api.ts';
import { DavlensFailure, davlensError, errorOf } from '../../../shared/errors.ts';
import { canonicalUrl } from '../../../shared/href.ts';
import type { AddressBook, Calendar } from '../../../shared/models.ts';
import { preloadHttpClient } from '../remote/discovery.ts';
import { accountIdFor, type StoredAccount } from '../store/store.ts';
import { backgroundSync, subscriptionVaultKey, type BackgroundSync } from './background-sync.ts';
import { defaultDemoDir, loadDemo } from './demo.ts';
import { contactDetailsOf, eventDetailsOf, exportFileOf } from './details.ts';
import { firstWindows, type FirstWindows } from './first-windows.ts';
import { birthdaysCalendar } from '../../../shared/birthdays.ts';
import { byStart } from './queries.ts';
import { Engine, type HostConnection } from './engine.ts';
import { readLocalFile } from './local-file.ts';
import { OFF_THREAD_CHARS, readOffThread } from './off-thread.ts';
import type { DavlensService, PasswordVault, ServiceOptions } from './types.ts';
import type { StoredSubscription } from '../store/store.ts';

/** Runs a method body: a DavlensFailure becomes an error Result; anything else an internal error. */
async function guard<T>(what: string, fn: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (e) {
    return fail(errorOf(e, what, 'store'));
  }
}

function notFound(accountId: string): DavlensFailure {
  return new DavlensFailure(davlensError('not-found', `There is no account ${accountId}.`, 'store'));
}

/**
 * How long a new account's full sync waits after its window is in for the view to read and draw it (it starts as
 * soon as the view says it has drawn it: windowDrawn). Started at once, the sync's listing and the month being drawn
 * shared the machine: bench:ui's first month (Radicale on the same two cores) was painted 40 ms later (medians of 6
 * interleaved runs, 721 -> 680 ms); started once the view had read the window, the listing still ran while the page
 * parsed the answer and FullCalendar laid the month out: waiting for windowDrawn, 609 -> 546 ms (7 interleaved runs).
 */
const WINDOW_HANDOVER_MS = 1000;

/** What the service's parts share. */
interface Parts {
  engine: Engine;
  vault: PasswordVault;
  sync: BackgroundSync;
  /** New accounts' first windows, shown while their first sync runs. */
  windows: FirstWindows;
  host: HostConnection;
  emit: (e: ProgressEvent) => void;
  settings: () => Settings;
}

export async function createDavlensService(opts: ServiceOptions & { demoDir?: string; readerWorker?: string }): Promise<DavlensService> {
  const engine = Engine.open(opts.profileDir, { readerWorker: opts.readerWorker });
  const listeners = new Set<(e: ProgressEvent) => void>();
  const emit = (e: ProgressEvent) => {
    for (const l of listeners) l(e);
  };
  const host: HostConnection = { dns: opts.dns, ca: opts.ca };
  const sync = backgroundSync(engine, opts.vault, host, emit);
  const settings = (): Settings => ({ ...DEFAULT_SETTINGS, ...(engine.store.getSetting<Partial<Settings>>('ui') ?? {}) });
  sync.schedule(opts.syncIntervalMinutes ?? settings().syncIntervalMinutes);
  // A long-lived host: the HTTP client loads now, not with discovery's first request after "Connect".
  preloadHttpClient();
  const parts: Parts = { engine, vault: opts.vault, sync, windows: firstWindows(engine, opts.vault, host), host, emit, settings };
  return {
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await sync.stop();
      engine.close();
    },
    ...accountMethods(parts, opts.demoDir),
    ...libraryMethods(parts, opts.readerWorker),
    ...subscriptionMethods(parts),
    syncNow: ({ accountId }) => guard('Syncing', () => sync.run(accountId)),
    syncStatus: () => guard('Reading the sync status', () => sync.status()),
    getSettings: () => guard('Reading settings', () => settings()),
    updateSettings: (patch: Partial<Settings>) =>
      guard('Saving settings', () => {
        // Stored URLs are canonical (href.ts): a hidden calendar named in another spelling is hidden all the same.
        const next = { ...settings(), ...patch, ...(patch.hiddenCalendars ? { hiddenCalendars: patch.hiddenCalendars.map(canonicalUrl) } : {}) };
        engine.store.setSetting('ui', next);
        if (patch.syncIntervalMinutes !== undefined) sync.schedule(opts.syncIntervalMinutes ?? next.syncIntervalMinutes);
        return next;
      }),
  };
}

type AccountMethods = Pick<DavlensApi, 'listAccounts' | 'addAccount' | 'windowDrawn' | 'removeAccount' | 'setPassword' | 'openDemo'>;

function accountMethods({ engine, vault, sync, windows, host, emit }: Parts, demoDir: string | undefined): AccountMethods {
  async function summary(a: StoredAccount): Promise<AccountSummary> {
    const hasPassword = a.demo || (await vault.get(a.id)) !== null;
    const { id, email, username, caldav, carddav, approvedHosts, syncedAt, demo, lastError } = a;
    return {
      id,
      email,
      username,
      caldav,
      carddav,
      approvedHosts,
      syncedAt,
      needsPassword: !demo && (!hasPassword || lastError?.code === 'auth-failed'),
      demo,
      lastError,
    };
  }
  return {
    listAccounts: () => guard('Listing accounts', () => Promise.all(engine.store.listAccounts().map(summary))),

    addAccount: (req: AddAccountRequest) =>
      guard('Adding the account', async (): Promise<AddAccountOutcome> => {
        const operationId = req.operationId ?? randomUUID();
        const { operationId: _, window: days, ...asked } = req;
        const added = await engine.addAccount(
          { ...host, ...asked, user: req.user || undefined, server: req.server || undefined, dns: req.dns || host.dns },
          { onTrace: (entry) => emit({ type: 'trace', operationId, entry }) },
        );
        const { discovery, account } = added;
        if (added.approval) return { status: 'needs-approval', host: added.approval, discovery };
        if (!account)
          return added.certificate ? { status: 'untrusted-certificate', certificate: added.certificate, discovery } : { status: 'failed', discovery };
        await vault.set(account.id, req.password);
        // The days on screen first (the UI hears of them by a 'window' event and asks for them), then the full
        // sync: one after the other, so neither waits for the server behind the other, and the sync's first
        // request, the one that costs a server most (Radicale reads every item for the change markers), leaves the
        // server and the engine to the month being drawn (see WINDOW_HANDOVER_MS). A window that failed all the
        // same leaves the sync to run.
        const first = days && account.syncedAt === null ? windows.start(account, req.password, days) : null;
        void (async () => {
          if (first) {
            await first.catch(() => undefined);
            emit({ type: 'window', accountId: account.id });
            await windows.handedOver(account.id, WINDOW_HANDOVER_MS);
          }
          await sync.run(account.id);
        })().catch(() => undefined);
        return { status: 'added', account: await summary(account), discovery };
      }),

    windowDrawn: () =>
      guard('Starting the sync', () => {
        windows.drawn();
        return null;
      }),

    removeAccount: ({ accountId }) =>
      guard('Removing the account', async () => {
        windows.forget(accountIdFor(accountId));
        if (!engine.store.removeAccount(accountId)) throw notFound(accountId);
        await vault.delete(accountIdFor(accountId));
        return null;
      }),

    setPassword: ({ accountId, password }) =>
      guard('Saving the password', async () => {
        const a = engine.account(accountId);
        if (!a) throw notFound(accountId);
        await vault.set(a.id, password);
        engine.store.setAccountSyncState(a.id, null, null);
        void sync.run(a.id).catch(() => undefined);
        return summary(engine.account(a.id)!);
      }),

    openDemo: () => guard('Opening the demo', () => summary(loadDemo(engine.store, demoDir ?? defaultDemoDir()))),
  };
}

type LibraryMethods = Pick<
  DavlensApi,
  'listCollections' | 'occurrences' | 'eventDetails' | 'contacts' | 'groups' | 'contactDetails' | 'exportFile' | 'saveExport' | 'openLocalFile'
>;

function libraryMethods({ engine, settings, windows, vault }: Parts, readerWorker: string | undefined): LibraryMethods {
  return {
    listCollections: () =>
      guard('Listing calendars', async (): Promise<CollectionsView> => {
        const hidden = new Set(settings().hiddenCalendars);
        const calendars: CalendarView[] = [];
        const addressbooks: CollectionsView['addressbooks'] = [];
        for (const c of engine.store.listCollections()) {
          // A subscription's calendar is listed as the subscription (below).
          if (c.accountId === null) continue;
          if (c.kind === 'calendar')
            calendars.push({ ...(c.props as Calendar), accountId: c.accountId, kind: 'calendar', hidden: hidden.has(c.url), count: engine.store.counts(c.id) });
          else addressbooks.push({ ...(c.props as AddressBook), accountId: c.accountId, count: engine.store.counts(c.id, { people: true }) });
        }
        for (const c of windows.calendars(hidden)) if (!calendars.some((s) => s.url === c.url)) calendars.push(c);
        // Each account with address books has its Birthdays calendar (made from them).
        for (const accountId of new Set(addressbooks.map((b) => b.accountId))) {
          const birthdays = birthdaysCalendar(accountId);
          calendars.push({ ...birthdays, accountId, kind: 'birthdays', hidden: hidden.has(birthdays.url) });
        }
        calendars.sort(
          (a, b) => a.accountId.localeCompare(b.accountId) || (a.order ?? Infinity) - (b.order ?? Infinity) || a.displayName.localeCompare(b.displayName),
        );
        return { calendars, addressbooks, subscriptions: await Promise.all(engine.subscriptions().map((sub) => subscriptionView(engine, vault, sub, hidden))) };
      }),

    occurrences: (q) =>
      guard('Listing events', async () => {
        const hidden = new Set(settings().hiddenCalendars);
        const { selected, birthdays } = engine.select('calendar', { urls: q.calendarUrls });
        const shown = q.calendarUrls ? selected : selected.filter((c) => !hidden.has(c.url));
        const shownBirthdays = q.calendarUrls ? birthdays : birthdays.filter((a) => !hidden.has(birthdaysCalendar(a).url));
        const search = q.search?.trim() || undefined;
        const stored = engine.occurrences(shown, { from: q.from, to: q.to, tz: q.tz, search }, shownBirthdays);
        const first = await windows.occurrences({ ...q, search }, hidden);
        if (!first.partial) return { ...stored, partial: false };
        return { events: [...stored.events, ...first.events].sort(byStart), errors: [...stored.errors, ...first.errors], partial: true };
      }),

    eventDetails: (ref) => guard('Reading the event', () => eventDetailsOf(engine, ref)),

    contacts: (q) =>
      guard('Listing contacts', () => {
        const { selected } = engine.select('addressbook', { urls: q.addressbookUrls });
        return engine.contacts(selected, q.search, q.offset, q.limit, q.group);
      }),

    groups: (q) =>
      guard('Listing groups', () => {
        const { selected } = engine.select('addressbook', { urls: q.addressbookUrls });
        return engine.groups(selected);
      }),

    contactDetails: (ref) => guard('Reading the contact', () => contactDetailsOf(engine, ref)),
    exportFile: (target) => guard('Exporting', () => exportFileOf(engine, target)),

    saveExport: async () =>
      fail(davlensError('bad-input', 'Saving to a file is done by the desktop app; in the browser the file is downloaded instead.', 'export')),

    openLocalFile: (req) =>
      guard('Opening the file', () =>
        req.content.length > OFF_THREAD_CHARS ? readOffThread({ kind: 'local-file', request: req }, readerWorker) : readLocalFile(req),
      ),
  };
}

async function subscriptionView(engine: Engine, vault: PasswordVault, s: StoredSubscription, hidden: Set<string>): Promise<SubscriptionView> {
  const asks = s.options.user !== undefined;
  const needsPassword = asks && ((await vault.get(subscriptionVaultKey(s.id))) === null || s.lastError?.code === 'auth-failed');
  return { ...engine.subscriptionView(s), userRefreshMinutes: s.refreshMinutes, lastError: s.lastError, hidden: hidden.has(s.url), needsPassword };
}

type SubscriptionMethods = Pick<DavlensApi, 'subscribe' | 'updateSubscription' | 'unsubscribe'>;

// The UI reads the collections again after each of these calls.
function subscriptionMethods({ engine, vault, host, settings }: Parts): SubscriptionMethods {
  const view = (s: StoredSubscription) => subscriptionView(engine, vault, s, new Set(settings().hiddenCalendars));
  return {
    subscribe: (req) =>
      guard('Subscribing', async () => {
        const { password, ...input } = req;
        const known = engine.subscriptionAt(input.url);
        // Updating a feed that asks for a login: the password kept for it, unless a new one is given.
        const login = password ?? (known && input.user === undefined ? ((await vault.get(subscriptionVaultKey(known.id))) ?? undefined) : undefined);
        const out = await engine.subscribe(input, login, host);
        if (out.subscription && password !== undefined) await vault.set(subscriptionVaultKey(out.subscription.id), password);
        return { subscription: out.subscription ? await view(out.subscription) : null, errors: out.errors };
      }),
    updateSubscription: ({ url, ...patch }) => guard('Changing the subscription', () => view(engine.updateSubscription(url, patch))),
    unsubscribe: ({ url }) =>
      guard('Removing the subscription', async () => {
        const s = engine.subscription(url);
        engine.unsubscribe(url);
        await vault.delete(subscriptionVaultKey(s.id));
        return null;
      }),
  };
}
