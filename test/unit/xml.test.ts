import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { NS, SLICE_CHARS, XmlError, childOf, parseXml, textOf } from '../../electron/engine/dav/xml.ts';
import {
  NotMultistatusError,
  eachMultistatusResponse,
  hrefsIn,
  okProp,
  parseMultistatus,
  responseFor,
  type DavResponse,
} from '../../electron/engine/dav/multistatus.ts';

const ms = (inner: string, decl = 'xmlns:d="DAV:"') => `<?xml version="1.0"?><d:multistatus ${decl}>${inner}</d:multistatus>`;

describe('parseXml', () => {
  it('reads elements by namespace URI whatever the prefix', () => {
    for (const doc of ['<d:a xmlns:d="DAV:"><d:b>x</d:b></d:a>', '<ns0:a xmlns:ns0="DAV:"><ns0:b>x</ns0:b></ns0:a>', '<a xmlns="DAV:"><b>x</b></a>']) {
      const root = parseXml(doc);
      expect(root.ns).toBe(NS.DAV);
      expect(textOf(childOf(root, NS.DAV, 'b'))).toBe('x');
    }
  });

  it('resolves namespaces declared on any element, in their scope only, and refuses a prefix never declared', () => {
    const root = parseXml(
      '<d:prop xmlns:d="DAV:"><x1:calendar-color xmlns:x1="http://apple.com/ns/ical/">#f00</x1:calendar-color>' +
        '<x1:displayname xmlns:x1="DAV:">a</x1:displayname><c xmlns="urn:ietf:params:xml:ns:caldav"><comp name="VEVENT" d:x="1"/></c><plain/></d:prop>',
    );
    expect(root.children.map((c) => [c.ns, c.local])).toEqual([
      [NS.APPLE, 'calendar-color'],
      [NS.DAV, 'displayname'],
      [NS.CALDAV, 'c'],
      ['', 'plain'],
    ]);
    // Attributes by local name; namespace declarations are not attributes.
    const comp = root.children[2]!.children[0]!;
    expect([comp.ns, comp.attrs]).toEqual([NS.CALDAV, { name: 'VEVENT', x: '1' }]);
    expect(root.attrs).toEqual({});
    expect(() => parseXml('<d:a xmlns:d="DAV:"><e:b/></d:a>')).toThrow(/namespace prefix that is not declared/);
    expect(() => parseXml('<d:a xmlns:d="DAV:"><d:b xmlns:e="x"/><e:c/></d:a>')).toThrow(XmlError);
    expect(() => parseXml('<d:a xmlns:d=""/>')).toThrow(XmlError);
  });

  it('refuses a DOCTYPE with an external entity (XXE) without reading the file', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d:multistatus xmlns:d="DAV:">&x;</d:multistatus>';
    expect(() => parseXml(xxe)).toThrow(XmlError);
    expect(() => parseXml(xxe)).toThrow(/DOCTYPE/);
  });

  it('refuses an entity-expansion bomb quickly', () => {
    const lol =
      '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><x>&d;&d;&d;&d;</x>';
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
    const body = ms(
      '<d:response><d:href>/c/2024</d:href><d:propstat><d:prop><d:displayname>2024</d:displayname></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response><d:sync-token>http://x/sync/7</d:sync-token>',
    );
    const parsed = parseMultistatus(body, 'https://h/');
    expect(textOf(okProp(parsed.responses[0]!, NS.DAV, 'displayname'))).toBe('2024');
    expect(parsed.syncToken).toBe('http://x/sync/7');
  });

  it('says what it got when the body is not a multistatus', () => {
    expect(() => parseMultistatus('<html xmlns="http://www.w3.org/1999/xhtml"><body>Login</body></html>', 'https://h/')).toThrow(NotMultistatusError);
    expect(() => parseMultistatus('<html><body>Error</body></html>', 'https://h/')).toThrow(/expected a DAV:multistatus, got <html>/);
  });
});

