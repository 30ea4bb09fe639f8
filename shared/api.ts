// The one API contract between the UI and the engine. Hosted two ways with identical results: over
// Electron IPC (desktop: one ipcMain.handle channel per method) and over HTTP (browser mode: POST
// /api/<method>, progress over server-sent events). Only JSON values cross it; results are
// `{ ok, value } | { ok, error }` values, never thrown (Electron's IPC drops the fields of rejected errors).
import type { ConnectionOptions, DiscoveryResult, ServiceResult } from './discovery.ts';
import type { CertificateInfo, DavlensError } from './errors.ts';
import type { AddressBook, Calendar, CalendarKind, Contact, ContactGroup, Occurrence, PostalAddress, Subscription, TypedValue } from './models.ts';
import type { TraceEntry } from './trace.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; error: DavlensError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: DavlensError): Result<T> {
  return { ok: false, error };
}

export interface AccountSummary {
  /** Stable id (derived from the email; the demo account is "demo"). */
  id: string;
  email: string;
  /** The user name the server accepted. */
  username: string | null;
  caldav: ServiceResult | null;
  carddav: ServiceResult | null;
  /** Hosts outside the email's domain the user approved. */
  approvedHosts: string[];
  /** ISO time of the last complete sync, or null. */
  syncedAt: string | null;
  /** The host has no password for this account (never entered, or the server refused it): ask the user. */
  needsPassword: boolean;
  /** The bundled sample data, no server. */
  demo: boolean;
  /** The last sync's error that stopped it, or null. */
  lastError: DavlensError | null;
}

/** What the add-account form asks: the connection options a person types or approves, and the password. */
export interface AddAccountRequest extends Pick<ConnectionOptions, 'email' | 'user' | 'server' | 'dns' | 'insecureHttp' | 'trustHosts' | 'pins'> {
  password: string;
  /** An operation id chosen by the UI; progress events carry it. */
  operationId?: string;
  /**
   * The days the calendar will show first: asked of the servers at once (time-range queries), before the full
   * sync, so they show in seconds; a 'window' progress event says when they are in.
   */
  window?: { from: string; to: string; tz: string };
}

export type AddAccountOutcome =
  | { status: 'added'; account: AccountSummary; discovery: DiscoveryResult }
  /** Discovery stopped before sending the password to `host`: ask "Send your password to HOST?". */
  | { status: 'needs-approval'; host: string; discovery: DiscoveryResult }
  /** A server's certificate is not trusted: show it and offer "Trust this certificate" (pin its key). */
  | { status: 'untrusted-certificate'; certificate: CertificateInfo; discovery: DiscoveryResult }
  /** Nothing usable was found, or the password was refused: `discovery.errors` says why. */
  | { status: 'failed'; discovery: DiscoveryResult };

export interface CalendarView extends Calendar {
  accountId: string;
  /** A server's calendar, or the account's Birthdays calendar (made from its contacts; its events open the contact). */
  kind: Exclude<CalendarKind, 'subscription'>;
  /** Hidden by the user in the sidebar (remembered in settings). */
  hidden: boolean;
  /** Number of items stored (events, to-dos...); absent for a calendar known only from a first window, and for a Birthdays calendar. */
  count?: number;
}

export interface AddressBookView extends AddressBook {
  accountId: string;
  /** Number of contacts held. */
  count: number;
}

/** A subscribed calendar as the sidebar shows it. */
export interface SubscriptionView extends Subscription {
  /** The user's own refresh interval, or null (the feed's, else a day). */
  userRefreshMinutes: number | null;
  /** The last refresh's error (the last good copy is still shown), or null. */
  lastError: DavlensError | null;
  /** Hidden in the sidebar (settings' hiddenCalendars, by its URL). */
  hidden: boolean;
  /** It asks for a login and the host has no password for it. */
  needsPassword: boolean;
}

export interface CollectionsView {
  calendars: CalendarView[];
  addressbooks: AddressBookView[];
  /** Subscribed calendars; their events come with `occurrences` like any calendar's (calendarUrl = the feed's URL). */
  subscriptions: SubscriptionView[];
}

export interface SubscribeRequest {
  /** webcal://, webcals://, https:// (or http:// with insecureHttp). */
  url: string;
  name?: string;
  /** Minutes between refreshes (any whole number the user chooses); absent: the feed's, else a day. */
  refreshMinutes?: number;
  /** For a feed that asks for a login (Basic or Digest). */
  user?: string;
  password?: string;
  insecureHttp?: boolean;
}

export interface SubscribeOutcome {
  subscription: SubscriptionView | null;
  /** Why a new subscription was not added, or what its feed breaks (feed-defect) and which items are unreadable. */
  errors: DavlensError[];
}

