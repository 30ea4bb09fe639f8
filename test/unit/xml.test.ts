import { describe, expect, it } from 'vitest';
import { NS, XmlError, childOf, parseXml, textOf } from '../../electron/engine/xml.ts';
import { NotMultistatusError, hrefsIn, okProp, parseMultistatus, responseFor } from '../../electron/engine/webdav.ts';

const ms = (inner: string, decl = 'xmlns:d="DAV:"') => `<?xml version="1.0"?><d:multistatus ${decl}>${inner}</d:multistatus>`;

describe('parseXml', () => {
  it('reads elements by namespace URI whatever the prefix', () => {
    for (const doc of [
      '<d:a xmlns:d="DAV:"><d:b>x</d:b></d:a>',
      '<ns0:a xmlns:ns0="DAV:"><ns0:b>x</ns0:b></ns0:a>',
      '<a xmlns="DAV:"><b>x</b></a>',
    ]) {
      const root = parseXml(doc);
      expect(root.ns).toBe(NS.DAV);
      expect(textOf(childOf(root, NS.DAV, 'b'))).toBe('x');
    }
  });

  it('refuses a DOCTYPE with an external entity (XXE) without reading the file', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d:multistatus xmlns:d="DAV:">&x;</d:multistatus>';
    expect(() => parseXml(xxe)).toThrow(XmlError);
    expect(() => parseXml(xxe)).toThrow(/DOCTYPE/);
  });

  it('refuses an entity-expansion bomb quickly', () => {
    const lol = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><x>&d;&d;&d;&d;</x>';
    const t = performance.now();
    expect(() => parseXml(lol)).toThrow(XmlError);
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it('rejects an undefined entity, truncated and malformed documents', () => {
    expect(() => parseXml('<a>&nope;</a>')).toThrow(XmlError);
    expect(() => parseXml('<d:multistatus xmlns:d="DAV:"><d:response>')).toThrow(XmlError);
    expect(() => parseXml('<a><b></a>')).toThrow(XmlError);
    expect(() => parseXml('')).toThrow(XmlError);
  });

  it('decodes predefined entities and CDATA', () => {
    expect(textOf(parseXml('<a>x &amp; y <![CDATA[<z>]]></a>'))).toBe('x & y <z>');
  });
});

describe('parseMultistatus', () => {
  it('resolves hrefs, reads propstat statuses and keeps 404 properties out of okProp', () => {
    const body = ms(`<d:response><d:href>/dav/</d:href>
      <d:propstat><d:prop><d:current-user-principal><d:href>/principals/alice/</d:href></d:current-user-principal></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
      <d:propstat><d:prop><d:displayname/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>
    </d:response>`);
    const parsed = parseMultistatus(body, 'https://dav.example.test:8443/dav/');
    expect(parsed.responses).toHaveLength(1);
    const r = responseFor(parsed, 'https://dav.example.test:8443/dav')!;
    expect(r.url).toBe('https://dav.example.test:8443/dav/');
    expect(hrefsIn(okProp(r, NS.DAV, 'current-user-principal'), r.url)).toEqual(['https://dav.example.test:8443/principals/alice/']);
    expect(okProp(r, NS.DAV, 'displayname')).toBeNull();
    expect(r.propstats.map((p) => p.status)).toEqual([200, 404]);
  });

  it('keeps values as text (never coerces "2024" to a number) and reads sync-token', () => {
    const body = ms('<d:response><d:href>/c/2024</d:href><d:propstat><d:prop><d:displayname>2024</d:displayname></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response><d:sync-token>http://x/sync/7</d:sync-token>');
    const parsed = parseMultistatus(body, 'https://h/');
    expect(textOf(okProp(parsed.responses[0]!, NS.DAV, 'displayname'))).toBe('2024');
    expect(parsed.syncToken).toBe('http://x/sync/7');
  });

  it('says what it got when the body is not a multistatus', () => {
    expect(() => parseMultistatus('<html xmlns="http://www.w3.org/1999/xhtml"><body>Login</body></html>', 'https://h/')).toThrow(NotMultistatusError);
    expect(() => parseMultistatus('<html><body>Error</body></html>', 'https://h/')).toThrow(/expected a DAV:multistatus, got <html>/);
  });
});
