// Export of calendars (.ics) and address books (.vcf) from the data the server served. Pure: text in, text
// and per-item errors out; a resource that cannot be read is reported by href and never hides the others.
import { davlensError, isDavlensError } from '../../../../shared/errors.ts';
import type { DavlensError } from '../../../../shared/errors.ts';
import { props, textValue } from '../content-lines.ts';
import type { ComponentNode } from '../content-lines.ts';
import { parseResource, writeCalendar } from './ics.ts';
import type { Resource } from './ics.ts';
import { normaliseCard } from './vcf.ts';

export { foldLine } from './lines.ts';
export { PRODID } from './ics.ts';
export type { Resource } from './ics.ts';

/** All resources of a calendar as one VCALENDAR; an empty collection gives a VCALENDAR with no components. */
export function exportCalendar(resources: Resource[]): { ics: string; errors: DavlensError[] } {
  const { read, errors } = readEach(resources, parseResource);
  return { ics: writeCalendar(read), errors };
}

/**
 * One event: the whole resource (master and overrides, with its time zones), or with `uid` only the
 * components of that UID and the time zones they use. `ics` is empty when there is nothing to export.
 */
export function exportEvent(resource: Resource, uid?: string): { ics: string; errors: DavlensError[] } {
  const r = parseResource(resource);
  if (isDavlensError(r)) return { ics: '', errors: [r] };
  if (uid === undefined) return { ics: writeCalendar([r]), errors: [] };
  const hasUid = r.calendars.some((cal) => cal.components.some((c) => componentUid(c) === uid));
  if (!hasUid) {
    return {
      ics: '',
      errors: [davlensError('not-found', `${resource.href} has no component with UID ${uid}.`, 'export', { href: resource.href })],
    };
  }
  return { ics: writeCalendar([r], (c) => componentUid(c) === uid), errors: [] };
}

/** All cards as one .vcf, each as served and ending in END:VCARD CRLF. */
export function exportAddressBook(cards: Resource[]): { vcf: string; errors: DavlensError[] } {
  const { read, errors } = readEach(cards, normaliseCard);
  return { vcf: read.join(''), errors };
}

/** Each resource read, or its error kept: a resource that cannot be read never hides the others. */
function readEach<T>(resources: Resource[], read: (resource: Resource) => T | DavlensError): { read: T[]; errors: DavlensError[] } {
  const out: T[] = [];
  const errors: DavlensError[] = [];
  for (const resource of resources) {
    const r = read(resource);
    if (isDavlensError(r)) errors.push(r);
    else out.push(r);
  }
  return { read: out, errors };
}

function componentUid(node: ComponentNode): string | undefined {
  const line = props(node).find((p) => p.name === 'UID');
  return line ? textValue(line) : undefined;
}
