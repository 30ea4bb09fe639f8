// An in-memory DavlensClient with generated data: for component tests, the UI benchmark page and looking
// at screens without an engine. Deterministic (seeded), fast range queries (events sorted by start).
import type {
  AccountSummary,
  AddAccountOutcome,
  AddAccountRequest,
  AddressBookView,
  CalendarView,
  ContactDetails,
  ContactQuery,
  DavlensClient,
  EventDetails,
  EventRef,
  ExportTarget,
  OccurrenceQuery,
  ProgressEvent,
  Result,
  Settings,
  SubscribeOutcome,
  SubscribeRequest,
  SubscriptionView,
  SyncStatus,
} from '../../shared/api.ts';
import { ok } from '../../shared/api.ts';
import { birthdayOccurrences, birthdaysCalendar } from '../../shared/birthdays.ts';
import { contactSortKey } from '../../shared/contact-sort.ts';
import type { Contact, ContactGroup, Occurrence } from '../../shared/models.ts';

export interface FakeOptions {
  /** Events in all (spread over `months` months from `startMonth`). */
  events?: number;
  months?: number;
  /** YYYY-MM of the first month with events. */
  startMonth?: string;
  contacts?: number;
  /** Start with no account and no subscription (first run). */
  empty?: boolean;
  /** Start with the demo subscription (FAKE_SUBSCRIPTION); default: unless empty. */
  subscription?: boolean;
  /** Artificial latency per call, ms. */
  latency?: number;
  seed?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const GIVEN = [
  'Anna',
  'Ben',
  'Clara',
  'David',
  'Eva',
  'Felix',
  'Greta',
  'Hugo',
  'Ida',
  'Jonas',
  'Karla',
  'Leo',
  'Mia',
  'Noah',
  'Olga',
  'Paul',
  'Rosa',
  'Simon',
  'Tara',
  'Umut',
  'Vera',
  'Wim',
  'Xenia',
  'Yusuf',
  'Zoe',
  'Émile',
  'Łucja',
  'Øystein',
];
const FAMILY = [
  'Adler',
  'Bauer',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hansen',
  'Ito',
  'Jansen',
  'Kowalski',
  'Lindqvist',
  'Müller',
  'Novak',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Usman',
  'Vogel',
  'Weber',
  'Xu',
  'Yilmaz',
  'Zimmermann',
];
const ORGS = ['Acme GmbH', 'Globex', 'Initech', 'Umbrella Labs', 'Stark Industries', 'Wayne Enterprises', 'Hooli', 'Vandelay Import', null, null];
const TITLES = ['Engineer', 'Designer', 'Manager', 'Consultant', 'Director', null, null];
const WHAT = [
  'Team meeting',
  'Lunch',
  'Review',
  'Call with client',
  'Planning',
  'Workshop',
  'Dentist',
  'Gym',
  'Stand-up',
  'Retro',
  'Coffee',
  'Interview',
  'Dinner',
  'Flight',
  'Concert',
];
const WHERE = ['Room 1', 'Room 2', 'Café Central', 'Online', 'Main office', null, null, null];

/** A fake calendar of the fake account: only what tells the calendars apart is given. */
function fakeCalendar(slug: string, displayName: string, color: string, order: number, more: Partial<CalendarView> = {}): CalendarView {
  const base = { ctag: null, syncToken: null, readOnly: false, description: null, accountId: 'fake', kind: 'calendar' as const, hidden: false };
  return { url: `https://dav.example.test/cal/${slug}/`, displayName, color, order, components: ['VEVENT'], ...base, ...more };
}

/** The fake account's server calendars. */
export const FAKE_CALENDARS: CalendarView[] = [
  fakeCalendar('work', 'Work', '#2f6fde', 1, { components: ['VEVENT', 'VTODO'] }),
  fakeCalendar('family', 'Family', '#2e9d57', 2),
  fakeCalendar('travel', 'Travel', '#d9534f', 3, { readOnly: true }),
  fakeCalendar('important', 'Important Dates', '#9b59b6', 4),
];

/** The Birthdays calendar Davlens makes from the fake account's contacts (listed after its server calendars). */
export const FAKE_BIRTHDAYS: CalendarView = {
  ...birthdaysCalendar('fake'),
  accountId: 'fake',
  kind: 'birthdays',
  hidden: false,
};

/** The fake contacts' groups: an Apple group card and a category (see makeContacts). */
export const FAKE_GROUPS = {
  bookClub: { name: 'Book club', source: 'apple' as const, href: 'https://dav.example.test/card/contacts/book-club.vcf' },
  friends: { name: 'Friends', source: 'categories' as const, href: null },
};

/** A subscribed calendar (a feed of public holidays), refreshed two hours ago. */
export const FAKE_SUBSCRIPTION: SubscriptionView = {
  url: 'https://feeds.example.test/holidays.ics',
  name: 'Public holidays',
  color: '#e66100',
  refreshMinutes: 24 * 60,
  syncedAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
  userRefreshMinutes: null,
  lastError: null,
  hidden: false,
  needsPassword: false,
  notes: [],
};

export const FAKE_ADDRESSBOOK: AddressBookView = {
  url: 'https://dav.example.test/card/contacts/',
  displayName: 'Contacts',
  ctag: null,
  syncToken: null,
  description: null,
  accountId: 'fake',
  count: 0,
};

export const FAKE_ACCOUNT: AccountSummary = {
  id: 'fake',
  email: 'alice@example.test',
  username: 'alice@example.test',
  caldav: {
    context: 'https://dav.example.test/',
    via: 'srv',
    principal: 'https://dav.example.test/alice/',
    homeSets: ['https://dav.example.test/cal/'],
    username: 'alice@example.test',
    offDomain: false,
    needsApproval: null,
  },
  carddav: {
    context: 'https://dav.example.test/',
    via: 'srv',
    principal: 'https://dav.example.test/alice/',
    homeSets: ['https://dav.example.test/card/'],
    username: 'alice@example.test',
    offDomain: false,
    needsApproval: null,
  },
  approvedHosts: [],
  syncedAt: new Date(Date.now() - 4 * 60_000).toISOString(),
  needsPassword: false,
  demo: false,
  lastError: null,
};

interface RawEvent {
  uid: string;
  summary: string;
  /** UTC ms (timed) or day index (all-day, days since epoch). */
  startMs: number;
  endMs: number;
  allDay: boolean;
  /** An account's calendar or a subscription. */
  calendar: { url: string; displayName: string };
  location: string | null;
  recurring: boolean;
  status: string | null;
  type: 'event' | 'todo';
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** ISO with the zone's offset at that instant: the form the engine returns. */
export function isoInZone(ms: number, tz: string): string {
  const parts = zoneParts(ms, tz);
  const wallAsUtc = Date.UTC(parts.y, parts.m - 1, parts.d, parts.h, parts.min, parts.s);
  const offMin = Math.round((wallAsUtc - Math.floor(ms / 1000) * 1000) / 60000);
  const sign = offMin >= 0 ? '+' : '-';
  const abs = Math.abs(offMin);
  return `${parts.y}-${pad(parts.m)}-${pad(parts.d)}T${pad(parts.h)}:${pad(parts.min)}:${pad(parts.s)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const partFormats = new Map<string, Intl.DateTimeFormat>();
function zoneParts(ms: number, tz: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  let f = partFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormats.set(tz, f);
  }
  const o: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') o[p.type] = Number(p.value);
  return { y: o.year!, m: o.month!, d: o.day!, h: o.hour! % 24, min: o.minute!, s: o.second! };
}

function dayToYmd(day: number): string {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

function ymdToDay(ymd: string): number {
  return Math.floor(Date.parse(`${ymd}T00:00:00Z`) / 86400000);
}

export function makeContacts(n: number, seed = 7): Contact[] {
  const r = rng(seed);
  const out: Contact[] = [];
  for (let i = 0; i < n; i++) {
    const given = GIVEN[Math.floor(r() * GIVEN.length)]!;
    const family = FAMILY[Math.floor(r() * FAMILY.length)]!;
    const org = ORGS[Math.floor(r() * ORGS.length)] ?? null;
    const fn = `${given} ${family}${n > GIVEN.length * FAMILY.length ? ` ${i}` : ''}`;
    const local = `${given}.${family}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z.]/g, '');
    out.push({
      uid: `c-${i}`,
      href: `${FAKE_ADDRESSBOOK.url}c-${i}.vcf`,
      fn,
      n: { family, given, additional: '', prefix: '', suffix: '' },
      org,
      title: TITLES[Math.floor(r() * TITLES.length)] ?? null,
      emails: [
        { value: `${local}${i}@example.org`, types: ['work'], pref: 1 },
        ...(r() > 0.5 ? [{ value: `${local}@home.example`, types: ['home'], pref: null }] : []),
      ],
      phones: [{ value: `+49 30 ${1000000 + Math.floor(r() * 8999999)}`, types: r() > 0.5 ? ['cell'] : ['work', 'voice'], pref: null }],
      addresses:
        r() > 0.6
          ? [
              {
                types: ['home'],
                pref: null,
                poBox: '',
                extended: '',
                street: `${Math.floor(r() * 200) + 1} Main Street`,
                locality: 'Berlin',
                region: '',
                postalCode: '10115',
                country: 'Germany',
                label: null,
              },
            ]
          : [],
      bday: r() > 0.7 ? `19${60 + Math.floor(r() * 40)}-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))}` : r() > 0.9 ? '--05-06' : null,
      // Every 20th contact is married (a year known for most), every 5th a friend, every 7th in the book club.
      anniversary:
        i % 20 === 3 ? (i % 60 === 3 ? `--${pad(1 + (i % 12))}-${pad(1 + (i % 28))}` : `20${pad(i % 20)}-${pad(1 + (i % 12))}-${pad(1 + (i % 28))}`) : null,
      note: r() > 0.8 ? 'Met at the conference, see https://example.org/talk' : null,
      urls: r() > 0.8 ? ['https://example.org/'] : [],
      categories: i % 5 === 0 ? [FAKE_GROUPS.friends.name] : [],
      kind: 'individual',
      group: null,
      groups: [...(i % 7 === 0 ? [FAKE_GROUPS.bookClub.name] : []), ...(i % 5 === 0 ? [FAKE_GROUPS.friends.name] : [])],
      hasPhoto: false,
      addressbook: FAKE_ADDRESSBOOK.displayName,
    });
  }
  // In the engine's order (its store sorts by this key).
  return out.sort((a, b) => (contactSortKey(a) < contactSortKey(b) ? -1 : contactSortKey(a) > contactSortKey(b) ? 1 : 0));
}