export interface OccurrenceQuery {
  /** YYYY-MM-DD inclusive, in `tz`. */
  from: string;
  /** YYYY-MM-DD exclusive. */
  to: string;
  /** IANA zone the wall-clock times are computed in. */
  tz: string;
  /** Only these calendars (default: every visible calendar). */
  calendarUrls?: string[];
  /** Substring search over title, location and description (case-insensitive). */
  search?: string;
}

export interface OccurrencesResult {
  events: Occurrence[];
  /** Some calendars were answered from the servers' window answer of an account not synced yet (nothing stored). */
  partial: boolean;
  errors: DavlensError[];
}

export interface EventRef {
  calendarUrl: string;
  href: string;
  uid: string;
  /** The occurrence's recurrenceId (null for a non-recurring event). */
  recurrenceId: string | null;
  tz: string;
}

export interface Attendee {
  name: string | null;
  email: string | null;
  /** PARTSTAT: ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION, DELEGATED... */
  partstat: string | null;
  role: string | null;
}

export interface Alarm {
  action: string;
  /** Human-readable trigger, e.g. "15 minutes before start". */
  trigger: string;
  description: string | null;
}

export interface EventDetails {
  occurrence: Occurrence;
  description: string | null;
  /** The event's own zone (TZID of DTSTART) when it differs from the viewer's, with its wall-clock times. */
  ownZone: { tz: string; start: string; end: string } | null;
  /** "every year on 6 May", null when not recurring. */
  recurrenceText: string | null;
  organizer: Attendee | null;
  attendees: Attendee[];
  alarms: Alarm[];
  /** CLASS: PUBLIC, PRIVATE, CONFIDENTIAL, or null. */
  privacy: string | null;
  url: string | null;
  categories: string[];
  /** DUE of a to-do, as start/end are formatted. */
  due: string | null;
}

export interface ContactQuery {
  addressbookUrls?: string[];
  /** Substring search over names, emails, phones and organisation. */
  search?: string;
  /** The members of the groups of this name only (groups()). */
  group?: string;
  offset?: number;
  limit?: number;
}

export interface ContactsPage {
  contacts: Contact[];
  /** Matching contacts in all (for a virtualised list). */
  total: number;
  errors: DavlensError[];
}

export interface ContactRef {
  addressbookUrl: string;
  href: string;
}

export interface ContactDetails {
  contact: Contact;
  /** A data: URL of the card's inline photo, or null (photo URLs are not loaded: remote content). */
  photo: string | null;
  /** Everything the list item leaves out. */
  nicknames: string[];
  impps: TypedValue[];
  addresses: PostalAddress[];
}

export interface SyncCollectionReport {
  accountId: string;
  url: string;
  displayName: string;
  kind: 'calendar' | 'addressbook';
  added: number;
  changed: number;
  deleted: number;
  requests: number;
  bytes: number;
  ms: number;
  error: DavlensError | null;
}

export interface SyncStatus {
  running: boolean;
  accounts: { accountId: string; syncedAt: string | null; error: DavlensError | null }[];
  /** The collections of the last (or current) run. */
  collections: SyncCollectionReport[];
}

export type ExportTarget =
  | { kind: 'calendar'; calendarUrl: string }
  | { kind: 'addressbook'; addressbookUrl: string }
  | { kind: 'event'; calendarUrl: string; href: string; uid: string }
  | { kind: 'contact'; addressbookUrl: string; href: string };

export interface ExportFile {
  filename: string;
  mediaType: 'text/calendar' | 'text/vcard';
  content: string;
  errors: DavlensError[];
}

export interface SaveOutcome {
  /** False when the user cancelled the save dialog. */
  saved: boolean;
  path: string | null;
}

export interface Settings {
  /** IANA zone chosen by the user; null follows the system. */
  timeZone: string | null;
  /** Calendar URLs hidden in the sidebar. */
  hiddenCalendars: string[];
  syncIntervalMinutes: number;
  view: 'month' | 'week' | 'day' | 'list';
  /** The main window's sidebar is folded away (the header's sidebar button). */
  sidebarCollapsed: boolean;
  /** ISO week numbers in the month, week and day views. */
  weekNumbers: boolean;
}

/** What a new profile starts with, for the engine and (before its first answer) the UI: one value for both. */
export const DEFAULT_SETTINGS: Settings = {
  timeZone: null,
  hiddenCalendars: [],
  syncIntervalMinutes: 15,
  view: 'month',
  sidebarCollapsed: false,
  weekNumbers: false,
};

export interface LocalFileView {
  name: string;
  kind: 'ics' | 'vcf';
  events: Occurrence[];
  contacts: Contact[];
  errors: DavlensError[];
}

