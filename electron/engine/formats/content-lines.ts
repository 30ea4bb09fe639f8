// The one hand-written reader of content lines (RFC 5545 §3.1, RFC 6350 §3.2, vCard 2.1): physical lines,
// unfolding, a line's name, parameters and value, the component tree and its nesting limit. ical.js stays the
// reader of values and of the model; this module is for what ical.js does not do: keep lines as served with the
// spans of their parameter values (the exporter copies and retargets them), read vCard 2.1 (normalise.ts turns it
// into 3.0 first), and find the lines ical.js rejects in a resource (ical/parse.ts drops them and reads the rest).

/** The text's physical lines, without a BOM, split at any line ending (servers send CRLF, LF and, rarely, CR). */
export function physicalLines(text: string): string[] {
  return stripBom(text).split(/\r\n|\r|\n/);
}

function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** The text without a BOM and with CRLF line endings: ical.js reads neither a BOM nor bare-CR endings. */
export function normaliseText(text: string): string {
  return stripBom(text).replace(/\r\n|\r|\n/g, '\r\n');
}

// --- unfolding ---------------------------------------------------------------------------------------------------

/** One logical line: a physical line with its folded continuations joined; `index` is where it starts. */
export interface LogicalLine {
  text: string;
  /** 0-based index of its first physical line in the lines unfolded. */
  index: number;
}

/** Joins `next` to the open logical line `open` (the joined text), or says it does not continue it (null). */
export type Joiner = (open: string, next: string) => string | null;

/** What a format adds to RFC 5545's folding (a line break followed by one space or tab), or reads differently. */
export interface Folding {
  /** RFC 822 folding (vCard 2.1): a continuation keeps its leading white space rather than losing one character. */
  keepFoldSpace?: boolean;
  /** Lines of white space only, or empty, are dropped and do not end the logical line before them (vCard). */
  skipBlankLines?: boolean;
  /**
   * For the line that opens a logical line: how lines that need not start with white space may continue it
   * (vCard 2.1's quoted-printable soft breaks and base64 runs), or null. It is asked before anything else.
   */
  continuation?: (opening: string) => Joiner | null;
}

/**
 * Joins folded continuations. Without `skipBlankLines` the lines are those ical.js reads: an empty line begins a
 * logical line of its own, which an indented line after it continues (dropped if nothing does), and a line of
 * white space continues the line before it (its spaces may be the value's). An indented line with nothing before
 * it begins a logical line as it stands.
 */
export function unfold(lines: readonly string[], folding: Folding = {}): LogicalLine[] {
  const logical: LogicalLine[] = [];
  let open: LogicalLine | null = null;
  let join: Joiner | null = null;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const joined = open !== null && join !== null ? join(open.text, line) : null;
    if (joined !== null) {
      open!.text = joined;
    } else if (folding.skipBlankLines && line.trim() === '') {
      continue;
    } else if (open !== null && (line[0] === ' ' || line[0] === '\t')) {
      open.text += folding.keepFoldSpace ? line : line.slice(1);
    } else {
      open = { text: line, index };
      logical.push(open);
      join = folding.continuation?.(line) ?? null;
    }
  }
  return logical.filter((l) => l.text !== '');
}

/** The logical lines of a whole text. */
export function unfoldText(text: string): string[] {
  return unfold(physicalLines(text)).map((l) => l.text);
}

// --- one content line --------------------------------------------------------------------------------------------

/** One unfolded content line, with the spans of its parts (the exporter rewrites parameter values in place). */
export interface ContentLine {
  raw: string;
  /** Upper-cased property name (with a vCard group prefix, if any, left on). */
  name: string;
  /** Index in `raw` of the ';' or ':' that ends the name. */
  nameEnd: number;
  params: LineParam[];
  /** Index in `raw` of the first character of the value (just after the ':'). */
  valueStart: number;
}

export interface LineParam {
  /** Upper-cased parameter name. */
  name: string;
  /** The values with surrounding double quotes removed; none for a bare parameter (vCard 2.1 "TEL;HOME:"). */
  values: string[];
  /** Index in `raw` of the parameter's first character (just after its ';'). */
  from: number;
  /** Span of the whole value list in `raw` (after '=' up to the next ';' or ':'); empty at the end of a bare one. */
  start: number;
  end: number;
  quoted: boolean;
}

