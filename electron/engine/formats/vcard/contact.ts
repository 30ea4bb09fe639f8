// Maps the properties of one parsed card (jCard, RFC 7095, as ical.js returns it) to the Contact model.
import type { Contact, PostalAddress, StructuredName, TypedValue } from '../../../../shared/models.ts';

export type Photo = { mediaType: string | null; data: string } | { uri: string };

type ParamValue = string | string[];

export interface Prop {
  /** Lower-case property name without its group. */
  name: string;
  /** Apple-style group ("item1" in item1.EMAIL), lower-case; null when absent. */
  group: string | null;
  params: Record<string, ParamValue>;
  /** jCard value type (text, uri, date, unknown...). */
  type: string;
  values: unknown[];
}

/** The properties of a jCard ["vcard", [props...], [subcomponents...]], or null when it is not one. */
export function propsOf(jcard: unknown): Prop[] | null {
  if (!Array.isArray(jcard) || jcard[0] !== 'vcard' || !Array.isArray(jcard[1])) return null;
  const props: Prop[] = [];
  for (const raw of jcard[1] as unknown[]) {
    if (!Array.isArray(raw) || typeof raw[0] !== 'string') continue;
    const given = raw[1] as Record<string, ParamValue>;
    // ical.js's parameters as they are; copied without `group` only where there is one (a copy and a delete per
    // property made every parameter object a slow dictionary: 5,000 cards, ~40 ms).
    let params = given;
    let group: string | null = null;
    if (given.group !== undefined) {
      group = typeof given.group === 'string' ? given.group.toLowerCase() : null;
      params = {};
      for (const key in given) if (key !== 'group') params[key] = given[key]!;
    }
    props.push({ name: raw[0].toLowerCase(), group, params, type: String(raw[2]), values: raw.slice(3) });
  }
  return props;
}

export interface MapOptions {
  href: string;
  addressbook: string;
  /** The uid to use when the card has none. */
  fallbackUid: () => string;
}

/** What the details view shows beyond the list's Contact. */
export interface ContactExtras {
  nicknames: string[];
  /** IMPP addresses as written (xmpp:, sip:, ...), with their types. */
  impps: TypedValue[];
}

export function toContact(props: readonly Prop[], opts: MapOptions): { contact: Contact; photo: Photo | null; extras: ContactExtras } {
  const labels = appleLabels(props);
  const n = structuredName(props.find((p) => p.name === 'n'));
  const org = orgOf(props.find((p) => p.name === 'org'));
  const emails = typedValues(props, 'email', labels, (v) => v.replace(/^mailto:/i, ''));
  const phones = typedValues(props, 'tel', labels, (v) => v.replace(/^tel:/i, ''));
  const photo = photoOf(props);
  const contact: Contact = {
    uid: firstText(props, 'uid') ?? opts.fallbackUid(),
    href: opts.href,
    fn: formattedName(props) ?? derivedName(n, org, emails, phones),
    n,
    org,
    title: firstText(props, 'title'),
    emails,
    phones,
    addresses: addresses(props, labels),
    bday: birthday(props.find((p) => p.name === 'bday' && textOf(p).trim() !== '')),
    note: joinedText(props, 'note'),
    urls: props
      .filter((p) => p.name === 'url')
      .map((p) => unescapeUri(textOf(p)).trim())
      .filter((u) => u !== ''),
    anniversary: birthday(anniversaryProp(props, labels)),
    categories: categories(props),
    kind: (firstText(props, 'kind') ?? firstText(props, 'x-addressbookserver-kind') ?? 'individual').toLowerCase(),
    group: groupOf(props),
    groups: [],
    hasPhoto: photo !== null,
    addressbook: opts.addressbook,
  };
  const nicknames = [
    ...new Set(
      props
        .filter((p) => p.name === 'nickname')
        .flatMap((p) => textOf(p).split(','))
        .map((n) => n.trim())
        .filter((n) => n !== ''),
    ),
  ];
  const impps = typedValues(props, 'impp', labels, (v) => unescapeUri(v).trim());
  return { contact, photo, extras: { nicknames, impps } };
}

// ---- values ----

/** The value as text: multi-values joined back with ',' (ical.js splits 3.0 NOTE on unescaped commas). */
function textOf(p: Prop): string {
  const joined = p.values.map(flatten).join(',');
  // ical.js unescapes X- and unknown properties not at all, and '\;' in unstructured vCard text not.
  return p.type === 'unknown' ? unescapeText(joined) : joined.replace(/\\;/g, ';');
}

function flatten(v: unknown): string {
  return Array.isArray(v) ? v.map(flatten).join(',') : v === null || v === undefined ? '' : String(v);
}