export function makeEvents(n: number, startMonth: string, months: number, seed = 11): RawEvent[] {
  const r = rng(seed);
  const [y, m] = startMonth.split('-').map(Number) as [number, number];
  const startDay = Math.floor(Date.UTC(y, m - 1, 1) / 86400000);
  const endDay = Math.floor(Date.UTC(y, m - 1 + months, 1) / 86400000);
  const span = endDay - startDay;
  const out: RawEvent[] = [];
  for (let i = 0; i < n; i++) {
    const day = startDay + Math.floor(r() * span);
    const cal = FAKE_CALENDARS[Math.floor(r() * FAKE_CALENDARS.length)]!;
    const allDay = r() < 0.15;
    const multi = allDay && r() < 0.2 ? 1 + Math.floor(r() * 3) : 0;
    const hour = 7 + Math.floor(r() * 12);
    const startMs = allDay ? day : day * 86400000 + (hour - 1) * 3600000 + (r() < 0.5 ? 30 * 60000 : 0);
    out.push({
      uid: `e-${i}`,
      summary: `${WHAT[Math.floor(r() * WHAT.length)]} ${i}`,
      startMs,
      endMs: allDay ? day + 1 + multi : startMs + (1 + Math.floor(r() * 3)) * 30 * 60000,
      allDay,
      calendar: cal,
      location: WHERE[Math.floor(r() * WHERE.length)] ?? null,
      recurring: r() < 0.2,
      status: r() < 0.03 ? 'CANCELLED' : null,
      type: r() < 0.04 ? 'todo' : 'event',
    });
  }
  return out.sort((a, b) => sortKey(a) - sortKey(b));
}