/** Why a line is not a content line: no ';' or ':' at all, a quoted parameter value never closed, no ':' after the parameters. */
export type LineFault = 'no-separator' | 'unclosed-quote' | 'no-colon';

export interface FaultyLine {
  fault: LineFault;
  /** Upper-cased name and the index of its end, as in ContentLine (the length of the line for 'no-separator'). */
  name: string;
  nameEnd: number;
}

/**
 * Where a double quote opens a quoted parameter value: at the start of the value only (RFC 5545 §3.1, and ical.js),
 * or anywhere in the parameter, each quote opening or closing a quoted run (what the vCard pre-pass reads, as
 * vcard/normalise.ts joinQuotedBreaks does when it mends quoted values broken over raw lines).
 */
export type Quoting = 'value' | 'anywhere';

/**
 * Reads `NAME *(;PARAM[=VALUE *(,VALUE)]) : VALUE`. Only the name and parameters are scanned: a value (a photo)
 * may be megabytes.
 */
export function readContentLine(raw: string, quoting: Quoting = 'value'): ContentLine | FaultyLine {
  let i = 0;
  while (i < raw.length && raw[i] !== ';' && raw[i] !== ':') i++;
  const name = raw.slice(0, i).trim().toUpperCase();
  const nameEnd = i;
  if (i >= raw.length) return { fault: 'no-separator', name, nameEnd };
  const params: LineParam[] = [];
  while (raw[i] === ';') {
    const param = quoting === 'value' ? readParam(raw, i + 1) : readLenientParam(raw, i + 1);
    if (param === null) return { fault: 'unclosed-quote', name, nameEnd };
    params.push(param);
    i = param.end;
  }
  if (raw[i] !== ':') return { fault: 'no-colon', name, nameEnd };
  return { raw, name, nameEnd, params, valueStart: i + 1 };
}

/** The parameter starting at `from`, quoted values as RFC 5545 has them, or null when a quoted value never closes. */
function readParam(raw: string, from: number): LineParam | null {
  let i = from;
  while (i < raw.length && raw[i] !== '=' && raw[i] !== ';' && raw[i] !== ':') i++;
  const name = raw.slice(from, i).trim().toUpperCase();
  // A bare parameter (vCard 2.1 "TEL;HOME:"): no value to rewrite, but the line is still readable.
  if (raw[i] !== '=') return { name, values: [], from, start: i, end: i, quoted: false };
  const start = ++i;
  const values: string[] = [];
  let quoted = false;
  for (;;) {
    if (raw[i] === '"') {
      const close = raw.indexOf('"', i + 1);
      if (close < 0) return null;
      values.push(raw.slice(i + 1, close));
      quoted = true;
      i = close + 1;
    } else {
      const plain = i;
      while (i < raw.length && raw[i] !== ',' && raw[i] !== ';' && raw[i] !== ':') i++;
      values.push(raw.slice(plain, i));
    }
    if (raw[i] !== ',') break;
    i++;
  }
  return { name, values, from, start, end: i, quoted };
}

/** The parameter starting at `from`, a double quote anywhere opening or closing a quoted run; null if one stays open. */
function readLenientParam(raw: string, from: number): LineParam | null {
  let i = from;
  let inQuote = false;
  while (i < raw.length && (inQuote || (raw[i] !== ';' && raw[i] !== ':'))) {
    if (raw[i] === '"') inQuote = !inQuote;
    i++;
  }
  if (inQuote) return null;
  const eq = raw.indexOf('=', from);
  if (eq < 0 || eq >= i) return { name: raw.slice(from, i).trim().toUpperCase(), values: [], from, start: i, end: i, quoted: false };
  const values = [''];
  let quoted = false;
  for (let j = eq + 1; j < i; j++) {
    const c = raw[j]!;
    if (c === '"') {
      inQuote = !inQuote;
      quoted = true;
    } else if (c === ',' && !inQuote) values.push('');
    else values[values.length - 1] += c;
  }
  return { name: raw.slice(from, eq).trim().toUpperCase(), values, from, start: eq + 1, end: i, quoted };
}

