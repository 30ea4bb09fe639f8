// Content lines (RFC 5545 §3.1, RFC 6350 §3.2) at the text level. The exporter keeps each line as served and
// only unfolds, refolds and retargets TZID parameters, so it needs the raw text and the exact spans of
// parameter values, which ical.js's parsed form does not keep.

/** One unfolded content line, with the spans the exporter may rewrite. */
export interface ContentLine {
  raw: string;
  /** Upper-cased property name (with a vCard group prefix, if any, left on). */
  name: string;
  params: LineParam[];
  /** Index in `raw` of the first character of the value (just after the ':'). */
  valueStart: number;
}

export interface LineParam {
  /** Upper-cased parameter name. */
  name: string;
  /** The values with surrounding double quotes removed. */
  values: string[];
  /** Span of the whole value list in `raw` (after '=' up to the next ';' or ':'). */
  start: number;
  end: number;
  quoted: boolean;
}

/** A component: its BEGIN/END lines as served and its properties and subcomponents in served order. */
export interface ComponentNode {
  name: string;
  begin: string;
  end: string;
  items: ComponentItem[];
}

export type ComponentItem = { kind: 'prop'; line: ContentLine } | { kind: 'comp'; node: ComponentNode };

/** Splits on any line ending (servers send CRLF, LF and, rarely, CR) and joins folded continuations. */
export function unfold(text: string): string[] {
  const physical = stripBom(text).split(/\r\n|\r|\n/);
  const logical: string[] = [];
  for (const line of physical) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && logical.length > 0) {
      logical[logical.length - 1] += line.slice(1);
    } else if (line.length > 0) {
      // Blank lines are not content lines; dropping them loses nothing.
      logical.push(line);
    }
  }
  return logical;
}

function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** The text without a BOM and with CRLF line endings: ical.js reads neither a BOM nor bare-CR endings. */
export function normaliseText(text: string): string {
  return stripBom(text).replace(/\r\n|\r|\n/g, '\r\n');
}

/** Parses `NAME *(;PARAM=VALUE *(,VALUE)) : VALUE`; throws an Error with a reason if the line has no such shape. */
export function parseContentLine(raw: string): ContentLine {
  let i = 0;
  while (i < raw.length && raw[i] !== ';' && raw[i] !== ':') i++;
  const name = raw.slice(0, i).trim().toUpperCase();
  if (name.length === 0 || i >= raw.length) throw new Error(`not a content line: "${clip(raw)}"`);
  const params: LineParam[] = [];
  while (raw[i] === ';') {
    i++;
    const nameStart = i;
    while (i < raw.length && raw[i] !== '=' && raw[i] !== ';' && raw[i] !== ':') i++;
    const pname = raw.slice(nameStart, i).trim().toUpperCase();
    if (raw[i] !== '=') {
      // A bare parameter (vCard 2.1 "TEL;HOME:"): no value to rewrite, but the line is still readable.
      params.push({ name: pname, values: [], start: i, end: i, quoted: false });
      continue;
    }
    i++;
    const start = i;
    const values: string[] = [];
    let quoted = false;
    for (;;) {
      if (raw[i] === '"') {
        const close = raw.indexOf('"', i + 1);
        if (close < 0) throw new Error(`unterminated quoted parameter in "${clip(raw)}"`);
        values.push(raw.slice(i + 1, close));
        quoted = true;
        i = close + 1;
      } else {
        const vStart = i;
        while (i < raw.length && raw[i] !== ',' && raw[i] !== ';' && raw[i] !== ':') i++;
        values.push(raw.slice(vStart, i));
      }
      if (raw[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    params.push({ name: pname, values, start, end: i, quoted });
  }
  if (raw[i] !== ':') throw new Error(`no ":" after the parameters in "${clip(raw)}"`);
  return { raw, name, params, valueStart: i + 1 };
}

/**
 * Components nest three deep in real data (VCALENDAR > VEVENT > VALARM, VCALENDAR > VTIMEZONE > STANDARD);
 * RFC 9073's VLOCATION inside a VEVENT inside a VCALENDAR adds a fourth. Deeper nesting only comes from hostile
 * or broken text, and ical.js (and every walk over its output) recurses per level: 20k levels overflow the stack.
 */
export const MAX_NESTING = 8;

const TOO_DEEP = `its components nest more than ${MAX_NESTING} levels deep`;

/** Throws when BEGIN lines nest deeper than MAX_NESTING: one linear pass before any recursive reader sees the text. */
export function checkNesting(text: string): void {
  let depth = 0;
  for (const m of text.matchAll(/^(BEGIN|END):/gim)) {
    if (m[1]!.toUpperCase() !== 'BEGIN') depth = Math.max(0, depth - 1);
    else if (++depth > MAX_NESTING) throw new Error(TOO_DEEP);
  }
}

/** Builds the component tree of a whole text; throws if BEGIN/END do not nest or lines stand outside a component. */
export function parseComponents(text: string): ComponentNode[] {
  const roots: ComponentNode[] = [];
  const stack: ComponentNode[] = [];
  for (const raw of unfold(text)) {
    const line = parseContentLine(raw);
    const value = raw.slice(line.valueStart).trim().toUpperCase();
    const top = stack[stack.length - 1];
    if (line.name === 'BEGIN') {
      if (stack.length >= MAX_NESTING) throw new Error(TOO_DEEP);
      const node: ComponentNode = { name: value, begin: raw, end: '', items: [] };
      if (top) top.items.push({ kind: 'comp', node });
      else roots.push(node);
      stack.push(node);
    } else if (line.name === 'END') {
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

/** The unfolded lines of a component as served, BEGIN and END included. */
export function componentLines(node: ComponentNode): string[] {
  const out = [node.begin];
  for (const item of node.items) {
    if (item.kind === 'prop') out.push(item.line.raw);
    else for (const l of componentLines(item.node)) out.push(l);
  }
  out.push(node.end);
  return out;
}

export function props(node: ComponentNode): ContentLine[] {
  return node.items.flatMap((item) => (item.kind === 'prop' ? [item.line] : []));
}

export function subcomponents(node: ComponentNode): ComponentNode[] {
  return node.items.flatMap((item) => (item.kind === 'comp' ? [item.node] : []));
}

/** The value of a TEXT property with RFC 5545 §3.3.11 escapes undone, for comparing UIDs and TZIDs. */
export function textValue(line: ContentLine): string {
  return line.raw.slice(line.valueStart).replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/**
 * Folds one content line to at most 75 octets per physical line (RFC 5545 §3.1), continuation lines starting
 * with one space that counts towards the 75. Splits only between code points, never inside a UTF-8 sequence.
 * Lines are joined with CRLF; no CRLF is added at the end.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = utf8Length(ch.codePointAt(0) ?? 0);
    if (octets + size > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

function utf8Length(cp: number): number {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  // A lone surrogate is written as U+FFFD, which is 3 octets too.
  if (cp < 0x10000) return 3;
  return 4;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
