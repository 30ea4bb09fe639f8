// The pre-pass that turns one card's lines into text ical.js can parse. ical.js reads vCard 3.0 and
// 4.0 only; vCard 2.1 (and exporters that mix 2.1 habits into 3.0) need three rewrites first:
//   bare parameters     TEL;WORK;VOICE:      -> TEL;TYPE=WORK;TYPE=VOICE:
//   quoted-printable    NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:a=C3=A9= (soft break) -> decoded text
//   2.1 base64          PHOTO;ENCODING=BASE64;JPEG:... -> PHOTO;ENCODING=b;TYPE=JPEG:...
// Lines that need none of these are passed through untouched. VERSION is moved to the top, because
// ical.js picks its 4.0 rules only when VERSION:4.0 is the first property, and 2.1 becomes 3.0.
import { readContentLine, unfold, type Joiner } from '../content-lines.ts';
import { decodeQuotedPrintable } from './quoted-printable.ts';

export type NormaliseResult = { ok: true; text: string; version: string } | { ok: false; line: number; reason: string };

interface NumberedLine {
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

interface Property {
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
 * A line tokenise() reads and rewrite() leaves as it is, told by one test (most lines of a 3.0 or 4.0 card; 5,000
 * cards: 30 MB less to collect): a valid name that is not BEGIN, END or VERSION, parameters each with '=' and a
 * value without quotes, none of ENCODING, CHARSET or VALUE, then the ':'.
 */
const PLAIN_LINE = /^(?:[A-Za-z0-9-]+\.)?(?!(?:BEGIN|END|VERSION)[;:])[A-Za-z0-9-]+(?:;(?!(?:ENCODING|CHARSET|VALUE)=)[A-Za-z0-9-]+=[^;:"]*)*:/i;

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
  for (const logical of unfoldCard(lines, firstLine, legacy)) {
    if (PLAIN_LINE.test(logical.text)) {
      out.push(logical.text);
      continue;
    }
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
 * Joins folded lines (content-lines.ts unfold). 3.0/4.0 (RFC 6350 §3.2) drop the line break and one white-space
 * character; 2.1 follows RFC 822 and keeps the white space. Quoted-printable soft breaks (a trailing '=') join the
 * next line whatever it starts with, base64 data continued on unindented lines (some 2.1 exporters) is joined while
 * lines look like base64 (after joinQuotedBreaks). Blank lines (empty or white space only) carry nothing and are dropped.
 */
export function unfoldCard(lines: readonly string[], firstLine: number, legacy: boolean): NumberedLine[] {
  const physical = joinQuotedBreaks(lines);
  const logical = unfold(
    physical.map((l) => l.text),
    { keepFoldSpace: legacy, skipBlankLines: true, continuation: legacyContinuation },
  );
  return logical.map((l) => ({ text: l.text, line: firstLine + physical[l.index]!.index }));
}

/** vCard 2.1's continuations of the line `opening`: quoted-printable soft breaks, unindented base64 data. */
function legacyContinuation(opening: string): Joiner | null {
  const header = headerOf(opening);
  const qp = QP_HEADER.test(header);
  const base64 = BASE64_HEADER.test(header);
  if (!qp && !base64) return null;
  return (open, next) => {
    if (qp && open.endsWith('=')) return open.slice(0, -1) + next;
    if (base64 && BASE64_ONLY.test(next)) return open + next;
    return null;
  };
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

const NO_COLON = 'is not a vCard property: it has no ":" before a value';

/** Splits a content line (read by content-lines.ts) into name, parameters and value as written; a string says what is wrong. */
export function tokenise(text: string): Property | string {
  const line = readContentLine(text, 'anywhere');
  if ('fault' in line && line.fault === 'no-separator') return NO_COLON;
  const name = text.slice(0, line.nameEnd).trim();
  if (!/^([A-Za-z0-9-]+\.)?[A-Za-z0-9-]+$/.test(name)) return 'has no valid property name';
  if ('fault' in line) return line.fault === 'unclosed-quote' ? 'has a parameter with an unclosed double quote' : NO_COLON;
  const params: RawParam[] = [];
  for (const p of line.params) {
    const raw = text.slice(p.from, p.end);
    if (raw.trim() === '') continue;
    const bare = p.values.length === 0;
    params.push({ name: text.slice(p.from, bare ? p.end : p.start - 1).trim(), value: bare ? null : text.slice(p.start, p.end).trim(), raw });
  }
  return { name, params, value: text.slice(line.valueStart) };
}

/** The 3.0 form of a line that uses 2.1 constructs, or null when the line is fine as it is. */
function rewrite(line: Property): string | null {
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