export type ProgressEvent =
  | { type: 'trace'; operationId: string; entry: TraceEntry }
  | { type: 'sync'; status: SyncStatus }
  /** A new account's first window (AddAccountRequest.window) is in: its calendars and their events can be shown. */
  | { type: 'window'; accountId: string };

/** Every call the UI makes. Each method takes at most one argument object. */
export interface DavlensApi {
  listAccounts(): Promise<Result<AccountSummary[]>>;
  addAccount(req: AddAccountRequest): Promise<Result<AddAccountOutcome>>;
  /**
   * The view has drawn the first windows it read (answers marked partial): their accounts' full syncs start now
   * rather than while the month is being drawn (without this call, a second after the 'window' event).
   */
  windowDrawn(): Promise<Result<null>>;
  removeAccount(req: { accountId: string }): Promise<Result<null>>;
  setPassword(req: { accountId: string; password: string }): Promise<Result<AccountSummary>>;
  listCollections(): Promise<Result<CollectionsView>>;
  occurrences(q: OccurrenceQuery): Promise<Result<OccurrencesResult>>;
  eventDetails(ref: EventRef): Promise<Result<EventDetails>>;
  contacts(q: ContactQuery): Promise<Result<ContactsPage>>;
  contactDetails(ref: ContactRef): Promise<Result<ContactDetails>>;
  syncNow(req: { accountId?: string }): Promise<Result<SyncStatus>>;
  syncStatus(): Promise<Result<SyncStatus>>;
  exportFile(target: ExportTarget): Promise<Result<ExportFile>>;
  /** Desktop: native save dialog. Browser: the UI downloads exportFile's content instead. */
  saveExport(target: ExportTarget): Promise<Result<SaveOutcome>>;
  getSettings(): Promise<Result<Settings>>;
  updateSettings(patch: Partial<Settings>): Promise<Result<Settings>>;
  openDemo(): Promise<Result<AccountSummary>>;
  openLocalFile(req: { name: string; content: string; tz: string }): Promise<Result<LocalFileView>>;
  /** Adds a subscribed calendar (or updates one) and fetches its feed. */
  subscribe(req: SubscribeRequest): Promise<Result<SubscribeOutcome>>;
  /** Renames it or sets its refresh interval (null: the feed's own again). */
  updateSubscription(req: { url: string; name?: string; refreshMinutes?: number | null }): Promise<Result<SubscriptionView>>;
  unsubscribe(req: { url: string }): Promise<Result<null>>;
  /** The contact groups of these address books (default: all), with their member counts. */
  groups(req: { addressbookUrls?: string[] }): Promise<Result<{ groups: ContactGroup[]; errors: DavlensError[] }>>;
}

export type ApiMethod = keyof DavlensApi;

/** One IPC channel / HTTP route per method, in this order. */
export const API_METHODS = [
  'listAccounts',
  'addAccount',
  'windowDrawn',
  'removeAccount',
  'setPassword',
  'listCollections',
  'occurrences',
  'eventDetails',
  'contacts',
  'contactDetails',
  'syncNow',
  'syncStatus',
  'exportFile',
  'saveExport',
  'getSettings',
  'updateSettings',
  'openDemo',
  'openLocalFile',
  'subscribe',
  'updateSubscription',
  'unsubscribe',
  'groups',
] as const satisfies readonly ApiMethod[];

/** A call of an API method by name, as every transport makes one (IPC, HTTP, the engine's wire). */
export type ApiCall = (method: ApiMethod, arg?: unknown) => Promise<Result<unknown>>;

/**
 * The contract as an object whose every method forwards to `call`: the one place where a transport's call by
 * name becomes the typed DavlensApi (what comes back is checked where it enters: dispatch.ts, the wire, IPC).
 */
export function apiOver(call: ApiCall): DavlensApi {
  const api: Partial<Record<ApiMethod, (arg?: unknown) => Promise<Result<unknown>>>> = {};
  for (const method of API_METHODS) api[method] = (arg?: unknown) => call(method, arg);
  return api as DavlensApi;
}

/** Calls `method` on `target` by name, with `target` as `this` (class methods keep their receiver). */
export function callOn(target: DavlensApi): ApiCall {
  return (method, arg) => Reflect.apply(target[method], target, [arg]) as Promise<Result<unknown>>;
}

/** The renderer side: the contract plus progress events (the transport adds the subscription). */
export interface DavlensClient extends DavlensApi {
  onProgress(listener: (event: ProgressEvent) => void): () => void;
}

/** Name of the object the Electron preload exposes on window. */
export const PRELOAD_GLOBAL = 'davlens';

// Compile-time check that API_METHODS names every method of the contract.
type MissingMethods = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
const _apiMethodsComplete: [MissingMethods] extends [never] ? true : never = true;
