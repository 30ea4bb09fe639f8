// calendars, events, addressbooks, contacts, export: each discovers the account, reads what it asks for,
// and prints one object ({ ..., errors }) with --json. Failed items are listed on stderr and under
// `errors`; the exit code stays 0 when the rest succeeded.
import { writeFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import type { DavlensError } from '../../../shared/errors.ts';
import type { AddressBook, Calendar, Contact, Occurrence } from '../../../shared/models.ts';
import { addressBooksOf, calendarsOf, contactsOf, eventsOf, exportOf, withLiveAccount, type LiveAccount } from '../../engine/account.ts';
import type { DiscoverInput } from '../../engine/discovery.ts';
import { connectionOptions, parseCommandLine, type FlagValues } from '../args.ts';
import { liveTracePrinter, printErrors, printJson } from '../output.ts';
import { UsageError, readPassword } from '../password.ts';

interface Prepared {
  input: DiscoverInput;
  values: FlagValues;
}

async function prepare(argv: string[], usage: string, extra: ParseArgsConfig['options'] = {}): Promise<Prepared> {
  const { positionals, values } = parseCommandLine(argv, extra);
  const email = positionals[0];
  if (!email || positionals.length > 1) throw new UsageError(`usage: ${usage}`);
  const options = await connectionOptions(email, values);
  const password = await readPassword(values['password-file'] as string | undefined);
  return { input: { ...options, password }, values };
}

/** Exit 0 when the command produced its answer, even with some items reported; 1 when nothing came back. */
function exitCode(errors: DavlensError[], produced: boolean): number {
  return produced || errors.length === 0 ? 0 : 1;
}

async function runListing<T extends { errors: DavlensError[] }>(
  p: Prepared,
  empty: Omit<T, 'errors'>,
  fn: (a: LiveAccount) => Promise<T>,
  human: (r: T) => string,
  produced: (r: T) => boolean,
): Promise<number> {
  const r = await withLiveAccount(p.input, empty, fn, liveTracePrinter(p.values.trace === true && p.values.json !== true));
  if (p.values.json === true) printJson(r);
  else process.stdout.write(human(r));
  printErrors(r.errors);
  return exitCode(r.errors, produced(r));
}

const COMMON = '[--user NAME] [--server URL] [--dns HOST:PORT] [--ca FILE] [--pin HOST:PORT=sha256//B64] [--trust-host HOST] [--insecure-http] [--profile DIR] [--json]';
export const LISTING_USAGE = [
  `davlens calendars <email> ${COMMON}`,
  `davlens events <email> --from YYYY-MM-DD --to YYYY-MM-DD [--calendar NAME|URL] [--tz IANA] ${COMMON}`,
  `davlens addressbooks <email> ${COMMON}`,
  `davlens contacts <email> [--addressbook NAME|URL] ${COMMON}`,
  `davlens export <email> (--calendar NAME|URL | --addressbook NAME|URL) [--out FILE] ${COMMON}`,
];

export async function calendarsCommand(argv: string[]): Promise<number> {
  const p = await prepare(argv, LISTING_USAGE[0]!);
  return runListing(p, { calendars: [] as Calendar[] }, calendarsOf,
    (r) => r.calendars.map((c) => `${c.displayName}${c.color ? `  ${c.color}` : ''}  [${c.components.join(',')}]${c.readOnly ? '  read-only' : ''}\n  ${c.url}\n`).join(''),
    (r) => r.calendars.length > 0);
}

export async function addressbooksCommand(argv: string[]): Promise<number> {
  const p = await prepare(argv, LISTING_USAGE[2]!);
  return runListing(p, { addressbooks: [] as AddressBook[] }, addressBooksOf,
    (r) => r.addressbooks.map((b) => `${b.displayName}\n  ${b.url}\n`).join(''),
    (r) => r.addressbooks.length > 0);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export async function eventsCommand(argv: string[]): Promise<number> {
  const p = await prepare(argv, LISTING_USAGE[1]!, { from: { type: 'string' }, to: { type: 'string' }, calendar: { type: 'string' }, tz: { type: 'string' } });
  const from = p.values.from as string | undefined;
  const to = p.values.to as string | undefined;
  if (!from || !to || !DATE.test(from) || !DATE.test(to)) throw new UsageError('events needs --from YYYY-MM-DD and --to YYYY-MM-DD (to is exclusive).');
  if (to <= from) throw new UsageError('--to must be after --from (the window is [from, to)).');
  const tz = (p.values.tz as string | undefined) ?? systemTimeZone();
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new UsageError(`--tz "${tz}" is not an IANA time zone (e.g. Europe/Berlin).`);
  }
  return runListing(p, { events: [] as Occurrence[] },
    (a) => eventsOf(a, { from, to, tz, calendar: p.values.calendar as string | undefined }),
    (r) => r.events.map((e) => `${e.start}  ${e.end}  ${e.summary}${e.status === 'CANCELLED' ? ' (cancelled)' : ''}  [${e.calendar}]\n`).join(''),
    () => true);
}

export async function contactsCommand(argv: string[]): Promise<number> {
  const p = await prepare(argv, LISTING_USAGE[3]!, { addressbook: { type: 'string' } });
  return runListing(p, { contacts: [] as Contact[] },
    (a) => contactsOf(a, p.values.addressbook as string | undefined),
    (r) => r.contacts.map((c) => `${c.fn}${c.emails[0] ? `  <${c.emails[0].value}>` : ''}${c.phones[0] ? `  ${c.phones[0].value}` : ''}\n`).join(''),
    () => true);
}

export async function exportCommand(argv: string[]): Promise<number> {
  const p = await prepare(argv, LISTING_USAGE[4]!, { calendar: { type: 'string' }, addressbook: { type: 'string' }, out: { type: 'string' } });
  const calendar = p.values.calendar as string | undefined;
  const addressbook = p.values.addressbook as string | undefined;
  if (!calendar === !addressbook) throw new UsageError('export needs exactly one of --calendar NAME|URL or --addressbook NAME|URL.');
  const r = await withLiveAccount(p.input, { content: null, kind: calendar ? 'ics' : 'vcf', collection: null },
    (a) => exportOf(a, { calendar, addressbook }), liveTracePrinter(p.values.trace === true));
  const out = p.values.out as string | undefined;
  if (r.content !== null && out) await writeFile(out, r.content);
  if (p.values.json === true) {
    // One object, as every --json answer: the file's content inline when it was not written to --out.
    printJson({ file: out ?? null, kind: r.kind, collection: r.collection?.url ?? null, bytes: Buffer.byteLength(r.content ?? ''), ...(out ? {} : { content: r.content }), errors: r.errors });
  } else if (r.content !== null && !out) {
    process.stdout.write(r.content);
  }
  printErrors(r.errors);
  return r.content !== null ? 0 : 1;
}
