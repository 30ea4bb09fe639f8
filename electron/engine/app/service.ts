// The engine behind the API contract (shared/api.ts): what the Electron utility process and the
// browser-mode server host. Every method returns a Result and never throws across the boundary.
import { randomUUID } from 'node:crypto';
import type {
  AccountSummary,
  AddAccountOutcome,
  AddAccountRequest,
  CalendarView,
  CollectionsView,
  ContactDetails,
  ContactQuery,
  ContactRef,
  EventRef,
  ExportFile,
  ExportTarget,
  LocalFileView,
  OccurrenceQuery,
  ProgressEvent,
  Result,
  Settings,
  SyncCollectionReport,
  SyncStatus,
} from '../../../shared/api.ts';
import { DEFAULT_SETTINGS, fail, ok } from '../../../shared/api.ts';
import { DavlensFailure, davlensError, errorOf } from '../../../shared/errors.ts';
import type { AddressBook, Calendar } from '../../../shared/models.ts';
import { accountFromDiscovery, accountInput, foundAnyService } from './accounts.ts';
import { discover, type DiscoverInput } from '../remote/discovery.ts';
import { eventDetails } from '../formats/event-details.ts';
import { canonicalUrl } from '../../../shared/href.ts';
import { expandOccurrences, parseCalendarResource, resourceSpan } from '../formats/ical/index.ts';
import { ParseCache, contactPhoto, contactsIn, exportCollection, exportItem, occurrencesIn, unparsableIn } from './queries.ts';
import { Store, accountIdFor, type StoredAccount, type StoredCollection } from '../store/store.ts';
import { syncAccount } from './sync.ts';
import { defaultDemoDir, loadDemo } from './demo.ts';
import { isoDay, OFF_THREAD_CHARS, readLocalFile, readLocalFileOffThread } from './local-file.ts';
import type { DavlensService, ServiceOptions } from './types.ts';

export type { DavlensService, ServiceOptions } from './types.ts';
export { memoryVault } from './types.ts';

function filename(name: string, ext: 'ics' | 'vcf'): string {
  const base =
    name
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
      .trim()
      .slice(0, 100) || 'export';
  return `${base}.${ext}`;
}

