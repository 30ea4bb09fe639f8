// calendars, events, addressbooks, contacts, export, sync. Each answers from the profile's store when it
// holds the account (an account never synced is synced first; --refresh syncs first), so they still
// answer with the server down. The exception: `events` on an account never synced answers its window from
// time-range queries (app/window.ts) without syncing or storing anything, marked "partial".
// A URL instead of the email names a subscribed calendar (subscriptions.ts): calendars, events, export and sync
// read it with the same shapes (`sync` and --refresh fetch its feed); the address-book commands refuse one.
// With --json each prints one object ({ ..., syncedAt, errors }).
// Failed items are listed on stderr and under `errors`; the exit code stays 0 when the rest succeeded.
import { writeFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import { davlensError, type DavlensError } from '../../../shared/errors.ts';
import type { Calendar, CollectionKind, Occurrence } from '../../../shared/models.ts';
import { isFeedUrl } from '../../../shared/href.ts';
import type { ConnectionOptions } from '../../../shared/discovery.ts';
import {
  openEngine,
  profileDir,
  type AddedAccount,
  type Engine,
  type OccurrenceWindow,
  type StoredAccount,
  type StoredSubscription,
  type SyncReport,
  type WindowAnswer,
} from '../../engine/index.ts';
import { connectionOptions, parseCommandLine, type FlagValues } from '../args.ts';
import { liveTracePrinter, printErrors, printJson, printLines, printRaw, warn } from '../output.ts';
import { UsageError, readPassword } from '../password.ts';

const COMMON = '[--refresh] [--profile DIR] [--json] [connection flags as for discover]';
export const LISTING_USAGE = [
  `davlens calendars (<email> | <feed URL>) ${COMMON}`,
  `davlens events (<email> | <feed URL>) --from YYYY-MM-DD --to YYYY-MM-DD [--calendar NAME|URL] [--tz IANA] ${COMMON}`,
  `davlens addressbooks <email> ${COMMON}`,
  `davlens contacts <email> [--addressbook NAME|URL] [--search TEXT] [--group NAME] ${COMMON}`,
  `davlens groups <email> [--addressbook NAME|URL] ${COMMON}`,
  `davlens export <email> (--calendar NAME|URL | --addressbook NAME|URL) [--out FILE] ${COMMON}`,
  `davlens export <feed URL> [--out FILE] ${COMMON}`,
  `davlens sync (<email> | <feed URL>) ${COMMON}`,
];

type Stamped<T> = T & { syncedAt: string | null };
type Selection = ReturnType<Engine['select']>;

/** What a command reads: an account's collections, or a subscription's one calendar. */
interface Source {
  /** The account's last sync, or the subscription's last refresh. */
  syncedAt: string | null;
  /** For the email address of an account's messages; null for a subscription. */
  account: StoredAccount | null;
  /** What the subscription's last copy breaks (feed-defect), kept with it; none for an account. */
  notes: DavlensError[];
  calendars(): Stamped<Calendar>[];
  /** Collections of a kind, one named by display name or URL, or all. */
  select(kind: CollectionKind, name?: string): Selection;
}

/** A sync's report; a subscription's refresh has no listing. */
type SyncAnswer = Omit<SyncReport, 'listing'> & { listing: SyncReport['listing'] | null };

interface Opened {
  engine: Engine;
  source: Source | null;
  values: FlagValues;
  errors: DavlensError[];
  sync: SyncAnswer | null;
  /** The window's answer from the servers, when `window` was asked and the account was never synced. */
  window: WindowAnswer | null;
}

interface OpenMode {
  /** Sync whatever the store holds (the sync command). */
  always?: boolean;
  /** For an account never synced (and no --refresh): this window from the servers instead of a sync. */
  window?: OccurrenceWindow & { calendar?: string };
}

/** A listing command's line: its flags, and what it names (its one positional): an email, or a subscribed feed's URL. */
interface CommandLine {
  target: string;
  /** `target` is a feed's URL (webcal, webcals, http, https). */
  feed: boolean;
  values: FlagValues;
}

/** The one place a listing command's target is found: the parsed positionals, so a flag's value is never taken for it. */
function parseListing(argv: string[], usage: string, extra: ParseArgsConfig['options'] = {}): CommandLine {
  const { positionals, values } = parseCommandLine(argv, { ...extra, refresh: { type: 'boolean' } });
  const target = positionals[0];
  if (!target || positionals.length > 1) throw new UsageError(`usage: ${usage}`);
  return { target, feed: isFeedUrl(target), values };
}

/** A subscribed feed holds one calendar and no address book: the address-book commands refuse its URL. */
function refuseFeed(line: CommandLine, command: string): CommandLine {
  if (line.feed) throw new UsageError(`${command} takes an email address: a subscribed feed (${line.target}) holds a calendar only.`);
  return line;
}

/**
 * The profile with the account, synced first when it never was (or with --refresh / `always`), or, with a
 * `window`, that window's answer from the servers when it never was; or, for a feed URL, the subscription
 * (its feed fetched first with --refresh / `always`). The password is read only when the network is needed.
 */
async function openForCommand({ target: email, feed, values }: CommandLine, mode: OpenMode = {}): Promise<Opened> {
  if (feed) return openFeed(email, values, mode);
  const options = await connectionOptions(email, values);
  const engine = await openEngine(profileDir(values.profile as string | undefined));
  const errors: DavlensError[] = [];
  const onTrace = liveTracePrinter(values.trace === true && values.json !== true);
  let account = engine.account(email);
  if (account) warnIgnoredFlags(account, options);
  let password: string | null = null;
  const needPassword = async () => (password ??= await readPassword(values['password-file'] as string | undefined));
  // A discovery in this run leaves its connection open for the sync: logged in already, no second 401.
  let opened: AddedAccount['opened'];
  const source = (a: StoredAccount): Source => ({
    syncedAt: a.syncedAt,
    account: a,
    notes: [],
    calendars: () => engine.calendars(a.id),
    select: (kind, name) => engine.select(kind, { accountId: a.id, name }),
  });
  try {
    if (!account) {
      const added = await engine.addAccount({ ...options, password: await needPassword() }, { onTrace, keepOpen: true });
      errors.push(...added.discovery.errors);
      if (!added.account) return { engine, source: null, values, errors, sync: null, window: null };
      account = added.account;
      opened = added.opened;
    }
    if (mode.window && account.syncedAt === null && values.refresh !== true) {
      const { calendar, ...window } = mode.window;
      const answer = await engine.windowOccurrences(account, await needPassword(), options, window, { onTrace, opened, calendar, wholeCalendars: Infinity });
      return { engine, source: source(account), values, errors, sync: null, window: answer };
    }
    let sync: SyncReport | null = null;
    if (mode.always === true || values.refresh === true || account.syncedAt === null) {
      sync = await engine.sync(account, await needPassword(), options, { onTrace, opened });
      errors.push(...sync.errors);
      account = engine.account(account.id)!;
    }
    return { engine, source: source(account), values, errors, sync, window: null };
  } finally {
    await opened?.close();
  }
}

/**
 * A subscription named by its feed's URL (webcal compared as https), its feed fetched first with --refresh or
 * `always` (sync: a refresh reported as a sync of its one calendar). A URL not subscribed is a usage error.
 */
async function openFeed(url: string, values: FlagValues, mode: OpenMode): Promise<Opened> {
  const options = await connectionOptions('', values);
  const engine = await openEngine(profileDir(values.profile as string | undefined));
  let s = engine.subscriptionAt(url);
  if (!s) {
    engine.close();
    throw new UsageError(`There is no subscription to ${url}: add it with \`davlens subscribe ${url}\`.`);
  }
  const errors: DavlensError[] = [];
  let sync: SyncAnswer | null = null;
  if (mode.always === true || values.refresh === true) {
    const password = s.options.user !== undefined ? await readPassword(values['password-file'] as string | undefined) : undefined;
    const onTrace = liveTracePrinter(values.trace === true && values.json !== true);
    const out = await engine.refreshSubscription(s, password, options, { onTrace });
    s = out.subscription ?? s;
    errors.push(...out.errors);
    sync = feedSyncReport(s, out);
  }
  const sub = s;
  const source: Source = {
    syncedAt: sub.syncedAt,
    account: null,
    notes: sub.notes,
    calendars: () => engine.subscriptionCalendars(sub),
    select: (kind, name) => (kind === 'calendar' ? engine.selectSubscription(sub, name) : { selected: [], birthdays: [], error: null }),
  };
  return { engine, source, values, errors, sync, window: null };
}

/** A feed's refresh as the sync command reports an account's: its one calendar, no listing. */
function feedSyncReport(s: StoredSubscription, out: Awaited<ReturnType<Engine['refreshSubscription']>>): SyncAnswer {
  return {
    accountId: out.report.accountId,
    listing: null,
    collections: [out.report],
    errors: out.errors,
    syncedAt: out.counts ? s.syncedAt : null,
    passwordNeeded: out.report.error?.code === 'auth-failed',
  };
}

/** A stored account keeps the user name and server it was discovered with (discover changes them): a flag that differs is named. */
function warnIgnoredFlags(account: StoredAccount, options: ConnectionOptions): void {
  const kept = { user: account.username ?? account.options.user, server: account.options.server };
  for (const k of ['user', 'server'] as const) {
    if (options[k] === undefined || options[k] === kept[k]) continue;
    warn(
      `--${k} is ignored: ${account.email} is stored with ${k === 'user' ? 'the user name' : 'the server'} ${kept[k] ?? 'found by discovery'}; \`davlens discover\` changes it.`,
    );
  }
}

// A sync in the same run already reported the unparsable items the answer lists again.
function dedupe(errors: DavlensError[]): DavlensError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.code}|${e.href ?? ''}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A command's answer: the --json object, and otherwise its readable lines (or, for an export, the file's text). */
interface Answer {
  answer: Record<string, unknown>;
  human: string[] | { raw: string };
  produced: boolean;
}

