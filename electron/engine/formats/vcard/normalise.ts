// The pre-pass that turns one card's lines into text ical.js can parse. ical.js reads vCard 3.0 and
// 4.0 only; vCard 2.1 (and exporters that mix 2.1 habits into 3.0) need three rewrites first:
//   bare parameters     TEL;WORK;VOICE:      -> TEL;TYPE=WORK;TYPE=VOICE:
//   quoted-printable    NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:a=C3=A9= (soft break) -> decoded text
//   2.1 base64          PHOTO;ENCODING=BASE64;JPEG:... -> PHOTO;ENCODING=b;TYPE=JPEG:...
// Lines that need none of these are passed through untouched. VERSION is moved to the top, because
// ical.js picks its 4.0 rules only when VERSION:4.0 is the first property, and 2.1 becomes 3.0.
import { decodeQuotedPrintable } from './quoted-printable.ts';

export type NormaliseResult = { ok: true; text: string; version: string } | { ok: false; line: number; reason: string };

interface LogicalLine {
  text: string;
  /** 1-based line number in the input where the logical line starts. */
  line: number;
}

interface RawParam {
  name: string;
  /** null for a bare 2.1 parameter such as WORK in TEL;WORK:. */
  value: string | null;
  raw: string;
}

interface ContentLine {
  name: string;
  params: RawParam[];
  value: string;
}

const ENCODING_WORDS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT']);
const VERSION_LINE = /^version[ \t]*:[ \t]*(.*?)[ \t]*$/i;
const QP_HEADER = /[;:]\s*(encoding\s*=\s*)?"?quoted-printable"?\s*[;:]/i;
const BASE64_HEADER = /[;:]\s*(encoding\s*=\s*)?"?(base64|b)"?\s*[;:]/i;
const BASE64_ONLY = /^[A-Za-z0-9+/=]+$/;
const PROPERTY_START = /^([A-Za-z0-9-]+\.)?[A-Za-z0-9-]+[;:]/;

/**
 * Normalises the lines between BEGIN:VCARD and END:VCARD. `firstLine` is the input line number of
 * lines[0], so errors point at the line a person would look at.
 */
export function normaliseCard(lines: readonly string[], firstLine = 1): NormaliseResult {
  let version = '';
  for (const l of lines) {
    const m = VERSION_LINE.exec(l);
    if (m) {
      version = m[1] ?? '';
      break;
    }
  }
  const legacy = /^[12]\./.test(version);
  const out: string[] = ['BEGIN:VCARD', `VERSION:${version === '4.0' ? '4.0' : '3.0'}`];
  for (const logical of unfold(lines, firstLine, legacy)) {
    const parsed = tokenise(logical.text);
    if (typeof parsed === 'string') {
      return { ok: false, line: logical.line, reason: `line ${logical.line} (${quote(logical.text)}) ${parsed}` };
    }
    const upperName = parsed.name.toUpperCase();
    if (upperName === 'VERSION') continue;
    if (upperName === 'BEGIN' || upperName === 'END') {
      return { ok: false, line: logical.line, reason: `line ${logical.line} (${quote(logical.text)}) opens or closes another component inside the card` };
    }
    out.push(rewrite(parsed) ?? logical.text);
  }
  out.push('END:VCARD', '');
  return { ok: true, text: out.join('\r\n'), version };
}

/**
 * Joins folded lines. 3.0/4.0 (RFC 6350 §3.2) drop the line break and one white-space character; 2.1
 * follows RFC 822 and keeps the white space. Quoted-printable soft breaks (a trailing '=') join the next
 * line whatever it starts with, base64 data continued on unindented lines (some 2.1 exporters) is
 * joined while lines look like base64 (after joinQuotedBreaks). Blank lines carry nothing and are dropped.
 */
export function unfold(lines: readonly string[], firstLine: number, legacy: boolean): LogicalLine[] {
  const result: LogicalLine[] = [];
  let current: LogicalLine | null = null;
  let qp = false;
  let base64 = false;
  for (const { text: line, index } of joinQuotedBreaks(lines)) {
    if (current !== null && qp && current.text.endsWith('=')) {
      current.text = current.text.slice(0, -1) + line;
      continue;
    }
    if (line.trim() === '') continue;
    if (current !== null && (line[0] === ' ' || line[0] === '\t')) {
      current.text += legacy ? line : line.slice(1);
      continue;
    }
    if (current !== null && base64 && BASE64_ONLY.test(line)) {
      current.text += line;
      continue;
    }
    current = { text: line, line: firstLine + index };
    result.push(current);
    const header = headerOf(line);
    qp = QP_HEADER.test(header);
    base64 = BASE64_HEADER.test(header);
  }
  return result;
}

/**
 * The physical lines again, where a parameter's quoted value was broken over raw lines (quirk label-line-breaks:
 * DAViCal writes a LABEL's "\n" so): those lines joined into one, each break as the \n escape it stood for.
 * Folding is left as it was; `index` is each line's place in the input.
 */
