// The one XML parser of the engine: saxes, namespace-aware, into a small element tree.
// DAV servers spell namespaces every way (d:, D:, ns0:, a default namespace), so every lookup is by
// namespace URI + local name, never by prefix. A DOCTYPE is refused outright: a multistatus never needs
// one, and refusing it is the simplest complete answer to XXE and entity-expansion bombs.
import { SaxesParser } from 'saxes';

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

export function parseXml(source: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let failure: Error | null = null;

  parser.on('doctype', () => {
    throw new XmlError('the response declares a DOCTYPE, which DAV never needs (refused: entity expansion risk)');
  });
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) attrs[a.local] = a.value;
    const el: XmlElement = { ns: tag.uri ?? '', local: tag.local ?? tag.name, attrs, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (e) => {
    failure ??= e;
  });
  try {
    parser.write(source).close();
  } catch (e) {
    failure ??= e as Error;
  }
  if (failure) throw new XmlError(cleanSaxesMessage((failure as Error).message));
  if (!root) throw new XmlError('the response has no XML root element');
  return root;
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

/** Text of an element and all its descendants, trimmed. */
export function textOf(el: XmlElement | null | undefined): string {
  if (!el) return '';
  return (el.text + el.children.map(textOf).join('')).trim();
}

/** Escape text for an XML body we build (hrefs in multiget, sync tokens). */
export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}