/** The subscription's all-day holidays: the 8th and the 22nd of each month of the range. */
export function makeHolidays(startMonth: string, months: number): RawEvent[] {
  const [y, m] = startMonth.split('-').map(Number) as [number, number];
  const calendar = { url: FAKE_SUBSCRIPTION.url, displayName: FAKE_SUBSCRIPTION.name };
  const out: RawEvent[] = [];
  for (let i = 0; i < months; i++) {
    for (const date of [8, 22]) {
      const day = Math.floor(Date.UTC(y, m - 1 + i, date) / 86400000);
      const base = { startMs: day, endMs: day + 1, allDay: true, calendar, location: null, recurring: false, status: null, type: 'event' as const };
      out.push({ ...base, uid: `holiday-${i}-${date}`, summary: `Holiday ${i + 1}.${date === 8 ? 1 : 2}` });
    }
  }
  return out;
}

function sortKey(e: RawEvent): number {
  return e.allDay ? e.startMs * 86400000 : e.startMs;
}

function toOccurrence(e: RawEvent, tz: string): Occurrence {
  return {
    type: e.type,
    uid: e.uid,
    summary: e.summary,
    start: e.allDay ? dayToYmd(e.startMs) : isoInZone(e.startMs, tz),
    end: e.allDay ? dayToYmd(e.endMs) : isoInZone(e.endMs, tz),
    allDay: e.allDay,
    calendar: e.calendar.displayName,
    calendarUrl: e.calendar.url,
    recurrenceId: e.recurring ? (e.allDay ? dayToYmd(e.startMs) : new Date(e.startMs).toISOString()) : null,
    location: e.location,
    status: e.status,
    href: `${e.calendar.url}${e.uid}.ics`,
    recurring: e.recurring,
    source: 'calendar',
  };
}

