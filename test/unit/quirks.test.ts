// The quirks table (electron/engine/remote/quirks.ts) is the one place server quirks are described: the README prints
// it as is, every quirk Davlens copes with is named by the engine code that copes, and every row names a check
// of the integration suite that exists, on a configuration that exists.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markerMayStillMove } from '../../electron/engine/remote/account-remote.ts';
import { QUIRKS, quirksMarkdown, recogniseProduct } from '../../electron/engine/remote/quirks.ts';
import { parseMultistatus } from '../../electron/engine/dav/multistatus.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function engineSources(dir = 'electron/engine'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? engineSources(`${dir}/${e.name}`) : e.name.endsWith('.ts') && e.name !== 'quirks.ts' ? [read(`${dir}/${e.name}`)] : [],
  );
}

describe('quirks table', () => {
  it('is printed in the README exactly as the code has it', () => {
    expect(read('README.md')).toContain(`${quirksMarkdown()}\n`);
  });

  it('every quirk Davlens copes with is named where the engine copes with it', () => {
    const code = engineSources().join('\n');
    const unnamed = QUIRKS.filter((q) => q.detection !== 'none' && !code.includes(q.id)).map((q) => q.id);
    expect(unnamed).toEqual([]);
  });

  it('every row names a configuration and a check of the integration suite', () => {
    const configurations = read('test/harness/configurations.ts');
    const suite = read('test/integration/servers.test.ts');
    for (const q of QUIRKS) {
      expect(configurations, q.id).toContain(`name: '${q.test.server}'`);
      expect(suite, q.id).toMatch(new RegExp(`check\\(\\s*'${q.test.check}'`));
    }
    expect(new Set(QUIRKS.map((q) => q.id)).size).toBe(QUIRKS.length);
  });
});

describe('quirk detection', () => {
  const listing = (reports: string) =>
    parseMultistatus(
      `<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:response><d:href>/cal/</d:href><d:propstat><d:prop><d:supported-report-set>${reports}</d:supported-report-set></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`,
      'https://h/cal/',
    ).responses[0]!;

  it('Xandikos is recognised by reports listed without DAV:report; RFC 3253 wrappers are anyone', () => {
    expect(
      recogniseProduct(listing('<d:supported-report><c:calendar-query/></d:supported-report><d:supported-report><d:sync-collection/></d:supported-report>')),
    ).toBe('xandikos');
    expect(recogniseProduct(listing('<d:supported-report><d:report><c:calendar-query/></d:report></d:supported-report>'))).toBeNull();
    expect(recogniseProduct(listing(''))).toBeNull();
  });

  it("Radicale is recognised by a calendar's reports, exactly its six (no free-busy-query)", () => {
    const wrapped = (names: string[]) => names.map((n) => `<d:supported-report><d:report><${n}/></d:report></d:supported-report>`).join('');
    const radicale = [
      'd:expand-property',
      'd:principal-search-property-set',
      'd:principal-property-search',
      'd:sync-collection',
      'c:calendar-multiget',
      'c:calendar-query',
    ];
    expect(recogniseProduct(listing(wrapped(radicale)))).toBe('radicale');
    expect(recogniseProduct(listing(wrapped([...radicale, 'c:free-busy-query'])))).toBeNull();
    expect(recogniseProduct(listing(wrapped(radicale.slice(1))))).toBeNull();
  });

  it('a marker is held back while it reads as the server clock in whole seconds (SOGo), never otherwise', () => {
    const clock = { seconds: 1_796_419_134, at: 1000 };
    // Read at the listing (performance.now() 1000) and 3.5 s later.
    expect(markerMayStillMove('1796419134', clock, 1000)).toBe(true);
    expect(markerMayStillMove('1796419133', clock, 1000)).toBe(true);
    expect(markerMayStillMove('1796419137', clock, 4500)).toBe(true);
    expect(markerMayStillMove('1796419132', clock, 1000)).toBe(false);
    expect(markerMayStillMove('1796419140', clock, 1000)).toBe(false);
    // Not a seconds count, or no clock: kept as always.
    expect(markerMayStillMove('data:,1796419134', clock, 1000)).toBe(false);
    expect(markerMayStillMove('"1796419134"', clock, 1000)).toBe(false);
    expect(markerMayStillMove('1796419134', null, 1000)).toBe(false);
    expect(markerMayStillMove(null, clock, 1000)).toBe(false);
  });
});
