// The one XML parser of the engine: saxes, namespace-aware, into a small element tree.
// DAV servers spell namespaces every way (d:, D:, ns0:, a default namespace), so every lookup is by
// namespace URI + local name, never by prefix. A DOCTYPE is refused outright: a multistatus never needs
// one, and refusing it is the simplest complete answer to XXE and entity-expansion bombs.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SaxesParser } from 'saxes';
import { ownCopy } from '../../../shared/own-copy.ts';

export const NS = {
  DAV: 'DAV:',
  CALDAV: 'urn:ietf:params:xml:ns:caldav',
  CARDDAV: 'urn:ietf:params:xml:ns:carddav',
  CS: 'http://calendarserver.org/ns/',
  APPLE: 'http://apple.com/ns/ical/',
} as const;

export interface XmlElement {
  ns: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element (not of descendants). */
  text: string;
}

export class XmlError extends Error {}

/**
 * DAV answers nest about eight deep (multistatus > response > propstat > prop > supported-report-set >
 * supported-report > report > sync-collection). saxes resolves each tag's namespace through every ancestor, so
 * depth costs quadratic time: 30,000 nested elements (240 KB) took 5.4 s (found by fuzzing). Deeper is refused.
 */
export const MAX_XML_DEPTH = 40;

/** The prefix every XML document has bound (Namespaces in XML 1.0, §3). */
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
/** Prefix -> namespace URI in scope; '' is the default namespace. */
type Scope = ReadonlyMap<string, string>;
const ROOT_SCOPE: Scope = new Map([['xml', XML_NS]]);
/** Elements without attributes (nearly all in a multistatus) share one empty record. */
const NO_ATTRS: Record<string, string> = Object.freeze({});

/**
 * Builds the element tree as the parser goes. `onTopLevelChild` sees each child of the root once it is complete
 * and may take it out of the tree (false): a multistatus of thousands of responses is then read one response at
 * a time, and no tree of the whole answer is ever built.
 *
 * Namespaces are resolved here, not by saxes: its namespace mode made two dictionary objects and an attribute
 * record per element and looked every prefix up through the ancestors (bench:sync's 15,000 items: ~53 MB of the
 * ~690 MB a sync allocated; resolving them here allocates 26 MB less). A scope is copied only where an element
 * declares a namespace, which in DAV answers is the root and now and then a property.
 */
class TreeBuilder {
  private readonly parser = new SaxesParser({ xmlns: false, position: false });
  private readonly stack: XmlElement[] = [];
  private readonly scopes: Scope[] = [];
  private root: XmlElement | null = null;
  private failure: Error | null = null;

  constructor(onTopLevelChild?: (el: XmlElement) => boolean) {
    const parser = this.parser;
    const stack = this.stack;
    const scopes = this.scopes;
    parser.on('doctype', () => {
      throw new XmlError('the response declares a DOCTYPE, which DAV never needs (refused: entity expansion risk)');
    });
    parser.on('opentag', (tag) => {
      if (stack.length >= MAX_XML_DEPTH) throw new XmlError(`the response nests elements more than ${MAX_XML_DEPTH} deep`);
      const parentScope = scopes[scopes.length - 1] ?? ROOT_SCOPE;
      let declared: Map<string, string> | null = null;
      let attrs = NO_ATTRS;
      for (const name in tag.attributes) {
        const value = tag.attributes[name]!;
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          const prefix = name === 'xmlns' ? '' : name.slice(6);
          if (prefix !== '' && value === '') throw new XmlError(`the namespace prefix "${prefix}" is declared empty`);
          (declared ??= new Map(parentScope)).set(prefix, value);
        } else {
          if (attrs === NO_ATTRS) attrs = {};
          attrs[localName(name)] = value;
        }
      }
      const scope = declared ?? parentScope;
      scopes.push(scope);
      const colon = tag.name.indexOf(':');
      const prefix = colon < 0 ? '' : tag.name.slice(0, colon);
      const ns = scope.get(prefix);
      if (ns === undefined && prefix !== '') throw new XmlError(`the element <${tag.name}> has a namespace prefix that is not declared`);
      const el: XmlElement = { ns: ns ?? '', local: colon < 0 ? tag.name : tag.name.slice(colon + 1), attrs, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else this.root = el;
      stack.push(el);
    });
    parser.on('closetag', () => {
      scopes.pop();
      const el = stack.pop()!;
      if (stack.length === 1 && onTopLevelChild && !onTopLevelChild(el)) stack[0]!.children.pop();
    });
    const onText = (t: string) => {
      const top = stack[stack.length - 1];
      if (top) top.text += t;
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
    parser.on('error', (e) => {
      this.failure ??= e;
    });
  }

  write(chunk: string): void {
    if (this.failure) return;
    try {
      this.parser.write(chunk);
    } catch (e) {
      this.failure ??= e as Error;
    }
  }

  close(): XmlElement {
    if (!this.failure) {
      try {
        this.parser.close();
      } catch (e) {
        this.failure ??= e as Error;
      }
    }
    if (this.failure) throw new XmlError(cleanSaxesMessage(this.failure.message));
    if (!this.root) throw new XmlError('the response has no XML root element');
    return this.root;
  }
}

export function parseXml(source: string, onTopLevelChild?: (el: XmlElement) => boolean): XmlElement {
  const builder = new TreeBuilder(onTopLevelChild);
  builder.write(source);
  return builder.close();
}

/** Characters parsed between two turns of the event loop (about 5 ms of work). */
export const SLICE_CHARS = 256 * 1024;

/**
 * parseXml for large answers, given in the pieces they arrived in: the text is parsed in slices, and between two
 * slices the event loop turns, so the next request of a sync goes out (and its answer comes in) while this one is read.
 */
export async function parseXmlInSlices(pieces: Iterable<string>, onTopLevelChild?: (el: XmlElement) => boolean): Promise<XmlElement> {
  const builder = new TreeBuilder(onTopLevelChild);
  let sinceTurn = 0;
  for (const piece of pieces) {
    for (let at = 0; at < piece.length; at += SLICE_CHARS) {
      if (sinceTurn >= SLICE_CHARS) {
        await nextTurn();
        sinceTurn = 0;
      }
      const slice = piece.slice(at, at + SLICE_CHARS);
      builder.write(slice);
      sinceTurn += slice.length;
    }
  }
  return builder.close();
}

/** An attribute's name without its prefix (DAV reads attributes by local name: `name` of a comp). */
function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

// saxes prefixes messages with position info like "undefined:1:10: "; keep the reason only.
function cleanSaxesMessage(m: string): string {
  return m.replace(/^[^:]*:\d+:\d+: /, '');
}

export function childrenOf(el: XmlElement | null | undefined, ns: string, local: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c) => c.ns === ns && c.local === local);
}

export function childOf(el: XmlElement | null | undefined, ns: string, local: string): XmlElement | null {
  if (!el) return null;
  return el.children.find((c) => c.ns === ns && c.local === local) ?? null;
}

/**
 * Text of an element and all its descendants, trimmed, as a string of its own: the parser's text is made of slices
 * of the answer's pieces (net/http.ts), and an ETag kept with its item as a slice kept its whole piece alive.
 */
export function textOf(el: XmlElement | null | undefined): string {
  return el ? ownCopy(sharedTextOf(el)) : '';
}

/** textOf without the copy, for text its caller copies anyway (an item's data, whose line ends are rewritten). */
export function sharedTextOf(el: XmlElement): string {
  return (el.text + el.children.map(sharedTextOf).join('')).trim();
}

/** Escape text for an XML body we build (hrefs in multiget, sync tokens). */
export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}