/** readContentLine, throwing an Error with a reason if the line has no such shape (the iCalendar readers' way). */
export function parseContentLine(raw: string): ContentLine {
  const line = readContentLine(raw);
  if (line.name.length === 0 || ('fault' in line && line.fault === 'no-separator')) throw new Error(`not a content line: "${clip(raw)}"`);
  if (!('fault' in line)) return line;
  if (line.fault === 'unclosed-quote') throw new Error(`unterminated quoted parameter in "${clip(raw)}"`);
  throw new Error(`no ":" after the parameters in "${clip(raw)}"`);
}

/** The value of a TEXT property with RFC 5545 §3.3.11 escapes undone, for comparing UIDs and TZIDs. */
export function textValue(line: ContentLine): string {
  return line.raw.slice(line.valueStart).replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** The upper-cased component a BEGIN or END line names. */
export function componentName(line: ContentLine): string {
  return line.raw.slice(line.valueStart).trim().toUpperCase();
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

// --- components --------------------------------------------------------------------------------------------------

/**
 * Components nest three deep in real data (VCALENDAR > VEVENT > VALARM, VCALENDAR > VTIMEZONE > STANDARD);
 * RFC 9073's VLOCATION inside a VEVENT inside a VCALENDAR adds a fourth. Deeper nesting only comes from hostile
 * or broken text, and ical.js (and every walk over its output) recurses per level: 20k levels overflow the stack.
 */
const MAX_NESTING = 8;

const TOO_DEEP = `its components nest more than ${MAX_NESTING} levels deep`;

/** Throws when BEGIN lines nest deeper than MAX_NESTING: one linear pass before any recursive reader sees the text. */
export function checkNesting(text: string): void {
  let depth = 0;
  // test() with lastIndex, not matchAll: no match array per line (15,000 items: 20 MB less to collect).
  const boundary = /^(?:BEGIN|END):/gim;
  while (boundary.test(text)) {
    // The letter before ':' tells them apart: BEGIN ends in N, END in D.
    const begins = (text.charCodeAt(boundary.lastIndex - 2) | 0x20) === 0x6e;
    if (!begins) depth = Math.max(0, depth - 1);
    else if (++depth > MAX_NESTING) throw new Error(TOO_DEEP);
  }
}

/** A component: its BEGIN/END lines as served and its properties and subcomponents in served order. */
export interface ComponentNode {
  name: string;
  begin: string;
  end: string;
  items: ComponentItem[];
}

export type ComponentItem = { kind: 'prop'; line: ContentLine } | { kind: 'comp'; node: ComponentNode };

/** Builds the component tree of a whole text; throws if BEGIN/END do not nest or lines stand outside a component. */
export function parseComponents(text: string): ComponentNode[] {
  return componentsOf(unfoldText(text));
}

/** parseComponents of logical (unfolded) lines. */
export function componentsOf(logical: readonly string[]): ComponentNode[] {
  const roots: ComponentNode[] = [];
  const stack: ComponentNode[] = [];
  for (const raw of logical) {
    const line = parseContentLine(raw);
    const top = stack[stack.length - 1];
    if (line.name === 'BEGIN') {
      if (stack.length >= MAX_NESTING) throw new Error(TOO_DEEP);
      const node: ComponentNode = { name: componentName(line), begin: raw, end: '', items: [] };
      if (top) top.items.push({ kind: 'comp', node });
      else roots.push(node);
      stack.push(node);
    } else if (line.name === 'END') {
      const value = componentName(line);
      if (!top) throw new Error(`END:${value} without a matching BEGIN`);
      if (top.name !== value) throw new Error(`END:${value} closes BEGIN:${top.name}`);
      top.end = raw;
      stack.pop();
    } else {
      if (!top) throw new Error(`property ${line.name} outside any component`);
      top.items.push({ kind: 'prop', line });
    }
  }
  const open = stack[stack.length - 1];
  if (open) throw new Error(`BEGIN:${open.name} is never closed (truncated?)`);
  return roots;
}

export function props(node: ComponentNode): ContentLine[] {
  return node.items.flatMap((item) => (item.kind === 'prop' ? [item.line] : []));
}

export function subcomponents(node: ComponentNode): ComponentNode[] {
  return node.items.flatMap((item) => (item.kind === 'comp' ? [item.node] : []));
}
