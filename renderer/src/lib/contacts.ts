// Small helpers for showing contacts: names, initials, avatar colours, type labels, addresses.
import { contactSortKey, withoutTitles } from '../../../shared/contact-sort.ts';
import type { Contact, PostalAddress, TypedValue } from '../../../shared/models.ts';
import { t, tMaybe } from '../i18n/messages.ts';
import { readableColors } from './contrast.ts';
import type { ReadableColors } from './contrast.ts';

export function displayName(c: Pick<Contact, 'fn' | 'n' | 'org' | 'emails'>): string {
  const n = [c.n.prefix, c.n.given, c.n.additional, c.n.family, c.n.suffix].filter(Boolean).join(' ');
  return c.fn.trim() || n.trim() || c.org?.trim() || c.emails[0]?.value || t('contacts.unnamed');
}

/**
 * The letter a contact is filed under: the first letter of the key the engine sorts by (family name first, see
 * shared/contact-sort.ts), "#" for digits and symbols.
 */
export function groupInitial(c: Pick<Contact, 'fn' | 'n' | 'org' | 'emails'>): string {
  const first = contactSortKey(c).charAt(0).toLocaleUpperCase();
  return first && /\p{L}/u.test(first) ? first : '#';
}

export function initials(name: string): string {
  const words = withoutTitles(name)
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .split(/\s+/)
    .filter((w) => /\p{L}/u.test(w));
  if (words.length === 0) return '?';
  const first = words[0]!.charAt(0);
  const last = words.length > 1 ? words[words.length - 1]!.charAt(0) : '';
  return (first + last).toLocaleUpperCase();
}

const AVATAR_COLORS = ['#c0392b', '#d35400', '#b7950b', '#27ae60', '#16a085', '#2980b9', '#8e44ad', '#2c3e50', '#c2185b', '#5d4037'];

/** The avatar's colour for a name, always the same one, with initials that read on it (WCAG AA). */
export function avatarColors(seed: string): ReadableColors {
  let h = 0;
  for (let i = 0; i < seed.length; i++) h = (h * 31 + seed.charCodeAt(i)) >>> 0;
  return readableColors(AVATAR_COLORS[h % AVATAR_COLORS.length]!);
}

const IGNORED_TYPES = new Set(['pref', 'internet', 'x400', 'voice', 'msg']);

/** A short label for TYPE values: "mobile", "work", "home fax". */
export function typeLabel(types: string[]): string {
  const useful = types.map((x) => x.toLowerCase()).filter((x) => !IGNORED_TYPES.has(x));
  if (useful.length === 0) return types.some((x) => x.toLowerCase() === 'voice') ? t('type.voice') : '';
  return useful.map((x) => tMaybe(`type.${x}`, x.replace(/^x-/, ''))).join(' ');
}

/** Preferred values first (pref 1 before 2 before unset), otherwise in card order. */
export function byPreference<T extends { pref: number | null }>(values: T[]): T[] {
  return values
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (a.v.pref ?? 101) - (b.v.pref ?? 101) || a.i - b.i)
    .map((x) => x.v);
}

export function isPreferred(v: TypedValue | PostalAddress, all: (TypedValue | PostalAddress)[]): boolean {
  return all.length > 1 && v.pref !== null && v.pref === Math.min(...all.map((x) => x.pref ?? 101));
}

/** Address lines as people write them; the LABEL wins when the card has one. */
export function addressLines(a: PostalAddress): string[] {
  if (a.label && a.label.trim())
    return a.label
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  const cityLine = [a.postalCode, a.locality].filter(Boolean).join(' ');
  return [a.poBox, a.street, a.extended, [cityLine, a.region].filter(Boolean).join(', '), a.country]
    .flatMap((l) => l.split(/\r?\n/))
    .map((l) => l.trim())
    .filter(Boolean);
}

/** One-line summary under the name in the list: organisation, else the first email or phone. */
export function contactSubtitle(c: Contact): string {
  const org = [c.title, c.org].filter(Boolean).join(', ');
  return org || byPreference(c.emails)[0]?.value || byPreference(c.phones)[0]?.value || '';
}

/** An href made absolute against a base, or as it is when it is no URL. */
function absolute(href: string, base: string): string {
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

/** The address book an item lives in: the one whose URL its href is under (the longest such URL), else null. */
export function addressbookOfHref<B extends { url: string }>(href: string, books: readonly B[]): B | null {
  let best: B | null = null;
  for (const b of books) if (absolute(href, b.url).startsWith(b.url) && (!best || b.url.length > best.url.length)) best = b;
  return best;
}

/** The collection an item's href is a direct member of ("https://h/book/x.vcf" -> "https://h/book/"). */
export function parentCollection(href: string): string {
  try {
    return new URL('.', href).href;
  } catch {
    return href.replace(/[^/]*$/, '');
  }
}