export function joinQuotedBreaks(lines: readonly string[]): { text: string; index: number }[] {
  const out: { text: string; index: number }[] = [];
  let reading: HeaderState = 'value';
  lines.forEach((line, index) => {
    const last = out[out.length - 1];
    if (last !== undefined && reading === 'quoted') {
      last.text += `\\n${line}`;
      reading = headerState(line, reading);
      return;
    }
    if (line[0] === ' ' || line[0] === '\t') reading = headerState(line, reading);
    // Only a line that starts like a property opens parameters: a quoted-printable or base64 continuation, say,
    // is read as value.
    else reading = PROPERTY_START.test(line) ? headerState(line, 'name') : 'value';
    out.push({ text: line, index });
  });
  return out;
}

/** Where a content line's text ends: in its name or parameters, inside a quoted parameter value, or in its value. */
type HeaderState = 'name' | 'quoted' | 'value';

/** The state after `more` is read in `state`; a line's value is never scanned (a photo may be megabytes). */
function headerState(more: string, state: HeaderState): HeaderState {
  let s = state;
  for (let i = 0; i < more.length && s !== 'value'; i++) {
    const c = more[i];
    if (c === '"') s = s === 'quoted' ? 'name' : 'quoted';
    else if (c === ':' && s === 'name') s = 'value';
  }
  return s;
}

/** The name and parameters of a line with the ':' that ends them, for quick encoding checks. */
function headerOf(line: string): string {
  const colon = line.indexOf(':');
  return ';' + (colon === -1 ? line : line.slice(0, colon + 1));
}

/** Splits a content line into name, parameters and value; a string result says what is wrong with it. */
export function tokenise(line: string): ContentLine | string {
  const n = line.length;
  let i = 0;
  while (i < n && line[i] !== ';' && line[i] !== ':') i++;
  if (i >= n) return 'is not a vCard property: it has no ":" before a value';
  const name = line.slice(0, i).trim();
  if (!/^([A-Za-z0-9-]+\.)?[A-Za-z0-9-]+$/.test(name)) return 'has no valid property name';
  const params: RawParam[] = [];
  while (line[i] === ';') {
    const start = ++i;
    let inQuote = false;
    while (i < n && (inQuote || (line[i] !== ';' && line[i] !== ':'))) {
      if (line[i] === '"') inQuote = !inQuote;
      i++;
    }
    if (i >= n) return inQuote ? 'has a parameter with an unclosed double quote' : 'is not a vCard property: it has no ":" before a value';
    const raw = line.slice(start, i);
    if (raw.trim() === '') continue;
    const eq = raw.indexOf('=');
    params.push(eq === -1 ? { name: raw.trim(), value: null, raw } : { name: raw.slice(0, eq).trim(), value: raw.slice(eq + 1).trim(), raw });
  }
  return { name, params, value: line.slice(i + 1) };
}

/** The 3.0 form of a line that uses 2.1 constructs, or null when the line is fine as it is. */
function rewrite(line: ContentLine): string | null {
  let changed = false;
  let encoding: string | null = null;
  let charset: string | null = null;
  const kept: string[] = [];
  for (const p of line.params) {
    const upper = p.name.toUpperCase();
    if (p.value === null) {
      changed = true;
      if (ENCODING_WORDS.has(upper)) encoding = upper;
      else kept.push(`TYPE=${p.name}`);
      continue;
    }
    const value = unquote(p.value);
    if (upper === 'ENCODING') {
      encoding = value.toUpperCase();
      continue;
    }
    if (upper === 'CHARSET') {
      charset = value;
      continue;
    }
    if (upper === 'VALUE' && /^(url|content-id|cid)$/i.test(value)) {
      changed = true;
      kept.push('VALUE=uri');
      continue;
    }
    kept.push(p.raw);
  }
  let value = line.value;
  if (encoding === 'QUOTED-PRINTABLE') {
    changed = true;
    // Decoded line breaks become the \n escape: a raw newline cannot stand inside a content line.
    value = decodeQuotedPrintable(value, charset).replace(/\r\n|\r|\n/g, '\\n');
  } else if (encoding === 'BASE64' || encoding === 'B') {
    if (encoding === 'BASE64') changed = true;
    kept.push('ENCODING=b');
    value = value.replace(/\s+/g, '');
  } else if (encoding !== null) {
    // 7BIT/8BIT only say the value is plain text.
    changed = true;
  }
  if (!changed) return null;
  // CHARSET is dropped with the rewrite: the value is text now, and 3.0 has no such parameter.
  return [line.name, ...kept].join(';') + ':' + value;
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

function quote(line: string): string {
  return JSON.stringify(line.length > 60 ? line.slice(0, 57) + '...' : line);
}