async function withOpened(o: Opened, fn: (o: Opened & { source: Source }) => Promise<Answer>): Promise<number> {
  try {
    if (!o.source) {
      if (o.values.json === true) printJson({ syncedAt: null, errors: o.errors });
      printErrors(o.errors);
      return 1;
    }
    const { answer, human, produced } = await fn(o as Opened & { source: Source });
    const errors = dedupe([...o.errors, ...((answer.errors as DavlensError[] | undefined) ?? [])]);
    if (o.values.json === true) printJson({ ...answer, syncedAt: o.source.syncedAt, errors });
    else if (Array.isArray(human)) printLines(human);
    else printRaw(human.raw);
    printErrors(errors);
    return produced || errors.length === 0 ? 0 : 1;
  } finally {
    o.engine.close();
  }
}

export async function calendarsCommand(argv: string[]): Promise<number> {
  return withOpened(await openForCommand(parseListing(argv, LISTING_USAGE[0]!)), async ({ source }) => {
    const calendars = source.calendars();
    return {
      // A feed's defects are told with its calendar, as an account's unparsable items are with its events.
      answer: { calendars, errors: source.notes },
      human: calendars.flatMap((c) => [
        `${c.displayName}${c.color ? `  ${c.color}` : ''}  [${c.components.join(',')}]${c.readOnly ? '  read-only' : ''}`,
        `  ${c.url}`,
      ]),
      produced: calendars.length > 0,
    };
  });
}

