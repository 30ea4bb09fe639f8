// Values of the shared models as the engine hands them to the UI, for tests that need one without parsing a file
// or asking a server. Plain TypeScript: the renderer's tests import it too.
import type { Calendar, Contact, Occurrence } from '../../shared/models.ts';

/**
 * An event of the calendar Work at dav.test, named and identified by its summary, from `start` to `end` (all day
 * when they are dates); `more` overrides any field.
 */
export function occurrence(summary: string, start: string, end: string, more: Partial<Occurrence> = {}): Occurrence {
  return {
    type: 'event',
    uid: summary,
    summary,
    start,
    end,
    allDay: !start.includes('T'),
    calendar: 'Work',
    calendarUrl: 'https://dav.test/cal/work/',
    recurrenceId: null,
    location: null,
    status: null,
    href: `https://dav.test/cal/work/${encodeURIComponent(summary)}.ics`,
    recurring: false,
    source: 'calendar',
    ...more,
  };
}

/** A contact with only what `fields` gives: every other field empty, as a card without it is parsed. */
export function blankContact(fields: Partial<Contact>): Contact {
  return {
    uid: '',
    href: '',
    fn: '',
    n: { family: '', given: '', additional: '', prefix: '', suffix: '' },
    org: null,
    title: null,
    emails: [],
    phones: [],
    addresses: [],
    bday: null,
    anniversary: null,
    note: null,
    urls: [],
    categories: [],
    kind: 'individual',
    group: null,
    groups: [],
    hasPhoto: false,
    addressbook: '',
    ...fields,
  };
}

/** A writable calendar of events as a server lists it: no colour, order, change markers or description unless `fields` gives them. */
export function calendarProps(url: string, displayName: string, fields: Partial<Calendar> = {}): Calendar {
  return { url, displayName, color: null, order: null, components: ['VEVENT'], ctag: null, syncToken: null, readOnly: false, description: null, ...fields };
}