function unescapeText(s: string): string {
  return s.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Some writers escape ',' ';' ':' in URIs as if they were text (http\://...); URIs never need it. */
function unescapeUri(s: string): string {
  return s.replace(/\\([\\,;:])/g, '$1');
}

function firstText(props: readonly Prop[], name: string): string | null {
  for (const p of props) {
    if (p.name !== name) continue;
    const t = textOf(p).trim();
    if (t !== '') return t;
  }
  return null;
}

function joinedText(props: readonly Prop[], name: string): string | null {
  const all = props
    .filter((p) => p.name === name)
    .map((p) => textOf(p).trim())
    .filter((t) => t !== '');
  return all.length > 0 ? all.join('\n') : null;
}

/** Structured components, padded to `count`; a multi-valued component is joined with `sep`. */
function components(p: Prop, count: number, sep: (index: number) => string): string[] {
  const v = p.values[0];
  const parts = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (let i = 0; i < Math.max(count, parts.length); i++) {
    const part = parts[i];
    const text = Array.isArray(part)
      ? part
          .map((x) => flatten(x).trim())
          .filter((x) => x !== '')
          .join(sep(i))
      : flatten(part).trim();
    out.push(text.replace(/\\;/g, ';'));
  }
  return out;
}

function params(p: Prop, name: string): string[] {
  const v = p.params[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(','));
}

/** A single-valued parameter as written (a list is joined back with ','). */
function param(p: Prop, name: string): string | undefined {
  const v = p.params[name];
  return v === undefined ? undefined : Array.isArray(v) ? v.join(',') : String(v);
}

// ---- names ----

function structuredName(p: Prop | undefined): StructuredName {
  // Multiple given or additional names read as words; multiple suffixes keep their commas (Jr., M.D.).
  const c = p ? components(p, 5, (i) => (i === 4 ? ', ' : ' ')) : [];
  return { family: c[0] ?? '', given: c[1] ?? '', additional: c[2] ?? '', prefix: c[3] ?? '', suffix: c[4] ?? '' };
}

function orgOf(p: Prop | undefined): string | null {
  if (!p) return null;
  // ORG is the organisation followed by its units; they read as "ACME Inc., Research, Lab 2".
  const parts = components(p, 1, () => ', ').filter((x) => x !== '');
  return parts.length > 0 ? parts.join(', ') : null;
}

function formattedName(props: readonly Prop[]): string | null {
  const fns = byPref(props.filter((p) => p.name === 'fn'));
  for (const p of fns) {
    const t = textOf(p).trim();
    if (t !== '') return t;
  }
  return null;
}

const CJK = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** FN for a card without one: from N, else ORG, else the first email, else the first phone. */
export function derivedName(n: StructuredName, org: string | null, emails: TypedValue[], phones: TypedValue[]): string {
  let name: string;
  if (CJK.test(n.family + n.given)) {
    // Chinese, Japanese and Korean names are written family name first, without a space (김민준, 山田太郎).
    name = [n.prefix, n.family + n.given + n.additional, n.suffix].filter((x) => x !== '').join(' ');
  } else {
    name = [n.prefix, n.given, n.additional, n.family, n.suffix].filter((x) => x !== '').join(' ');
  }
  return name || org || emails[0]?.value || phones[0]?.value || '';
}

// ---- typed values ----

/** Apple writes a custom or localisable label as item1.X-ABLabel next to item1.EMAIL; label by group. */
function appleLabels(props: readonly Prop[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const p of props) {
    if (p.name !== 'x-ablabel' || p.group === null) continue;
    const raw = textOf(p).trim();
    // Built-in labels are wrapped as _$!<Mobile>!$_.
    const label = (/^_\$!<(.*)>!\$_$/.exec(raw)?.[1] ?? raw).trim().toLowerCase();
    if (label !== '') labels.set(p.group, label);
  }
  return labels;
}

function typesAndPref(p: Prop, labels: Map<string, string>): { types: string[]; pref: number | null } {
  const types: string[] = [];
  let prefType = false;
  for (const t of params(p, 'type')) {
    const v = t.trim().replace(/^"|"$/g, '').toLowerCase();
    if (v === '') continue;
    if (v === 'pref') prefType = true;
    else if (!types.includes(v)) types.push(v);
  }
  const label = p.group === null ? undefined : labels.get(p.group);
  if (label !== undefined && label !== 'pref' && !types.includes(label)) types.push(label);
  const prefParam = param(p, 'pref')?.trim();
  let pref: number | null = null;
  if (prefParam !== undefined && /^\d+$/.test(prefParam) && Number(prefParam) >= 1) pref = Number(prefParam);
  // 3.0 (and 2.1's bare PREF) has only "preferred or not": that is the most preferred, 1.
  else if (prefType) pref = 1;
  return { types, pref };
}

function typedValues(props: readonly Prop[], name: string, labels: Map<string, string>, clean: (v: string) => string): TypedValue[] {
  const out: TypedValue[] = [];
  for (const p of props) {
    if (p.name !== name) continue;
    const value = clean(p.type === 'uri' ? unescapeUri(textOf(p)).trim() : textOf(p).trim()).trim();
    if (value === '') continue;
    out.push({ value, ...typesAndPref(p, labels) });
  }
  return out;
}

function byPref(props: Prop[]): Prop[] {
  const rank = (p: Prop): number => {
    const v = Number(param(p, 'pref'));
    return Number.isInteger(v) && v >= 1 ? v : Number.MAX_SAFE_INTEGER;
  };
  // Array.prototype.sort is stable: equal ranks keep card order.
  return [...props].sort((a, b) => rank(a) - rank(b));
}

// ---- addresses ----

function addresses(props: readonly Prop[], labels: Map<string, string>): PostalAddress[] {
  const out: PostalAddress[] = [];
  const adrGroups: (string | null)[] = [];
  for (const p of props) {
    if (p.name !== 'adr') continue;
    const c = components(p, 7, () => ', ');
    const label = param(p, 'label')?.trim() || null;
    if (c.every((x) => x === '') && label === null) continue;
    out.push({
      ...typesAndPref(p, labels),
      poBox: c[0] ?? '',
      extended: c[1] ?? '',
      street: c[2] ?? '',
      locality: c[3] ?? '',
      region: c[4] ?? '',
      postalCode: c[5] ?? '',
      country: c[6] ?? '',
      label,
    });
    adrGroups.push(p.group);
  }
  attachLabelProperties(props, labels, out, adrGroups);
  return out;
}

/**
 * vCard 2.1/3.0 carry the formatted address as a separate LABEL property, tied to its ADR by nothing but
 * the same group or the same TYPE set. Match on those; a lone ADR takes a lone LABEL; a LABEL with no
 * ADR becomes an address of its own so the text is not lost.
 */
function attachLabelProperties(props: readonly Prop[], labels: Map<string, string>, out: PostalAddress[], adrGroups: (string | null)[]): void {
  const pending = props
    .filter((p) => p.name === 'label')
    .map((p) => ({ text: textOf(p).trim(), group: p.group, ...typesAndPref(p, labels) }))
    .filter((l) => l.text !== '');
  const key = (types: string[]): string => [...types].sort().join(',');
  const take = (i: number): string | null => {
    const l = pending[i];
    if (l === undefined) return null;
    pending.splice(i, 1);
    return l.text;
  };
  out.forEach((adr, i) => {
    if (adr.label !== null) return;
    const group = adrGroups[i] ?? null;
    let at = group === null ? -1 : pending.findIndex((l) => l.group === group);
    if (at === -1) at = pending.findIndex((l) => key(l.types) === key(adr.types));
    if (at !== -1) adr.label = take(at);
  });
  const unlabelled = out.filter((a) => a.label === null);
  const lone = unlabelled[0];
  if (unlabelled.length === 1 && pending.length === 1 && lone !== undefined) lone.label = take(0);
  for (const l of pending) {
    out.push({ types: l.types, pref: l.pref, poBox: '', extended: '', street: '', locality: '', region: '', postalCode: '', country: '', label: l.text });
  }
}

// ---- birthday ----

/** YYYY-MM-DD, --MM-DD without a year, or the card's text when it is not a date. */
function birthday(p: Prop | undefined): string | null {
  if (!p) return null;
  const raw = textOf(p).trim();
  if (p.type === 'text') return raw;
  const full = /^(\d{4})-?(\d{2})-?(\d{2})(T.*)?$/.exec(raw);
  if (full) {
    const [, y = '', m = '', d = ''] = full;
    if (!validMonthDay(m, d)) return raw;
    // Apple stores a birthday without a year as a date in a placeholder year (1604) named by this parameter; clients
    // that drop the parameter keep the 1604, and others write 1900 for "no year". Neither is a year anyone now
    // living was born or married in: read both as unknown (no age of 400 or 126).
    const omit = param(p, 'x-apple-omit-year')?.trim();
    return omit === y || PLACEHOLDER_YEARS.has(y) ? `--${m}-${d}` : `${y}-${m}-${d}`;
  }
  const noYear = /^--(\d{2})-?(\d{2})$/.exec(raw);
  if (noYear) {
    const [, m = '', d = ''] = noYear;
    return validMonthDay(m, d) ? `--${m}-${d}` : raw;
  }
  return raw;
}

const PLACEHOLDER_YEARS = new Set(['1604', '1900']);

/**
 * The wedding anniversary: vCard 4 ANNIVERSARY; X-ANNIVERSARY (KAddressBook, Thunderbird) or X-EVOLUTION-ANNIVERSARY;
 * or, as Apple and Google export it, an X-ABDATE labelled _$!<Anniversary>!$_ in its item group.
 */
function anniversaryProp(props: readonly Prop[], labels: Map<string, string>): Prop | undefined {
  const named = (p: Prop) => p.name === 'anniversary' || p.name === 'x-anniversary' || p.name === 'x-evolution-anniversary';
  const apple = (p: Prop) => p.name === 'x-abdate' && p.group !== null && labels.get(p.group) === 'anniversary';
  const filled = (p: Prop) => textOf(p).trim() !== '';
  return props.find((p) => named(p) && filled(p)) ?? props.find((p) => apple(p) && filled(p));
}

function validMonthDay(m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// ---- groups ----

/** A group card's format and members (vCard 4 KIND:group + MEMBER, Apple's X-ADDRESSBOOKSERVER-*), or null. */
function groupOf(props: readonly Prop[]): Contact['group'] {
  const kind = firstText(props, 'kind')?.toLowerCase();
  const apple = firstText(props, 'x-addressbookserver-kind')?.toLowerCase();
  if (kind !== 'group' && apple !== 'group') return null;
  const members = props
    .filter((p) => p.name === 'member' || p.name === 'x-addressbookserver-member')
    .map((p) => unescapeUri(textOf(p)).trim())
    .filter((m) => m !== '');
  return { source: kind === 'group' ? 'kind' : 'apple', members: [...new Set(members)] };
}

// ---- categories ----

function categories(props: readonly Prop[]): string[] {
  const out: string[] = [];
  for (const p of props) {
    if (p.name !== 'categories') continue;
    for (const v of p.values) {
      const t = flatten(v).replace(/\\;/g, ';').trim();
      if (t !== '' && !out.includes(t)) out.push(t);
    }
  }
  return out;
}

// ---- photo ----

function photoOf(props: readonly Prop[]): Photo | null {
  for (const p of byPref(props.filter((x) => x.name === 'photo'))) {
    const photo = readPhoto(p);
    if (photo) return photo;
  }
  return null;
}

function readPhoto(p: Prop): Photo | null {
  const raw = textOf(p).trim();
  if (raw === '') return null;
  const encoding = param(p, 'encoding')?.trim().toLowerCase();
  if (encoding === 'b' || encoding === 'base64') return inline(p, raw);
  const uri = unescapeUri(raw);
  if (/^data:/i.test(uri)) return dataUri(uri);
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) return { uri };
  // 3.0 binary without ENCODING: accept it when it is plainly base64.
  if (/^[A-Za-z0-9+/=\s]+$/.test(raw)) return inline(p, raw);
  return null;
}

function inline(p: Prop, raw: string): Photo {
  const data = raw.replace(/\s+/g, '');
  return { mediaType: declaredMediaType(p) ?? sniffMediaType(data), data };
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
  heic: 'image/heic',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};

function declaredMediaType(p: Prop): string | null {
  const candidates = [...params(p, 'mediatype'), ...params(p, 'type')].map((t) => t.trim().toLowerCase()).filter((t) => t !== '' && t !== 'pref');
  for (const t of candidates) {
    if (t.includes('/')) return t;
    const known = IMAGE_TYPES[t];
    if (known) return known;
  }
  const other = candidates[0];
  return other === undefined ? null : `image/${other}`;
}

/** The media type from the first bytes when the card does not name one. */
function sniffMediaType(base64: string): string | null {
  if (base64.startsWith('/9j/')) return 'image/jpeg';
  if (base64.startsWith('iVBORw0KGgo')) return 'image/png';
  if (base64.startsWith('R0lGOD')) return 'image/gif';
  return null;
}

/** data:[<media type>][;base64],<data> (RFC 2397); percent-encoded data is re-encoded as base64. */
function dataUri(uri: string): Photo | null {
  const comma = uri.indexOf(',');
  if (comma === -1) return null;
  const meta = uri
    .slice(5, comma)
    .split(';')
    .map((s) => s.trim());
  const payload = uri.slice(comma + 1);
  const type = meta[0]?.toLowerCase() ?? '';
  const mediaType = type.includes('/') ? type : null;
  const isBase64 = meta.slice(1).some((m) => m.toLowerCase() === 'base64');
  const data = isBase64 ? payload.replace(/\s+/g, '') : Buffer.from(percentDecode(payload)).toString('base64');
  if (data === '') return null;
  return { mediaType: mediaType ?? (isBase64 ? sniffMediaType(data) : null), data };
}

function percentDecode(s: string): Uint8Array {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const hex = s.slice(i + 1, i + 3);
    if (s[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const cp = s.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      bytes.push(...encoder.encode(ch));
      i += ch.length - 1;
    }
  }
  return Uint8Array.from(bytes);
}