export async function addressbooksCommand(argv: string[]): Promise<number> {
  return withOpened(await openForCommand(refuseFeed(parseListing(argv, LISTING_USAGE[2]!), 'addressbooks')), async ({ engine, source }) => {
    const addressbooks = source.account ? engine.addressbooks(source.account.id) : [];
    return {
      answer: { addressbooks },
      human: addressbooks.flatMap((b) => [b.displayName, `  ${b.url}`]),
      produced: addressbooks.length > 0,
    };
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function checkWindow(from: string | undefined, to: string | undefined, tz: string): { from: string; to: string } {
  if (!from || !to || !DATE.test(from) || !DATE.test(to) || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
    throw new UsageError('events needs --from YYYY-MM-DD and --to YYYY-MM-DD (to is exclusive).');
  }
  if (to <= from) throw new UsageError('--to must be after --from (the window is [from, to)).');
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new UsageError(`--tz "${tz}" is not an IANA time zone (e.g. Europe/Berlin).`);
  }
  return { from, to };
}

export async function eventsCommand(argv: string[]): Promise<number> {
  const extra = { from: { type: 'string' }, to: { type: 'string' }, calendar: { type: 'string' }, tz: { type: 'string' } } as const;
  const line = parseListing(argv, LISTING_USAGE[1]!, extra);
  const { values } = line;
  const tz = (values.tz as string | undefined) ?? systemTimeZone();
  const window = checkWindow(values.from as string | undefined, values.to as string | undefined, tz);
  const calendar = values.calendar as string | undefined;
  const o = await openForCommand(line, { window: { ...window, tz, calendar } });
  return withOpened(o, async ({ engine, source }) => {
    let answer: { events: Occurrence[]; partial: boolean; errors: DavlensError[]; produced: boolean };
    if (o.window) {
      // Nothing stored: the account stays unsynced (syncedAt null) until a sync.
      if (o.values.json !== true)
        warn(`${source.account?.email ?? ''} is not synced yet: these events come straight from the server; \`davlens sync\` keeps them offline.`);
      // Produced unless the listing failed or --calendar named none of the calendars.
      const produced = o.window.calendars.length > 0 && !o.window.errors.some((e) => e.code === 'not-found' && e.step === 'collections');
      answer = { events: o.window.events, partial: true, errors: o.window.errors, produced };
    } else {
      const { selected, birthdays, error } = source.select('calendar', calendar);
      const { events, errors } = engine.occurrences(selected, { ...window, tz }, birthdays);
      answer = { events, partial: false, errors: [...(error ? [error] : []), ...source.notes, ...errors], produced: !error };
    }
    const { events, errors } = answer;
    return {
      answer: { events, partial: answer.partial, errors },
      human: events.map(
        (e) =>
          `${e.start}  ${e.end}  ${e.summary}${typeof e.age === 'number' ? ` (${e.age})` : ''}${e.status === 'CANCELLED' ? ' (cancelled)' : ''}  [${e.calendar}]`,
      ),
      produced: answer.produced,
    };
  });
}

export async function contactsCommand(argv: string[]): Promise<number> {
  const extra = { addressbook: { type: 'string' }, search: { type: 'string' }, group: { type: 'string' } } as const;
  return withOpened(await openForCommand(refuseFeed(parseListing(argv, LISTING_USAGE[3]!, extra), 'contacts')), async ({ engine, source, values }) => {
    const { selected, error } = source.select('addressbook', values.addressbook as string | undefined);
    const { contacts, errors } = engine.contacts(selected, values.search as string | undefined, undefined, undefined, values.group as string | undefined);
    return {
      answer: { contacts, errors: [...(error ? [error] : []), ...errors] },
      human: contacts.map((c) => `${c.fn}${c.emails[0] ? `  <${c.emails[0].value}>` : ''}${c.phones[0] ? `  ${c.phones[0].value}` : ''}`),
      produced: !error,
    };
  });
}

export async function groupsCommand(argv: string[]): Promise<number> {
  const extra = { addressbook: { type: 'string' } } as const;
  return withOpened(await openForCommand(refuseFeed(parseListing(argv, LISTING_USAGE[4]!, extra), 'groups')), async ({ engine, source, values }) => {
    const { selected, error } = source.select('addressbook', values.addressbook as string | undefined);
    const { groups, errors } = engine.groups(selected);
    return {
      answer: { groups, errors: [...(error ? [error] : []), ...errors] },
      human: groups.map((g) => `${g.name}  (${g.members} ${g.members === 1 ? 'member' : 'members'}, ${g.source})`),
      produced: !error,
    };
  });
}

export async function exportCommand(argv: string[]): Promise<number> {
  const extra = { calendar: { type: 'string' }, addressbook: { type: 'string' }, out: { type: 'string' } } as const;
  const line = parseListing(argv, `${LISTING_USAGE[5]}\n       ${LISTING_USAGE[6]}`, extra);
  const { values, feed } = line;
  const calendar = values.calendar as string | undefined;
  const addressbook = values.addressbook as string | undefined;
  // A feed is one calendar: it needs no --calendar (one given must name it) and has no address book.
  if (feed && addressbook) throw new UsageError(`export of a subscribed feed (${line.target}) takes no --addressbook: it holds a calendar only.`);
  if (!feed && !calendar === !addressbook) throw new UsageError('export needs exactly one of --calendar NAME|URL or --addressbook NAME|URL.');
  const o = await openForCommand(line);
  const json = o.values.json === true;
  return withOpened({ ...o, values: { ...o.values, json: json || undefined } }, async ({ engine, source }) => {
    const kind = addressbook ? 'addressbook' : 'calendar';
    const { selected, birthdays, error } = source.select(kind, calendar ?? addressbook);
    const c = selected[0];
    if (!c && birthdays.length > 0) {
      const made = davlensError(
        'bad-input',
        'The Birthdays calendar is made by Davlens from the contacts: export the address book (--addressbook) instead.',
        'export',
      );
      return { answer: { file: null, content: null, errors: [made] }, human: [], produced: false };
    }
    if (!c) {
      const none = error ?? davlensError('not-found', 'The subscription has no calendar stored yet: `davlens sync URL` fetches it.', 'collections');
      return { answer: { file: null, content: null, errors: [none] }, human: [], produced: false };
    }
    const out = engine.exportCollection(c);
    const file = values.out as string | undefined;
    if (file) await writeFile(file, out.content);
    // One object with --json, as every answer: the content inline when it was not written to --out.
    const answer = {
      file: file ?? null,
      kind: kind === 'calendar' ? 'ics' : 'vcf',
      collection: c.url,
      bytes: Buffer.byteLength(out.content),
      ...(file ? {} : { content: out.content }),
      errors: out.errors,
    };
    return { answer, human: file ? [`${file}: ${answer.bytes} bytes`] : { raw: out.content }, produced: true };
  });
}

export async function syncCommand(argv: string[]): Promise<number> {
  return withOpened(await openForCommand(parseListing(argv, LISTING_USAGE[7]!), { always: true }), async ({ sync }) => {
    const collections = sync?.collections ?? [];
    const listing = sync?.listing ?? null;
    const human = [
      ...(listing ? [`Listing: ${listing.requests} requests, ${listing.bytes} bytes, ${listing.ms} ms`] : []),
      ...collections.map(
        (c) =>
          `${c.displayName}: +${c.added} ~${c.changed} -${c.deleted}  (${c.requests} requests, ${c.bytes} bytes, ${c.ms} ms)${c.error ? `  ${c.error.message}` : ''}`,
      ),
    ];
    return { answer: { listing, collections, passwordNeeded: sync?.passwordNeeded ?? false }, human, produced: Boolean(sync?.syncedAt) };
  });
}