/** The groups of the fake contacts, with their member counts. */
function fakeGroups(contacts: readonly Contact[]): ContactGroup[] {
  const count = (name: string): number => contacts.filter((c) => c.groups.includes(name)).length;
  return [FAKE_GROUPS.bookClub, FAKE_GROUPS.friends].map((g) => ({ ...g, members: count(g.name) }));
}

export interface FakeClient extends DavlensClient {
  emit(e: ProgressEvent): void;
  calls: { method: string; arg: unknown }[];
  settings: Settings;
}

/** The fake's subscriptions: added with the feed's name (the URL's last segment), renamed, removed. */
function fakeSubscriptions(initial: SubscriptionView[], settings: Settings) {
  let list = initial;
  const find = (url: string): SubscriptionView => {
    const s = list.find((x) => x.url === url);
    if (!s) throw new Error(`not subscribed: ${url}`);
    return s;
  };
  const put = (s: SubscriptionView): SubscriptionView => {
    list = [...list.filter((x) => x.url !== s.url), s];
    return s;
  };
  return {
    list: () => list.map((s) => ({ ...s, hidden: settings.hiddenCalendars.includes(s.url) })),
    subscribe: (req: SubscribeRequest): SubscribeOutcome => {
      const url = req.url.replace(/^webcals?:/i, 'https:');
      const known = list.find((x) => x.url === url);
      const name = req.name ?? known?.name ?? decodeURIComponent(url.split('/').filter(Boolean).pop() ?? url).replace(/\.ics$/i, '');
      const refresh = req.refreshMinutes ?? known?.userRefreshMinutes ?? null;
      const base = known ?? { ...FAKE_SUBSCRIPTION, url, color: '#2e9d6a' };
      const view = { ...base, name, userRefreshMinutes: refresh, refreshMinutes: refresh ?? 24 * 60, syncedAt: new Date().toISOString() };
      return { subscription: put({ ...view, lastError: null, needsPassword: false }), errors: [] };
    },
    update: (req: { url: string; name?: string; refreshMinutes?: number | null }): SubscriptionView => {
      const s = find(req.url);
      const refresh = req.refreshMinutes === undefined ? s.userRefreshMinutes : req.refreshMinutes;
      return put({ ...s, name: req.name ?? s.name, userRefreshMinutes: refresh, refreshMinutes: refresh ?? 24 * 60 });
    },
    remove: (url: string): null => {
      find(url);
      list = list.filter((x) => x.url !== url);
      return null;
    },
  };
}