describe('eachMultistatusResponse (large answers, read in slices)', () => {
  // Each item holds what a slice boundary could split: a surrogate pair, CR LF, an entity, CDATA, a tag.
  const item = (n: number) =>
    `<d:response><d:href>/c/${n}.ics</d:href><d:propstat><d:prop><d:getetag>"e${n}"</d:getetag>` +
    `<c:calendar-data>BEGIN:VCALENDAR\r\nSUMMARY:${n} \u{1F600} caf\u00e9 &amp; &lt;x&gt;\r\nX:<![CDATA[<a>]]>${'y'.repeat(n % 97)}\r\nEND:VCALENDAR\r\n</c:calendar-data>` +
    '</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>';
  const shape = (r: DavResponse) =>
    `${r.url} ${r.status} ${r.propstats.map((p) => `${p.status}:${p.props.map((e) => `${e.local}=${textOf(e)}`).join('|')}`).join(';')}`;

  it('hands over the same responses as parsing at once, whatever falls on a slice boundary', async () => {
    for (let shift = 0; shift < 24; shift++) {
      const body = ms(
        `${' '.repeat(shift)}${Array.from({ length: 3000 }, (_, n) => item(n)).join('')}<d:sync-token>t9</d:sync-token>`,
        'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"',
      );
      expect(body.length).toBeGreaterThan(3 * 256 * 1024);
      const whole = parseMultistatus(body, 'https://h/c/');
      const seen: string[] = [];
      const { syncToken } = await eachMultistatusResponse([body], 'https://h/c/', (r) => seen.push(shape(r)));
      expect(syncToken).toBe('t9');
      expect(seen).toEqual(whole.responses.map(shape));
      // As received: pieces of any size (the network's chunks), each split anywhere.
      const size = 1000 + shift * 997;
      const pieces = Array.from({ length: Math.ceil(body.length / size) }, (_, i) => body.slice(i * size, (i + 1) * size));
      const fromPieces: string[] = [];
      await eachMultistatusResponse(pieces, 'https://h/c/', (r) => fromPieces.push(shape(r)));
      expect(fromPieces).toEqual(seen);
    }
  });

  it('reads a surrogate pair, CR LF, an entity, CDATA or a tag split by the slice boundary', async () => {
    const head =
      '<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:response><d:href>/c/x.ics</d:href><d:propstat><d:prop><c:calendar-data>';
    const tail = ' end</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>';
    for (const [token, read] of [
      ['\u{1F600}', '\u{1F600}'],
      ['\r\n', '\n'],
      ['&amp;', '&'],
      ['<![CDATA[<a>]]>', '<a>'],
      ['<!-- c -->', ''],
    ]) {
      for (let split = 1; split < token!.length; split++) {
        const filler = 'y'.repeat(SLICE_CHARS - split - head.length);
        const text = head + filler + token + tail;
        // Split by a slice of one piece, and between two pieces.
        for (const pieces of [[text], [text.slice(0, SLICE_CHARS), text.slice(SLICE_CHARS)]]) {
          const seen: string[] = [];
          await eachMultistatusResponse(pieces, 'https://h/c/', (r) => seen.push(textOf(okProp(r, 'urn:ietf:params:xml:ns:caldav', 'calendar-data'))));
          expect(seen, JSON.stringify(token)).toEqual([`${filler}${read} end`]);
        }
      }
    }
  });

  it('fails the same way on a truncated or hostile answer', async () => {
    const big = ms(Array.from({ length: 3000 }, (_, n) => item(n)).join(''), 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"');
    await expect(eachMultistatusResponse([big.slice(0, big.length - 500)], 'https://h/c/', () => undefined)).rejects.toThrow(XmlError);
    await expect(eachMultistatusResponse([`<!DOCTYPE x [<!ENTITY a "b">]>`, big], 'https://h/c/', () => undefined)).rejects.toThrow(/DOCTYPE/);
    await expect(eachMultistatusResponse(['<html><body>Login</body></html>'], 'https://h/c/', () => undefined)).rejects.toThrow(NotMultistatusError);
  });

  it('keeps none of the answer alive through the values a reader keeps (an ETag per item until its collection is stored)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const items = 10_000;
    // Pieces as the HTTP layer makes them: 4 KB strings of their own, each decoded from its bytes.
    const answer = () => {
      const text = ms(
        Array.from(
          { length: items },
          (_, n) =>
            `<d:response><d:href>/c/${n}.ics</d:href><d:propstat><d:prop><d:getetag>"${n.toString(16).padStart(64, '0')}"</d:getetag>` +
            `<c:calendar-data>BEGIN:VCALENDAR\n${'DESCRIPTION:text\n'.repeat(60)}END:VCALENDAR</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
        ).join(''),
        'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"',
      );
      const bytes = Buffer.from(text, 'latin1');
      return {
        size: bytes.length,
        pieces: Array.from({ length: Math.ceil(bytes.length / 4096) }, (_, i) => bytes.toString('latin1', i * 4096, (i + 1) * 4096)),
      };
    };
    const keptEtags = async () => {
      const { size, pieces } = answer();
      const etags: string[] = [];
      await eachMultistatusResponse(pieces, 'https://h/c/', (r) => etags.push(textOf(okProp(r, NS.DAV, 'getetag'))));
      return { size, etags };
    };
    gc();
    const before = process.memoryUsage().heapUsed;
    const { size, etags } = await keptEtags();
    gc();
    const kept = process.memoryUsage().heapUsed - before;
    expect(etags).toHaveLength(items);
    expect(etags[255]).toBe(`"${(255).toString(16).padStart(64, '0')}"`);
    expect(size).toBeGreaterThan(10_000_000);
    // The ETags themselves: 10,000 x 66 characters. A slice of each piece kept every piece: the whole answer.
    expect(kept).toBeLessThan(size / 4);
  });
});
