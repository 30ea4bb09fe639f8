// "Try the demo": the bundled sample calendars and address book (assets/demo) loaded into the store as an
// account of their own, with no server, so a first run shows something real.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressBook, Calendar } from '../../../shared/models.ts';
import { calendarItemRow, contactItemRow } from '../store/item-rows.ts';
import type { Store, StoredAccount } from '../store/store.ts';

const DEMO_ACCOUNT_ID = 'demo';

export function defaultDemoDir(): string {
  return resolve(import.meta.dirname, '../../../assets/demo');
}

interface DemoCalendar {
  file: string;
  displayName: string;
  color?: string;
  order?: number;
}

/** Splits a multi-event file into one resource per UID, as a server holds them. */
function splitByUid(ics: string): { uid: string; data: string }[] {
  const unfolded = ics.replace(/\r?\n[ \t]/g, '');
  const lines = unfolded.split(/\r?\n/);
  const timezones: string[] = [];
  const byUid = new Map<string, string[]>();
  let current: string[] | null = null;
  let depth = 0;
  let kind = '';
  for (const line of lines) {
    if (/^BEGIN:(VEVENT|VTODO|VTIMEZONE|VJOURNAL)$/i.test(line) && depth === 0) {
      current = [];
      kind = line.slice(6).toUpperCase();
    }
    if (current) {
      current.push(line);
      if (/^BEGIN:/i.test(line)) depth++;
      if (/^END:/i.test(line)) depth--;
      if (depth === 0) {
        if (kind === 'VTIMEZONE') timezones.push(current.join('\r\n'));
        else {
          const uid = current.find((l) => /^UID[:;]/i.test(l))?.replace(/^UID[^:]*:/i, '') ?? `item-${byUid.size}`;
          byUid.set(uid, [...(byUid.get(uid) ?? []), current.join('\r\n')]);
        }
        current = null;
      }
    }
  }
  return [...byUid.entries()].map(([uid, comps]) => ({
    uid,
    data: ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Davlens//Demo//EN', ...timezones, ...comps, 'END:VCALENDAR', ''].join('\r\n'),
  }));
}

export function splitCards(vcf: string): string[] {
  return vcf
    .replace(/\r?\n/g, '\r\n')
    .split(/(?<=END:VCARD\r\n)/i)
    .map((c) => c.trim())
    .filter((c) => /^BEGIN:VCARD/i.test(c))
    .map((c) => `${c}\r\n`);
}

/** (Re)loads the demo account from `dir`; returns it. */
export function loadDemo(store: Store, dir: string): StoredAccount {
  if (!existsSync(join(dir, 'calendars.json'))) throw new Error(`The demo data is missing (${dir}/calendars.json).`);
  const calendars = JSON.parse(readFileSync(join(dir, 'calendars.json'), 'utf8')) as DemoCalendar[];
  const account: StoredAccount = {
    id: DEMO_ACCOUNT_ID,
    email: 'demo',
    username: null,
    caldav: null,
    carddav: null,
    approvedHosts: [],
    options: {},
    syncedAt: new Date().toISOString(),
    lastError: null,
    demo: true,
  };
  store.removeAccount(DEMO_ACCOUNT_ID);
  store.saveAccount(account);
  for (const [i, c] of calendars.entries()) {
    const slug = c.file.replace(/\.ics$/i, '');
    const props: Calendar = {
      url: `demo:calendar/${slug}/`,
      displayName: c.displayName,
      color: c.color ?? null,
      order: c.order ?? i,
      components: ['VEVENT', 'VTODO'],
      ctag: null,
      syncToken: null,
      readOnly: true,
      description: null,
    };
    const col = store.upsertCollection(DEMO_ACCOUNT_ID, 'calendar', props);
    const items = splitByUid(readFileSync(join(dir, c.file), 'utf8'));
    const rows = items.map((it) => calendarItemRow({ href: `${props.url}${encodeURIComponent(it.uid)}.ics`, etag: null, data: it.data }));
    store.applyChanges(col.id, { upserts: rows, deletes: [], replaceAll: true, ctag: null, syncToken: null, props });
  }
  const bookFile = join(dir, 'contacts.vcf');
  if (existsSync(bookFile)) {
    const props: AddressBook = { url: 'demo:addressbook/contacts/', displayName: 'Contacts', ctag: null, syncToken: null, description: null };
    const col = store.upsertCollection(DEMO_ACCOUNT_ID, 'addressbook', props);
    const rows = splitCards(readFileSync(bookFile, 'utf8')).map((data, i) =>
      contactItemRow({ href: `${props.url}card-${i + 1}.vcf`, etag: null, data }, props.displayName),
    );
    store.applyChanges(col.id, { upserts: rows, deletes: [], replaceAll: true, ctag: null, syncToken: null, props });
  }
  return account;
}