export function createFakeClient(opts: FakeOptions = {}): FakeClient {
  const startMonth = opts.startMonth ?? new Date().toISOString().slice(0, 7);
  const withSubscription = opts.subscription ?? !opts.empty;
  const events = makeEvents(opts.events ?? 600, startMonth, opts.months ?? 3, opts.seed ?? 11);
  if (withSubscription) events.push(...makeHolidays(startMonth, opts.months ?? 3));
  events.sort((a, b) => sortKey(a) - sortKey(b));
  const contacts = makeContacts(opts.contacts ?? 300, opts.seed ?? 7);
  const lowered = contacts.map((c) => [c.fn, c.org ?? '', ...c.emails.map((e) => e.value), ...c.phones.map((p) => p.value)].join(' ').toLowerCase());
  let accounts: AccountSummary[] = opts.empty ? [] : [FAKE_ACCOUNT];
  const settings: Settings = { timeZone: null, hiddenCalendars: [], syncIntervalMinutes: 30, view: 'month', sidebarCollapsed: false, weekNumbers: false };
  const subscriptions = fakeSubscriptions(withSubscription ? [FAKE_SUBSCRIPTION] : [], settings);
  const listeners = new Set<(e: ProgressEvent) => void>();
  const calls: { method: string; arg: unknown }[] = [];
  const delay = opts.latency ?? 0;
  const answer = async <T>(method: string, arg: unknown, value: () => T): Promise<Result<T>> => {
    calls.push({ method, arg });
    if (delay) await new Promise((r) => setTimeout(r, delay));
    return ok(value());
  };
  const sync = (): SyncStatus => ({ running: false, accounts: accounts.map((a) => ({ accountId: a.id, syncedAt: a.syncedAt, error: null })), collections: [] });

  function lowerBound(ms: number): number {
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sortKey(events[mid]!) < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  const client: FakeClient = {
    calls,
    settings,
    emit: (e) => listeners.forEach((l) => l(e)),
    onProgress(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    listAccounts: () => answer('listAccounts', undefined, () => accounts),
    addAccount: (req: AddAccountRequest) =>
      answer('addAccount', req, (): AddAccountOutcome => {
        const account = { ...FAKE_ACCOUNT, email: req.email };
        accounts = [account];
        return { status: 'added', account, discovery: { caldav: account.caldav, carddav: account.carddav, errors: [], trace: [], steps: [] } };
      }),
    removeAccount: (req) => answer('removeAccount', req, () => ((accounts = accounts.filter((a) => a.id !== req.accountId)), null)),
    setPassword: (req) => answer('setPassword', req, () => ({ ...FAKE_ACCOUNT, needsPassword: false })),
    listCollections: () =>
      answer('listCollections', undefined, () =>
        accounts.length
          ? {
              calendars: [...FAKE_CALENDARS, FAKE_BIRTHDAYS].map((c) => ({ ...c, hidden: settings.hiddenCalendars.includes(c.url) })),
              addressbooks: [{ ...FAKE_ADDRESSBOOK, count: contacts.length }],
              subscriptions: subscriptions.list(),
            }
          : { calendars: [], addressbooks: [], subscriptions: subscriptions.list() },
      ),
    occurrences: (q: OccurrenceQuery) =>
      answer('occurrences', q, () => {
        const fromDay = ymdToDay(q.from);
        const toDay = ymdToDay(q.to);
        // Timed events whose UTC day is within a day of the range; filtered by wall-clock date below.
        const i0 = lowerBound((fromDay - 2) * 86400000);
        const out: Occurrence[] = [];
        const cals = q.calendarUrls ? new Set(q.calendarUrls) : null;
        const s = q.search?.toLowerCase();
        for (let i = i0; i < events.length; i++) {
          const e = events[i]!;
          if (sortKey(e) >= (toDay + 2) * 86400000) break;
          if (cals && !cals.has(e.calendar.url)) continue;
          if (s && !`${e.summary} ${e.location ?? ''}`.toLowerCase().includes(s)) continue;
          const o = toOccurrence(e, q.tz);
          const startDay = o.start.slice(0, 10);
          const endDay = o.end.slice(0, 10);
          if (startDay >= q.to || (o.allDay ? endDay <= q.from : o.end.slice(0, 19) <= `${q.from}T00:00:00`)) continue;
          out.push(o);
        }
        const birthdays = cals ? cals.has(FAKE_BIRTHDAYS.url) : accounts.length > 0 && !settings.hiddenCalendars.includes(FAKE_BIRTHDAYS.url);
        if (birthdays) out.push(...birthdayOccurrences(contacts, q.from, q.to, FAKE_BIRTHDAYS).filter((o) => !s || o.summary.toLowerCase().includes(s)));
        return { events: out, partial: false, errors: [] };
      }),
    eventDetails: async (ref: EventRef): Promise<Result<EventDetails>> => {
      const e = events.find((x) => x.uid === ref.uid);
      if (!e) return { ok: false, error: { code: 'not-found', message: `No event ${ref.uid}.`, step: 'items', url: null, status: null } };
      return answer('eventDetails', ref, (): EventDetails => {
        const o = toOccurrence(e, ref.tz);
        return {
          occurrence: o,
          description: 'Agenda: https://example.org/agenda\n<b>not bold</b>',
          ownZone: null,
          recurrenceText: e.recurring ? 'every week on Tuesday' : null,
          organizer: { name: 'Alice', email: 'alice@example.test', partstat: 'ACCEPTED', role: 'CHAIR' },
          attendees: [{ name: 'Bob', email: 'bob@example.test', partstat: 'TENTATIVE', role: 'REQ-PARTICIPANT' }],
          alarms: [{ action: 'DISPLAY', trigger: '15 minutes before start', description: null }],
          privacy: 'PUBLIC',
          url: null,
          categories: [],
          due: null,
        };
      });
    },
    contacts: (q: ContactQuery) =>
      answer('contacts', q, () => {
        const s = q.search?.toLowerCase();
        const group = q.group?.toLowerCase();
        const list = contacts.filter((c, i) => (!s || lowered[i]!.includes(s)) && (!group || c.groups.some((g) => g.toLowerCase() === group)));
        const offset = q.offset ?? 0;
        return { contacts: list.slice(offset, offset + (q.limit ?? 100_000)), total: list.length, errors: [] };
      }),
    contactDetails: (ref) =>
      answer('contactDetails', ref, (): ContactDetails => {
        const c = contacts.find((x) => x.href === ref.href)!;
        return { contact: c, photo: null, nicknames: [], impps: [], addresses: c.addresses };
      }),
    syncNow: (req) => answer('syncNow', req, sync),
    windowDrawn: () => answer('windowDrawn', undefined, () => null),
    syncStatus: () => answer('syncStatus', undefined, sync),
    exportFile: (target: ExportTarget) =>
      answer('exportFile', target, () => ({
        filename: 'export.ics',
        mediaType: 'text/calendar' as const,
        content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
        errors: [],
      })),
    saveExport: (target) => answer('saveExport', target, () => ({ saved: true, path: '/tmp/export.ics' })),
    getSettings: () => answer('getSettings', undefined, () => ({ ...settings })),
    updateSettings: (patch) => answer('updateSettings', patch, () => Object.assign(settings, patch) && { ...settings }),
    openDemo: () => answer('openDemo', undefined, () => ((accounts = [{ ...FAKE_ACCOUNT, demo: true }]), accounts[0]!)),
    openLocalFile: (req) => answer('openLocalFile', req, () => ({ name: req.name, kind: 'ics' as const, events: [], contacts: [], errors: [] })),
    subscribe: (req) => answer('subscribe', req, () => subscriptions.subscribe(req)),
    updateSubscription: (req) => answer('updateSubscription', req, () => subscriptions.update(req)),
    unsubscribe: (req) => answer('unsubscribe', req, () => subscriptions.remove(req.url)),
    groups: (req) =>
      answer('groups', req, () => ({
        groups: accounts.length && (!req.addressbookUrls || req.addressbookUrls.includes(FAKE_ADDRESSBOOK.url)) ? fakeGroups(contacts) : [],
        errors: [],
      })),
  };
  return client;
}
