// Contacts are stored as the engine read them (store.ts keeps each card's Contact as JSON beside its raw card).
// When a new version of Davlens reads more from a card (anniversaries and group members came with version 2) or
// files it differently (version 3 sorts by family name: shared/contact-sort.ts), the stored contacts are read again
// from their raw cards, once, and their sort keys written again: no sync is needed and nothing is fetched.
import { parseContactResource } from '../formats/vcard/index.ts';
import type { Store } from '../store/store.ts';

/** What the stored contacts were read and sorted with; raise it when contact.ts reads more from a card or the sort key changes. */
const CONTACT_MODEL = 3;
const SETTING = 'contactModel';

/** Reads the stored contacts again if an older version read them. Returns how many were read again. */
export function upgradeStoredContacts(store: Store): number {
  if ((store.getSetting<number>(SETTING) ?? 1) >= CONTACT_MODEL) return 0;
  let count = 0;
  store.transaction(() => {
    for (const card of store.storedCards()) {
      const { contact } = parseContactResource(card.href, card.data, card.addressbook);
      if (!contact) continue;
      store.rewriteContact(card.itemId, contact);
      count++;
    }
    store.setSetting(SETTING, CONTACT_MODEL);
  });
  return count;
}
