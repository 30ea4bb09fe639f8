// A profile's rows made directly in the store, for engine tests and benchmarks that need stored data without a
// server: an account with nothing discovered, a calendar and an address book holding given items.
import { createHash } from 'node:crypto';
import type { Calendar } from '../../shared/models.ts';
import type { ItemRow, StoredAccount, StoredCollection, Store } from '../../electron/engine/store/store.ts';
import { contactItemRow } from '../../electron/engine/store/item-rows.ts';

/** An account as discovery would leave it with no service found; `fields` overrides any of it. */
export function storedAccount(email: string, fields: Partial<StoredAccount> = {}): StoredAccount {
  return {
    id: email,
    email,
    username: null,
    caldav: null,
    carddav: null,
    approvedHosts: [],
    options: {},
    syncedAt: null,
    lastError: null,
    demo: false,
    ...fields,
  };
}

/** Saves a calendar with `props`, its change markers those of `props`, holding `rows`: as a finished sync leaves it. */
export function storedCalendar(store: Store, accountId: string, props: Calendar, rows: ItemRow[] = []): StoredCollection {
  const c = store.upsertCollection(accountId, 'calendar', props);
  store.applyChanges(c.id, { upserts: rows, deletes: [], replaceAll: true, ctag: props.ctag, syncToken: props.syncToken, props });
  return c;
}

/**
 * Saves an address book at `url` holding `cards` (vCard texts), each at `url` + its index + `.vcf` under an ETag of its
 * text, as a server gives one: saved again, a changed card replaces the stored one and a card no longer given goes.
 */
export function storedAddressBook(store: Store, accountId: string, url: string, cards: readonly string[]): StoredCollection {
  const book = store.upsertCollection(accountId, 'addressbook', { url, displayName: 'Contacts', ctag: null, syncToken: null, description: null });
  const etag = (data: string) => createHash('sha256').update(data).digest('hex').slice(0, 16);
  const upserts = cards.map((data, i) => contactItemRow({ href: `${url}${i}.vcf`, etag: etag(data), data }, book.props.displayName));
  store.applyChanges(book.id, { upserts, deletes: [], replaceAll: true, ctag: null, syncToken: null, props: book.props });
  return book;
}
