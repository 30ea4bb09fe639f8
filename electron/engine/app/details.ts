// One event or contact as the details panel shows it, and files to export: read from the store on request.
import type { ContactDetails, ContactRef, EventRef, ExportFile, ExportTarget } from '../../../shared/api.ts';
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';
import { eventDetails } from '../formats/event-details.ts';
import { expandOccurrences, parseCalendarResource, resourceSpan } from '../formats/ical/index.ts';
import type { Engine } from './engine.ts';
import { groupsOf, withGroups } from './groups.ts';
import { isoDay } from './local-file.ts';
import { contactPhoto, exportItem } from './queries.ts';

const DAY_MS = 86_400_000;

export function eventDetailsOf(engine: Engine, ref: EventRef) {
  const c = engine.collection(ref.calendarUrl, 'calendar');
  const item = engine.store.getItem(c.id, ref.href);
  if (!item) throw new DavlensFailure(davlensError('not-found', `The event ${ref.href} is no longer in ${c.props.displayName}.`, 'items', { url: ref.href }));
  const parsed = parseCalendarResource(item.href, item.data);
  if (!parsed.resource) throw new DavlensFailure(parsed.errors[0] ?? davlensError('item-unparsable', `The event ${ref.href} could not be read.`, 'parse'));
  // The occurrence as the grid showed it: expand the item around its recurrence id (or its start).
  const span = resourceSpan(parsed.resource);
  const anchor = ref.recurrenceId
    ? Date.parse(ref.recurrenceId.length === 10 ? `${ref.recurrenceId}T00:00:00Z` : ref.recurrenceId.replace(/Z?$/, 'Z'))
    : (span.start ?? Date.now());
  const found = expandOccurrences(
    [parsed.resource],
    { from: isoDay(anchor - 400 * DAY_MS), to: isoDay(anchor + 400 * DAY_MS), tz: ref.tz },
    { displayName: c.props.displayName, url: c.url },
  );
  const occurrence =
    found.occurrences.find((o) => o.uid === ref.uid && o.recurrenceId === ref.recurrenceId) ?? found.occurrences.find((o) => o.uid === ref.uid);
  if (!occurrence)
    throw new DavlensFailure(
      davlensError('not-found', `The event ${ref.uid} has no occurrence at ${ref.recurrenceId ?? 'its start'}.`, 'items', { url: ref.href }),
    );
  return eventDetails(item.data, occurrence, ref.tz);
}

export function contactDetailsOf(engine: Engine, ref: ContactRef): ContactDetails {
  const c = engine.collection(ref.addressbookUrl, 'addressbook');
  const parsed = contactPhoto(engine.store, c, ref.href);
  if (!parsed?.contact)
    throw new DavlensFailure(
      parsed?.errors[0] ?? davlensError('not-found', `The contact ${ref.href} is no longer in ${c.props.displayName}.`, 'items', { url: ref.href }),
    );
  const p = parsed.photo;
  // Only inline images reach the UI: loading a photo URL would tell a third-party host who looks at the
  // contact and when (remote content, as mail clients block it), and the CSP allows no remote images.
  const photo = p && 'data' in p ? `data:${/^image\/[\w.+-]+$/.test(p.mediaType ?? '') ? p.mediaType : 'image/jpeg'};base64,${p.data}` : null;
  // The groups it is in: its own categories, and the group cards of its address book that name it.
  const groups = groupsOf([...engine.store.contactCards([c.id], { groups: true }), parsed.contact]);
  return {
    contact: withGroups([parsed.contact], groups)[0] ?? parsed.contact,
    photo,
    nicknames: parsed.extras?.nicknames ?? [],
    impps: parsed.extras?.impps ?? [],
    addresses: parsed.contact.addresses,
  };
}

function filename(name: string, ext: 'ics' | 'vcf'): string {
  const base =
    name
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
      .trim()
      .slice(0, 100) || 'export';
  return `${base}.${ext}`;
}

const FILE = {
  calendar: { ext: 'ics', mediaType: 'text/calendar' },
  addressbook: { ext: 'vcf', mediaType: 'text/vcard' },
} as const;

export function exportFileOf(engine: Engine, target: ExportTarget): ExportFile {
  if (target.kind === 'calendar' || target.kind === 'addressbook') {
    const c = engine.collection(target.kind === 'calendar' ? target.calendarUrl : target.addressbookUrl, target.kind);
    const out = engine.exportCollection(c);
    return { filename: filename(c.props.displayName, FILE[target.kind].ext), mediaType: FILE[target.kind].mediaType, ...out };
  }
  const kind = target.kind === 'event' ? 'calendar' : 'addressbook';
  const c = engine.collection(target.kind === 'event' ? target.calendarUrl : target.addressbookUrl, kind);
  const out = exportItem(engine.store, c, target.href, target.kind === 'event' ? target.uid : undefined);
  if (!out) throw new DavlensFailure(davlensError('not-found', `${target.href} is no longer in ${c.props.displayName}.`, 'export', { url: target.href }));
  const name = target.kind === 'event' ? engine.store.getItem(c.id, target.href) && target.uid : contactPhoto(engine.store, c, target.href)?.contact?.fn;
  return { filename: filename(name || 'item', FILE[kind].ext), mediaType: FILE[kind].mediaType, ...out };
}
