// Builds one .vcf out of address-book resources. vCards travel as served: only line endings are made CRLF,
// blank lines dropped and quoted parameters broken over raw lines mended, so every property, group and folding
// choice of the server survives.
import ICAL from 'ical.js';
import { davlensError } from '../../../../shared/errors.ts';
import type { DavlensError } from '../../../../shared/errors.ts';
import { parseComponents, physicalLines } from '../content-lines.ts';
import { joinQuotedBreaks } from '../vcard/normalise.ts';
import type { Resource } from './ics.ts';

/** The card's text ready to concatenate (ending in END:VCARD CRLF), or the error that says why it is left out. */
export function normaliseCard(card: Resource): string | DavlensError {
  try {
    // A quoted parameter broken over raw lines is mended as the reader mends it (quirk label-line-breaks).
    const lines = joinQuotedBreaks(physicalLines(card.data))
      .map((l) => l.text)
      .filter((l) => l.length > 0);
    const text = `${lines.join('\r\n')}\r\n`;
    // ical.js reads vCard too; the rest of the engine uses it, so what it rejects is unreadable here as well.
    ICAL.parse(text);
    const roots = parseComponents(text);
    if (roots.length === 0) throw new Error('no vCard data');
    for (const root of roots) if (root.name !== 'VCARD') throw new Error(`${root.name} is not a VCARD`);
    return text;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return davlensError('item-unparsable', `${card.href} could not be read (${reason}); it was left out of the export.`, 'export', {
      href: card.href,
    });
  }
}