export async function createDavlensService(opts: ServiceOptions & { demoDir?: string; localFileWorker?: string }): Promise<DavlensService> {
  const store = Store.open(opts.profileDir);
  const listeners = new Set<(e: ProgressEvent) => void>();
  const cache = new ParseCache();
  const emit = (e: ProgressEvent) => {
    for (const l of listeners) l(e);
  };
  let syncing: Promise<SyncStatus> | null = null;
  let lastRun: SyncCollectionReport[] = [];
  let timer: NodeJS.Timeout | null = null;

  const settings = (): Settings => ({ ...DEFAULT_SETTINGS, ...(store.getSetting<Partial<Settings>>('ui') ?? {}) });

  async function summary(a: StoredAccount): Promise<AccountSummary> {
    const hasPassword = a.demo || (await opts.vault.get(a.id)) !== null;
    return {
      id: a.id,
      email: a.email,
      username: a.username,
      caldav: a.caldav,
      carddav: a.carddav,
      approvedHosts: a.approvedHosts,
      syncedAt: a.syncedAt,
      needsPassword: !a.demo && (!hasPassword || a.lastError?.code === 'auth-failed'),
      demo: a.demo,
      lastError: a.lastError,
    };
  }

  function status(): SyncStatus {
    return {
      running: syncing !== null,
      accounts: store
        .listAccounts()
        .filter((a) => !a.demo)
        .map((a) => ({ accountId: a.id, syncedAt: a.syncedAt, error: a.lastError })),
      collections: lastRun,
    };
  }

  function connection(a: StoredAccount, password: string): DiscoverInput {
    return accountInput(a, password, { dns: opts.dns, ca: opts.ca });
  }

  /** Syncs the given accounts (default: all with a password), one run at a time. */
  function runSync(accountId?: string): Promise<SyncStatus> {
    // The status is read after the run is marked finished, so it says running: false.
    if (syncing) return syncing.then(status);
    lastRun = [];
    syncing = (async () => {
      emit({ type: 'sync', status: status() });
      for (const a of store.listAccounts()) {
        if (a.demo || (accountId && a.id !== accountId)) continue;
        const password = await opts.vault.get(a.id);
        if (password === null) continue;
        const onCollection = (r: SyncCollectionReport) => {
          lastRun.push(r);
          emit({ type: 'sync', status: status() });
        };
        await syncAccount(store, a, { connection: connection(a, password), onCollection });
      }
      return status();
    })().finally(() => {
      syncing = null;
      emit({ type: 'sync', status: status() });
    });
    return syncing.then(status);
  }

  function schedule(): void {
    if (timer) clearInterval(timer);
    timer = null;
    const minutes = opts.syncIntervalMinutes ?? settings().syncIntervalMinutes;
    if (minutes > 0) {
      timer = setInterval(() => void runSync().catch(() => undefined), minutes * 60_000);
      timer.unref();
    }
  }
  schedule();

  function collectionOf(url: string, kind: 'calendar' | 'addressbook'): StoredCollection {
    const c = store.getCollectionByUrl(url);
    if (!c || c.kind !== kind)
      throw new DavlensFailure(
        davlensError('not-found', `No ${kind === 'calendar' ? 'calendar' : 'address book'} at ${url} in this profile.`, 'collections', { url }),
      );
    return c;
  }

  /** Runs a method body: a DavlensFailure becomes an error Result; anything else an internal error. */
  async function guard<T>(what: string, fn: () => Promise<T> | T): Promise<Result<T>> {
    try {
      return ok(await fn());
    } catch (e) {
      return fail(errorOf(e, what, 'store'));
    }
  }

  const service: DavlensService = {
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      if (timer) clearInterval(timer);
      await syncing?.catch(() => undefined);
      store.close();
    },

    listAccounts: () => guard('Listing accounts', () => Promise.all(store.listAccounts().map(summary))),

    addAccount: (req: AddAccountRequest) =>
      guard('Adding the account', async (): Promise<AddAccountOutcome> => {
        const operationId = req.operationId ?? randomUUID();
        const previous = store.getAccount(req.email);
        const input: DiscoverInput = {
          email: req.email.trim(),
          password: req.password,
          user: req.user || undefined,
          server: req.server || undefined,
          dns: req.dns || opts.dns,
          ca: opts.ca,
          insecureHttp: req.insecureHttp,
          trustHosts: [...(previous?.approvedHosts ?? []), ...(req.trustHosts ?? [])],
          pins: { ...(previous?.options.pins ?? {}), ...(req.pins ?? {}) },
        };
        const discovery = await discover(input, (entry) => emit({ type: 'trace', operationId, entry }));
        const approval = [discovery.caldav, discovery.carddav].find((s) => s?.needsApproval)?.needsApproval;
        if (approval) return { status: 'needs-approval', host: approval, discovery };
        if (!foundAnyService(discovery)) {
          const cert = discovery.errors.find((e) => e.certificate)?.certificate;
          return cert ? { status: 'untrusted-certificate', certificate: cert, discovery } : { status: 'failed', discovery };
        }
        const account = accountFromDiscovery(input, discovery, previous);
        // The CA given to the host applies to every account; it is not the account's own.
        account.options.ca = undefined;
        store.saveAccount(account);
        await opts.vault.set(account.id, req.password);
        void runSync(account.id).catch(() => undefined);
        return { status: 'added', account: await summary(account), discovery };
      }),

    removeAccount: ({ accountId }) =>
      guard('Removing the account', async () => {
        if (!store.removeAccount(accountId)) throw new DavlensFailure(davlensError('not-found', `There is no account ${accountId}.`, 'store'));
        await opts.vault.delete(accountIdFor(accountId));
        return null;
      }),

    setPassword: ({ accountId, password }) =>
      guard('Saving the password', async () => {
        const a = store.getAccount(accountId);
        if (!a) throw new DavlensFailure(davlensError('not-found', `There is no account ${accountId}.`, 'store'));
        await opts.vault.set(a.id, password);
        store.setAccountSyncState(a.id, null, null);
        void runSync(a.id).catch(() => undefined);
        return summary(store.getAccount(a.id)!);
      }),

    listCollections: () =>
      guard('Listing calendars', (): CollectionsView => {
        const hidden = new Set(settings().hiddenCalendars);
        const calendars: CalendarView[] = [];
        const addressbooks: CollectionsView['addressbooks'] = [];
        for (const c of store.listCollections()) {
          if (c.kind === 'calendar') calendars.push({ ...(c.props as Calendar), accountId: c.accountId, hidden: hidden.has(c.url) });
          else addressbooks.push({ ...(c.props as AddressBook), accountId: c.accountId, count: store.counts(c.id) });
        }
        calendars.sort(
          (a, b) => a.accountId.localeCompare(b.accountId) || (a.order ?? Infinity) - (b.order ?? Infinity) || a.displayName.localeCompare(b.displayName),
        );
        return { calendars, addressbooks };
      }),

    occurrences: (q: OccurrenceQuery) =>
      guard('Listing events', () => {
        const hidden = new Set(settings().hiddenCalendars);
        const all = store.listCollections(undefined, 'calendar');
        const wanted = q.calendarUrls ? new Set(q.calendarUrls.map(canonicalUrl)) : null;
        const selected = wanted ? all.filter((c) => wanted.has(c.url)) : all.filter((c) => !hidden.has(c.url));
        const out = occurrencesIn(store, selected, { from: q.from, to: q.to, tz: q.tz, search: q.search?.trim() || undefined }, cache);
        return { events: out.events, errors: [...out.errors, ...unparsableIn(store, selected)] };
      }),

    eventDetails: (ref: EventRef) =>
      guard('Reading the event', () => {
        const c = collectionOf(ref.calendarUrl, 'calendar');
        const item = store.getItem(c.id, ref.href);
        if (!item)
          throw new DavlensFailure(davlensError('not-found', `The event ${ref.href} is no longer in ${c.props.displayName}.`, 'items', { url: ref.href }));
        const parsed = parseCalendarResource(item.href, item.data);
        if (!parsed.resource)
          throw new DavlensFailure(parsed.errors[0] ?? davlensError('item-unparsable', `The event ${ref.href} could not be read.`, 'parse'));
        // The occurrence as the grid showed it: expand the item around its recurrence id (or its start).
        const span = resourceSpan(parsed.resource);
        const anchor = ref.recurrenceId
          ? Date.parse(ref.recurrenceId.length === 10 ? `${ref.recurrenceId}T00:00:00Z` : ref.recurrenceId.replace(/Z?$/, 'Z'))
          : (span.start ?? Date.now());
        const found = expandOccurrences(
          [parsed.resource],
          { from: isoDay(anchor - 400 * 86_400_000), to: isoDay(anchor + 400 * 86_400_000), tz: ref.tz },
          { displayName: c.props.displayName, url: c.url },
        );
        const occurrence =
          found.occurrences.find((o) => o.uid === ref.uid && o.recurrenceId === ref.recurrenceId) ?? found.occurrences.find((o) => o.uid === ref.uid);
        if (!occurrence)
          throw new DavlensFailure(
            davlensError('not-found', `The event ${ref.uid} has no occurrence at ${ref.recurrenceId ?? 'its start'}.`, 'items', { url: ref.href }),
          );
        return eventDetails(item.data, occurrence, ref.tz);
      }),

    contacts: (q: ContactQuery) =>
      guard('Listing contacts', () => {
        const all = store.listCollections(undefined, 'addressbook');
        const wanted = q.addressbookUrls ? new Set(q.addressbookUrls.map(canonicalUrl)) : null;
        const selected = wanted ? all.filter((c) => wanted.has(c.url)) : all;
        const page = contactsIn(store, selected, q.search, q.offset, q.limit);
        return { ...page, errors: unparsableIn(store, selected) };
      }),

    contactDetails: (ref: ContactRef) =>
      guard('Reading the contact', (): ContactDetails => {
        const c = collectionOf(ref.addressbookUrl, 'addressbook');
        const parsed = contactPhoto(store, c, ref.href);
        if (!parsed?.contact)
          throw new DavlensFailure(
            parsed?.errors[0] ?? davlensError('not-found', `The contact ${ref.href} is no longer in ${c.props.displayName}.`, 'items', { url: ref.href }),
          );
        const p = parsed.photo;
        // Only inline images reach the UI: loading a photo URL would tell a third-party host who looks at the
        // contact and when (remote content, as mail clients block it), and the CSP allows no remote images.
        const photo = p && 'data' in p ? `data:${/^image\/[\w.+-]+$/.test(p.mediaType ?? '') ? p.mediaType : 'image/jpeg'};base64,${p.data}` : null;
        return {
          contact: parsed.contact,
          photo,
          nicknames: parsed.extras?.nicknames ?? [],
          impps: parsed.extras?.impps ?? [],
          addresses: parsed.contact.addresses,
        };
      }),

    syncNow: ({ accountId }) => guard('Syncing', () => runSync(accountId)),
    syncStatus: () => guard('Reading the sync status', () => status()),

    exportFile: (target: ExportTarget) =>
      guard('Exporting', (): ExportFile => {
        if (target.kind === 'calendar' || target.kind === 'addressbook') {
          const c = collectionOf(target.kind === 'calendar' ? target.calendarUrl : target.addressbookUrl, target.kind);
          const out = exportCollection(store, c);
          return {
            filename: filename(c.props.displayName, target.kind === 'calendar' ? 'ics' : 'vcf'),
            mediaType: target.kind === 'calendar' ? 'text/calendar' : 'text/vcard',
            content: out.content,
            errors: out.errors,
          };
        }
        const kind = target.kind === 'event' ? 'calendar' : 'addressbook';
        const c = collectionOf(target.kind === 'event' ? target.calendarUrl : target.addressbookUrl, kind);
        const out = exportItem(store, c, target.href, target.kind === 'event' ? target.uid : undefined);
        if (!out) throw new DavlensFailure(davlensError('not-found', `${target.href} is no longer in ${c.props.displayName}.`, 'export', { url: target.href }));
        const name = target.kind === 'event' ? store.getItem(c.id, target.href) && target.uid : contactPhoto(store, c, target.href)?.contact?.fn;
        return {
          filename: filename(name || 'item', kind === 'calendar' ? 'ics' : 'vcf'),
          mediaType: kind === 'calendar' ? 'text/calendar' : 'text/vcard',
          content: out.content,
          errors: out.errors,
        };
      }),

    saveExport: async () =>
      fail(davlensError('bad-input', 'Saving to a file is done by the desktop app; in the browser the file is downloaded instead.', 'export')),

    getSettings: () => guard('Reading settings', () => settings()),
    updateSettings: (patch: Partial<Settings>) =>
      guard('Saving settings', () => {
        // Stored URLs are canonical (href.ts): a hidden calendar named in another spelling is hidden all the same.
        const next = { ...settings(), ...patch, ...(patch.hiddenCalendars ? { hiddenCalendars: patch.hiddenCalendars.map(canonicalUrl) } : {}) };
        store.setSetting('ui', next);
        if (patch.syncIntervalMinutes !== undefined) schedule();
        return next;
      }),

    openDemo: () => guard('Opening the demo', () => summary(loadDemo(store, opts.demoDir ?? defaultDemoDir()))),

    openLocalFile: (req) =>
      guard('Opening the file', (): LocalFileView | Promise<LocalFileView> =>
        req.content.length > OFF_THREAD_CHARS ? readLocalFileOffThread(req, opts.localFileWorker) : readLocalFile(req),
      ),
  };
  return service;
}
