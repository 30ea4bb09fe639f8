// The vCard engine: CardDAV resources and .vcf files to Contact models. vCard 3.0 and 4.0 go to ical.js
// after a small pre-pass (normalise.ts) that also turns vCard 2.1 into 3.0, and both read into the same fields
// (quirk vcard4-as-3: Cyrus serves the 4.0 it was given as 3.0). Never throws: a card that cannot be read
// becomes a DavlensError naming it, and its neighbours are unaffected.
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import type { Contact } from '../../../../shared/models.ts';
import { davlensError } from '../../../../shared/errors.ts';
import type { DavlensError } from '../../../../shared/errors.ts';
import { propsOf, toContact } from './contact.ts';
import type { ContactExtras, Photo } from './contact.ts';
import { normaliseCard } from './normalise.ts';
import { splitCards } from './split.ts';
import type { CardChunk } from './split.ts';

export type { ContactExtras, Photo } from './contact.ts';

export interface ContactResourceResult {
  contact: Contact | null;
  photo: Photo | null;
  /** Nicknames and IMPP addresses (for the details view); null with the contact. */
  extras: ContactExtras | null;
  errors: DavlensError[];
}

export interface VcfFileResult {
  contacts: Contact[];
  errors: DavlensError[];
}

/**
 * One CardDAV resource (one vCard). A resource holding several cards yields the first and an error
 * saying the others were ignored.
 */
export function parseContactResource(href: string, vcf: string, addressbook: string): ContactResourceResult {
  const { cards } = splitCards(vcf);
  const first = cards[0];
  if (first === undefined) {
    const reason = vcf.trim() === '' ? 'the resource is empty' : 'it holds no vCard (no BEGIN:VCARD line)';
    return { contact: null, photo: null, extras: null, errors: [itemError(href, `Contact ${href} could not be read: ${reason}.`)] };
  }
  const errors: DavlensError[] = [];
  const parsed = parseChunk(first, href, addressbook, () => uidFromHref(href) || contentUid(first));
  let contact: Contact | null = null;
  let photo: Photo | null = null;
  let extras: ContactExtras | null = null;
  if ('reason' in parsed) {
    errors.push(itemError(href, `Contact ${href} could not be read: ${parsed.reason}.`));
  } else {
    ({ contact, photo, extras } = parsed);
  }
  if (cards.length > 1) {
    const extra = cards.length - 1;
    errors.push(
      itemError(
        href,
        `Contact ${href} holds ${cards.length} vCards; only the first was read and the other ${extra === 1 ? 'one was' : `${extra} were`} ignored.`,
      ),
    );
  }
  return { contact, photo, extras, errors };
}

/**
 * A .vcf file with any number of cards (a user opening a local file). Card n gets the href
 * `${source}#n` (1-based); a card without UID gets one derived from its content, so reopening the
 * same file gives the same uids.
 */
export function parseVcfFile(text: string, addressbook: string, source = ''): VcfFileResult {
  const { cards, strayEnds } = splitCards(text);
  const contacts: Contact[] = [];
  // Errors are reported in the order of the lines they name.
  const located: { line: number; error: DavlensError }[] = [];
  for (const line of strayEnds) {
    located.push({
      line,
      error: itemError(source || null, `Line ${line} has END:VCARD with no BEGIN:VCARD to match it; the lines before it that belong to no card were skipped.`),
    });
  }
  cards.forEach((chunk, i) => {
    const href = `${source}#${i + 1}`;
    const parsed = parseChunk(chunk, href, addressbook, () => contentUid(chunk));
    if ('reason' in parsed)
      located.push({ line: chunk.beginLine, error: itemError(href, `Card ${i + 1} (line ${chunk.beginLine}) could not be read: ${parsed.reason}.`) });
    else contacts.push(parsed.contact);
  });
  const errors = located.sort((a, b) => a.line - b.line).map((l) => l.error);
  if (cards.length === 0) {
    const reason = text.trim() === '' ? 'The file is empty' : 'The file holds no vCard (no BEGIN:VCARD line)';
    errors.push(itemError(source || null, `${reason}.`));
  }
  return { contacts, errors };
}

function parseChunk(
  chunk: CardChunk,
  href: string,
  addressbook: string,
  fallbackUid: () => string,
): { contact: Contact; photo: Photo | null; extras: ContactExtras } | { reason: string } {
  if (!chunk.complete) return { reason: 'it has no END:VCARD (another BEGIN:VCARD or the end of the text came first)' };
  const normalised = normaliseCard(chunk.lines, chunk.beginLine + 1);
  if (!normalised.ok) return { reason: normalised.reason };
  let jcard: unknown;
  try {
    jcard = ICAL.parse(normalised.text);
  } catch (e) {
    return { reason: `it is not valid vCard (${e instanceof Error ? e.message : String(e)})` };
  }
  const props = propsOf(jcard);
  if (props === null) return { reason: 'it is not a vCard' };
  try {
    return toContact(props, { href, addressbook, fallbackUid });
  } catch (e) {
    // toContact is written not to throw; this keeps the "never throws" promise if it ever does.
    return { reason: `a value could not be interpreted (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** A uid for a card without UID: the resource name without .vcf, which servers usually derive from the UID. */
export function uidFromHref(href: string): string {
  const path = href.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // Malformed percent-encoding: the raw segment is still stable.
  }
  return name.replace(/\.vcf$/i, '');
}

function contentUid(chunk: CardChunk): string {
  return 'vcf-' + createHash('sha256').update(chunk.lines.join('\n')).digest('hex').slice(0, 32);
}

function itemError(href: string | null, message: string): DavlensError {
  return davlensError('item-unparsable', message, 'parse', href === null ? {} : { href });
}
