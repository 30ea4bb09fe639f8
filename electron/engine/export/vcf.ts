// Builds one .vcf out of address-book resources. vCards travel as served: only line endings are made CRLF and
// blank lines dropped, so every property, group and folding choice of the server survives.
import ICAL from 'ical.js';
import { davlensError } from '../../../shared/errors.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import { normaliseText, parseComponents } from './lines.ts';
import type { Resource } from './ics.ts';

/** The card's text ready to concatenate (ending in END:VCARD CRLF), or the error that says why it is left out. */
export function normaliseCard(card: Resource): string | DavlensError {
  try {
    // ical.js reads vCard too; the rest of the engine uses it, so what it rejects is unreadable here as well.
    ICAL.parse(normaliseText(card.data));
    const roots = parseComponents(card.data);
    if (roots.length === 0) throw new Error('no vCard data');
    for (const root of roots) if (root.name !== 'VCARD') throw new Error(`${root.name} is not a VCARD`);
    const lines = normaliseText(card.data)
      .split('\r\n')
      .filter((l) => l.length > 0);
    return `${lines.join('\r\n')}\r\n`;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return davlensError('item-unparsable', `${card.href} could not be read (${reason}); it was left out of the export.`, 'export', {
      href: card.href,
    });
  }
}
