// Where a contact is filed: by N's family name, then its given name, as Apple and GNOME Contacts file people, so
// "Dr. Helga Wagner" is under W, not D. A card without a structured name is filed by its formatted name (leading
// honorifics skipped), organisation or email. The engine's store orders contacts by this key and the contacts
// list heads its groups with the key's first letter: one key for both, so a letter's contacts are never split.
import type { Contact } from './models.ts';

// Titles written before a name that say nothing about where to file it ("Dr. med." is two of them). Abbreviations
// that are also names ("Ing", "Hon") count only with their dot.
const HONORIFIC =
  /^(?:(?:(?:dr|prof|mr|mrs|ms|mx|mme|mlle|rev|hon|fr|sr|sra|srta|ing|dott|med)\.|(?:dr|prof|mr|mrs|ms|mx|mme|mlle|sir|dame|herr|frau|miss))\s+)+/i;

/**
 * The contact's sort key: lower case, accents removed (so É files with E in the store's byte order), family name
 * and given name separated by a character below every letter (so "Berg Nora" comes before "Bergman Anna").
 */
export function contactSortKey(c: Pick<Contact, 'fn' | 'n' | 'org' | 'emails'>): string {
  const family = c.n.family.trim();
  const given = c.n.given.trim();
  const name =
    family || given ? [family, given].filter(Boolean).join('\u0001') : c.fn.trim().replace(HONORIFIC, '') || c.org?.trim() || c.emails[0]?.value.trim() || '';
  return plain(name);
}

/** A formatted name without the titles before it: "Dr. med. Ahmed Hassan" is "Ahmed Hassan" (for initials, too). */
export function withoutTitles(name: string): string {
  return name.trim().replace(HONORIFIC, '');
}

function plain(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLocaleLowerCase();
}
