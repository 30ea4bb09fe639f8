// JSON-safe models shared by the CLI, the API and the UI. Plain values only: no Date, Map or class
// instances, so they cross IPC (structuredClone), HTTP (JSON) and stdout unchanged.
import type { DavlensError } from './errors.ts';

export interface Calendar {
  url: string;
  displayName: string;
  /** #RRGGBB or null */
  color: string | null;
  /** Apple calendar-order, or null */
  order: number | null;
  /** supported-calendar-component-set; every type when the server does not say (RFC 4791 §5.2.3). */
  components: string[];
  ctag: string | null;
  syncToken: string | null;
  /** No write privilege in current-user-privilege-set. */
  readOnly: boolean;
  description: string | null;
}

export interface AddressBook {
  url: string;
  displayName: string;
  ctag: string | null;
  syncToken: string | null;
  description: string | null;
}

export interface Occurrence {
  type: 'event' | 'todo';
  uid: string;
  summary: string;
  /** All-day: YYYY-MM-DD. Timed: ISO 8601 with the offset of the viewer's zone, e.g. 2026-03-29T09:00:00+02:00. */
  start: string;
  /** Exclusive. Same form as start. */
  end: string;
  allDay: boolean;
  /** Display name of the calendar. */
  calendar: string;
  calendarUrl: string;
  /** RECURRENCE-ID of this instance as in the item (UTC ISO "2026-03-29T07:00:00Z", local ISO without offset, or a date); null for a non-recurring item. */
  recurrenceId: string | null;
  location: string | null;
  /** STATUS as in the item (CONFIRMED, TENTATIVE, CANCELLED, NEEDS-ACTION, COMPLETED...), or null. */
  status: string | null;
  /** The item's href on the server. */
  href: string;
  /** Part of a recurring series (master with RRULE/RDATE, or an override). */
  recurring: boolean;
  /** What made it: a calendar's item, or a contact's BDAY or ANNIVERSARY (the account's Birthdays calendar). */
  source: 'calendar' | 'birthday' | 'anniversary';
  /** Birthdays and anniversaries: the contact card's href. */
  contact?: string;
  /** Birthdays and anniversaries: the age (or years married) on that day, or null when the year is unknown. */
  age?: number | null;
}

/** What a calendar is: a server's, the Birthdays calendar Davlens makes from an account's contacts, or a subscription's. */
export type CalendarKind = 'calendar' | 'birthdays' | 'subscription';

/** A group of contacts: a group card (vCard 4 KIND:group, Apple's X-ADDRESSBOOKSERVER-KIND) or a category. */
export interface ContactGroup {
  name: string;
  /** How many contacts are in it. */
  members: number;
  source: 'kind' | 'apple' | 'categories';
  /** The group card's href; null for a category. */
  href: string | null;
}

export interface TypedValue {
  value: string;
  /** Lower-case TYPE values, e.g. ["work", "voice"]. */
  types: string[];
  /** 1 = most preferred; null when the card does not say. */
  pref: number | null;
}

export interface PostalAddress {
  types: string[];
  pref: number | null;
  poBox: string;
  extended: string;
  street: string;
  locality: string;
  region: string;
  postalCode: string;
  country: string;
  /** LABEL parameter (4.0) or the formatted address; null when absent. */
  label: string | null;
}

export interface StructuredName {
  family: string;
  given: string;
  additional: string;
  prefix: string;
  suffix: string;
}

export interface Contact {
  uid: string;
  href: string;
  fn: string;
  n: StructuredName;
  org: string | null;
  title: string | null;
  emails: TypedValue[];
  phones: TypedValue[];
  addresses: PostalAddress[];
  /**
   * YYYY-MM-DD, or --MM-DD when the year is unknown (vCard 4 "--0506", Apple X-APPLE-OMIT-YEAR, the placeholder
   * years 1604 and 1900); free text if the card has text.
   */
  bday: string | null;
  /** ANNIVERSARY (vCard 4; X-ANNIVERSARY, Apple's and Evolution's), in bday's forms. */
  anniversary: string | null;
  note: string | null;
  urls: string[];
  categories: string[];
  /** individual, group, org, location (KIND or X-ADDRESSBOOKSERVER-KIND); individual when absent. */
  kind: string;
  /**
   * A group card's members as it names them (urn:uuid:..., mailto:..., a card's URL), and the format it is written
   * in: vCard 4 KIND:group with MEMBER, or Apple's X-ADDRESSBOOKSERVER-KIND:group with X-ADDRESSBOOKSERVER-MEMBER.
   * Null for every other card.
   */
  group: { source: 'kind' | 'apple'; members: string[] } | null;
  /** The groups the contact is in, by name: its CATEGORIES and the group cards naming it (filled in when listed). */
  groups: string[];
  hasPhoto: boolean;
  /** Display name of the address book. */
  addressbook: string;
}

export interface CalendarsResult {
  /** Each with the time its items were last stored (null: never; the Birthdays calendar: its address books' last). */
  calendars: (Calendar & { syncedAt: string | null; kind: CalendarKind })[];
  errors: DavlensError[];
}

export interface EventsResult {
  events: Occurrence[];
  /**
   * An answer for an account never synced, straight from time-range queries of the window (nothing stored;
   * syncedAt stays null): every event the window holds, but not yet kept for use offline.
   */
  partial: boolean;
  errors: DavlensError[];
}

export interface AddressBooksResult {
  /** Each with the time its items were last stored (null: never). */
  addressbooks: (AddressBook & { syncedAt: string | null })[];
  errors: DavlensError[];
}

export interface ContactsResult {
  contacts: Contact[];
  errors: DavlensError[];
}

export interface GroupsResult {
  groups: ContactGroup[];
  errors: DavlensError[];
}

/** A subscribed calendar (a webcal or ICS feed): read-only, refreshed on its own interval, kept for use offline. */
export interface Subscription {
  /** The feed's URL: webcal:// and webcals:// are kept as https://. */
  url: string;
  /** The user's name for it, else the feed's (X-WR-CALNAME or NAME), else the URL's last segment. */
  name: string;
  /** #RRGGBB: the feed's COLOR or X-APPLE-CALENDAR-COLOR, else one chosen for it. */
  color: string;
  /** How often it is refreshed: the user's interval, else the feed's (at least 15 minutes), else a day. */
  refreshMinutes: number;
  /** The last refresh that reached the feed (a new copy or an unchanged answer), or null. */
  syncedAt: string | null;
  /**
   * What the last copy read breaks and how it is shown (code feed-defect): kept until another copy is read, so a
   * background refresh's or an earlier run's are still there.
   */
  notes: DavlensError[];
}

export interface SubscriptionResult {
  /** Null when a new subscription's first fetch failed (nothing was added). */
  subscription: Subscription | null;
  errors: DavlensError[];
}

/** Calendars and address books are the two kinds of collection; the store and the sync name items by them. */
export type CollectionKind = 'calendar' | 'addressbook';

/** One item as the server serves it and the store keeps it: its absolute URL, its ETag and its text. */
export interface RawItem {
  href: string;
  etag: string | null;
  data: string;
}
