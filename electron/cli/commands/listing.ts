// calendars, events, addressbooks, contacts, export, sync. Each answers from the profile's store when it
// holds the account (an account never synced is synced first; --refresh syncs first), so they still
// answer with the server down. The exception: `events` on an account never synced answers its window from
// time-range queries (app/window.ts) without syncing or storing anything, marked "partial".
// With --json each prints one object ({ ..., syncedAt, errors }).
// Failed items are listed on stderr and under `errors`; the exit code stays 0 when the rest succeeded.
import { writeFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import type { DavlensError } from '../../../shared/errors.ts';
import type { Occurrence } from '../../../shared/models.ts';
import type { ConnectionOptions } from '../../../shared/discovery.ts';
import {
  openEngine,
  profileDir,
  type AddedAccount,
  type Engine,
  type OccurrenceWindow,
  type StoredAccount,
  type SyncReport,
  type WindowAnswer,
} from '../../engine/index.ts';
import { connectionOptions, parseCommandLine, type FlagValues } from '../args.ts';
import { liveTracePrinter, printErrors, printJson, printLines, printRaw, warn } from '../output.ts';
import { UsageError, readPassword } from '../password.ts';

const COMMON = '[--refresh] [--profile DIR] [--json] [connection flags as for discover]';
export const LISTING_USAGE = [
  `davlens calendars <email> ${COMMON}`,
  `davlens events <email> --from YYYY-MM-DD --to YYYY-MM-DD [--calendar NAME|URL] [--tz IANA] ${COMMON}`,
  `davlens addressbooks <email> ${COMMON}`,
  `davlens contacts <email> [--addressbook NAME|URL] [--search TEXT] ${COMMON}`,
  `davlens export <email> (--calendar NAME|URL | --addressbook NAME|URL) [--out FILE] ${COMMON}`,
  `davlens sync <email> ${COMMON}`,
];

interface Opened {
  engine: Engine;
  account: StoredAccount | null;
  values: FlagValues;
  errors: DavlensError[];
  sync: SyncReport | null;
  /** The window's answer from the servers, when `window` was asked and the account was never synced. */
  window: WindowAnswer | null;
}

interface OpenMode {
  /** Sync whatever the store holds (the sync command). */
  always?: boolean;
  /** For an account never synced (and no --refresh): this window from the servers instead of a sync. */
  window?: OccurrenceWindow & { calendar?: string };
}

/**
 * The profile with the account, synced first when it never was (or with --refresh / `always`), or, with a
 * `window`, that window's answer from the servers when it never was. The password is read only when the
 * network is needed.
 */
async function openForCommand(argv: string[], usage: string, extra: ParseArgsConfig['options'] = {}, mode: OpenMode = {}): Promise<Opened> {
  const { positionals, values } = parseCommandLine(argv, { ...extra, refresh: { type: 'boolean' } });
  const email = positionals[0];
  if (!email || positionals.length > 1) throw new UsageError(`usage: ${usage}`);
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
  try {
    if (!account) {
      const added = await engine.addAccount({ ...options, password: await needPassword() }, { onTrace, keepOpen: true });
      errors.push(...added.discovery.errors);
      if (!added.account) return { engine, account: null, values, errors, sync: null, window: null };
      account = added.account;
      opened = added.opened;
    }
    if (mode.window && account.syncedAt === null && values.refresh !== true) {
      const { calendar, ...window } = mode.window;
      const answer = await engine.windowOccurrences(account, await needPassword(), options, window, { onTrace, opened, calendar, wholeCalendars: Infinity });
      return { engine, account, values, errors, sync: null, window: answer };
    }
    let sync: SyncReport | null = null;
    if (mode.always === true || values.refresh === true || account.syncedAt === null) {
      sync = await engine.sync(account, await needPassword(), options, { onTrace, opened });
      errors.push(...sync.errors);
      account = engine.account(account.id);
    }
    return { engine, account, values, errors, sync, window: null };
  } finally {
    await opened?.close();
  }
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

async function withOpened(o: Opened, fn: (o: Opened & { account: StoredAccount }) => Promise<Answer>): Promise<number> {
  try {
    if (!o.account) {
      if (o.values.json === true) printJson({ syncedAt: null, errors: o.errors });
      printErrors(o.errors);
      return 1;
    }
    const { answer, human, produced } = await fn(o as Opened & { account: StoredAccount });
    const errors = dedupe([...o.errors, ...((answer.errors as DavlensError[] | undefined) ?? [])]);
    if (o.values.json === true) printJson({ ...answer, syncedAt: o.account.syncedAt, errors });
    else if (Array.isArray(human)) printLines(human);
    else printRaw(human.raw);
    printErrors(errors);
    return produced || errors.length === 0 ? 0 : 1;
  } finally {
    o.engine.close();
  }
}

export async function calendarsCommand(argv: string[]): Promise<number> {
  return withOpened(await openForCommand(argv, LISTING_USAGE[0]!), async ({ engine, account }) => {
    const calendars = engine.calendars(account.id);
    return {
      answer: { calendars },
      human: calendars.flatMap((c) => [
        `${c.displayName}${c.color ? `  ${c.color}` : ''}  [${c.components.join(',')}]${c.readOnly ? '  read-only' : ''}`,
        `  ${c.url}`,
      ]),
      produced: calendars.length > 0,
    };
  });
}

export async function addressbooksCommand(argv: string[]): Promise<number> {
  return withOpened(await openForCommand(argv, LISTING_USAGE[2]!), async ({ engine, account }) => {
    const addressbooks = engine.addressbooks(account.id);
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
  const { values } = parseCommandLine(argv, { ...extra, refresh: { type: 'boolean' } });
  const tz = (values.tz as string | undefined) ?? systemTimeZone();
  const window = checkWindow(values.from as string | undefined, values.to as string | undefined, tz);
  const calendar = values.calendar as string | undefined;
  const o = await openForCommand(argv, LISTING_USAGE[1]!, extra, { window: { ...window, tz, calendar } });
  return withOpened(o, async ({ engine, account }) => {
    let answer: { events: Occurrence[]; partial: boolean; errors: DavlensError[]; produced: boolean };
    if (o.window) {
      // Nothing stored: the account stays unsynced (syncedAt null) until a sync.
      if (o.values.json !== true) warn(`${account.email} is not synced yet: these events come straight from the server; \`davlens sync\` keeps them offline.`);
      // Produced unless the listing failed or --calendar named none of the calendars.
      const produced = o.window.calendars.length > 0 && !o.window.errors.some((e) => e.code === 'not-found' && e.step === 'collections');
      answer = { events: o.window.events, partial: true, errors: o.window.errors, produced };
    } else {
      const { selected, error } = engine.select('calendar', { accountId: account.id, name: calendar });
      const { events, errors } = engine.occurrences(selected, { ...window, tz });
      answer = { events, partial: false, errors: [...(error ? [error] : []), ...errors], produced: !error };
    }
    const { events, errors } = answer;
    return {
      answer: { events, partial: answer.partial, errors },
      human: events.map((e) => `${e.start}  ${e.end}  ${e.summary}${e.status === 'CANCELLED' ? ' (cancelled)' : ''}  [${e.calendar}]`),
      produced: answer.produced,
    };
  });
}

export async function contactsCommand(argv: string[]): Promise<number> {
  const extra = { addressbook: { type: 'string' }, search: { type: 'string' } } as const;
  return withOpened(await openForCommand(argv, LISTING_USAGE[3]!, extra), async ({ engine, account, values }) => {
    const { selected, error } = engine.select('addressbook', { accountId: account.id, name: values.addressbook as string | undefined });
    const { contacts, errors } = engine.contacts(selected, values.search as string | undefined);
    return {
      answer: { contacts, errors: [...(error ? [error] : []), ...errors] },
      human: contacts.map((c) => `${c.fn}${c.emails[0] ? `  <${c.emails[0].value}>` : ''}${c.phones[0] ? `  ${c.phones[0].value}` : ''}`),
      produced: !error,
    };
  });
}

export async function exportCommand(argv: string[]): Promise<number> {
  const extra = { calendar: { type: 'string' }, addressbook: { type: 'string' }, out: { type: 'string' } } as const;
  const { values } = parseCommandLine(argv, { ...extra, refresh: { type: 'boolean' } });
  const calendar = values.calendar as string | undefined;
  const addressbook = values.addressbook as string | undefined;
  if (!calendar === !addressbook) throw new UsageError('export needs exactly one of --calendar NAME|URL or --addressbook NAME|URL.');
  const o = await openForCommand(argv, LISTING_USAGE[4]!, extra);
  const json = o.values.json === true;
  return withOpened({ ...o, values: { ...o.values, json: json || undefined } }, async ({ engine, account }) => {
    const kind = calendar ? 'calendar' : 'addressbook';
    const { selected, error } = engine.select(kind, { accountId: account.id, name: calendar ?? addressbook });
    const c = selected[0];
    if (!c) return { answer: { file: null, content: null, errors: [error!] }, human: [], produced: false };
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
  return withOpened(await openForCommand(argv, LISTING_USAGE[5]!, {}, { always: true }), async ({ sync }) => {
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
