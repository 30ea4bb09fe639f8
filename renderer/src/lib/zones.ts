// The time-zone picker's entries: each zone with its city ("New York"), region and offset now, and the filter
// that finds a zone by any of them ("berlin", "america york", "+1", "UTC+05:30").
import { supportedTimeZones, zoneOffsetLabel } from './locale.ts';

export interface ZoneEntry {
  id: string;
  /** The zone's last part, spaced: "New York", "Port of Spain". */
  city: string;
  /** "UTC+01:00" (or "UTC" for no offset) now. */
  offset: string;
  /** Minutes east of UTC now. */
  minutes: number;
  /** "Berlin — Europe/Berlin (UTC+01:00)". */
  label: string;
  /** What the filter matches against, lower case. */
  haystack: string;
}

const OFFSET = /^(?:utc|gmt)?\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?$/i;

/** Minutes east of UTC of "UTC+05:30", "+1", "-0800", "GMT−3", "UTC"; null when the text is no offset. */
export function parseOffset(text: string): number | null {
  const s = text.trim();
  if (/^(?:utc|gmt|z)$/i.test(s)) return 0;
  const m = OFFSET.exec(s);
  if (!m) return null;
  const hours = Number(m[2]);
  const mins = Number(m[3] ?? 0);
  if (hours > 14 || mins > 59) return null;
  return (m[1] === '+' ? 1 : -1) * (hours * 60 + mins);
}

export function zoneEntry(id: string, at: Date = new Date()): ZoneEntry {
  const city = NOW_CALLED[id] ?? (id.split('/').pop() ?? id).replace(/_/g, ' ');
  const offset = zoneOffsetLabel(id, at);
  const spaced = id.replace(/_/g, ' ');
  const label = id.includes('/') ? `${city} — ${spaced} (${offset})` : `${spaced} (${offset})`;
  return { id, city, offset, minutes: parseOffset(offset) ?? 0, label, haystack: `${city} ${spaced} ${id} ${offset}`.toLowerCase() };
}

// ICU still names some zones by their older spellings (Asia/Calcutta); the city's name now finds them too.
const NOW_CALLED: Record<string, string> = {
  'Asia/Calcutta': 'Kolkata',
  'Asia/Saigon': 'Ho Chi Minh',
  'Asia/Katmandu': 'Kathmandu',
  'Asia/Rangoon': 'Yangon',
  'Europe/Kiev': 'Kyiv',
  'America/Godthab': 'Nuuk',
  'Atlantic/Faeroe': 'Faroe',
};

let cache: { day: string; entries: ZoneEntry[] } | undefined;

/** Every zone Intl knows, with today's offsets (worked out once a day: a few hundred formatters, 100-200 ms). */
export function zoneEntries(now: Date = new Date()): ZoneEntry[] {
  const day = now.toISOString().slice(0, 10);
  if (cache?.day !== day) cache = { day, entries: supportedTimeZones().map((z) => zoneEntry(z, now)) };
  return cache.entries;
}

/**
 * Works the entries out ahead, a slice per task so no input waits, for the picker to open at once; returns a cancel.
 * It starts `delayMs` later: made while the app's first screen is drawn (and a new account's first month is fetched
 * and read on the same cores), its 25-30 ms of CPU made that month show later.
 */
export function warmZoneEntries(delayMs = 0, now: Date = new Date()): () => void {
  const day = now.toISOString().slice(0, 10);
  if (cache?.day === day) return () => {};
  const entries: ZoneEntry[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const slice = (): void => {
    // Listed once and kept by locale.ts: asked here, the list too waits for the delay.
    const zones = supportedTimeZones();
    for (const z of zones.slice(entries.length, entries.length + 40)) entries.push(zoneEntry(z, now));
    if (entries.length < zones.length) timer = setTimeout(slice, 0);
    else if (cache?.day !== day) cache = { day, entries };
  };
  timer = setTimeout(slice, delayMs);
  return () => clearTimeout(timer);
}

/** The entries matching the query: an offset by its value, else every word in the city, region, ID or offset. */
export function filterZones(entries: ZoneEntry[], query: string): ZoneEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return entries;
  const minutes = parseOffset(q);
  if (minutes !== null) return entries.filter((e) => e.minutes === minutes);
  const words = q.split(/[\s/,]+/).filter(Boolean);
  const matches = entries.filter((e) => words.every((w) => e.haystack.includes(w)));
  // Zones whose city starts with the query come first: "paris" is Paris before any zone that only mentions it.
  const starts = (e: ZoneEntry): number => (e.city.toLowerCase().startsWith(q) ? 0 : 1);
  return matches.sort((a, b) => starts(a) - starts(b));
}
