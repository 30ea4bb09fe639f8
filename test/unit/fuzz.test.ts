// A short, seeded run of every fuzz target (test/fuzz/targets.ts; `npm run fuzz` runs them for minutes), and
// each finding of the long runs as a regression test with the outcome it must have now.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestStateFromChallenge, parseWwwAuthenticate } from '../../electron/engine/net/digest.ts';
import { expandOccurrences, parseCalendarResource } from '../../electron/engine/formats/ical/index.ts';
import { parseMultistatus } from '../../electron/engine/dav/multistatus.ts';
import { MAX_XML_DEPTH, XmlError } from '../../electron/engine/dav/xml.ts';
import { TARGETS } from '../fuzz/targets.ts';

const FINDINGS = join(import.meta.dirname, '..', 'fixtures', 'fuzz');

describe('fuzz targets, a short seeded run each', () => {
  for (const target of TARGETS) {
    it(
      target.name,
      async () => {
        await fc.assert(target.property(), { seed: 13, numRuns: 400, interruptAfterTimeLimit: 20_000 });
      },
      60_000,
    );
  }
});

describe('fuzzing findings', () => {
  function timedExpand(file: string, from: string, to: string) {
    const t0 = performance.now();
    const parsed = parseCalendarResource(`/cal/${file}`, readFileSync(join(FINDINGS, file), 'utf8'));
    const out = expandOccurrences([parsed.resource!], { from, to, tz: 'UTC' }, { displayName: 'c', url: '/cal/' });
    return { ms: performance.now() - t0, out };
  }

  it('20 costly rules in one item share one pool of steps: about a second, each series named (before: 12 s)', () => {
    const { ms, out } = timedExpand('costly-rules.ics', '2026-01-01', '2026-02-01');
    expect(out.errors).toHaveLength(20);
    expect(out.errors[0]).toMatchObject({ code: 'item-unparsable', href: '/cal/costly-rules.ics' });
    expect(out.errors[0]!.message).toMatch(/recurrence steps for one window/);
    expect(ms).toBeLessThan(8_000);
  });

  it('a rule whose steps cost 40 us each is stopped by the clock (before: 6 s)', () => {
    const { ms, out } = timedExpand('slow-steps.ics', '1928-01-01', '1928-05-30');
    expect(out.errors.map((e) => e.message)).toEqual([expect.stringMatching(/ms of recurrence steps for one window/)]);
    expect(ms).toBeLessThan(6_000);
  });

  it('30,000 nested XML elements are refused at once (before: 5.4 s in saxes namespace lookups)', () => {
    const deep = `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">${'<d:prop>'.repeat(30_000)}${'</d:prop>'.repeat(30_000)}</d:multistatus>`;
    const t0 = performance.now();
    expect(() => parseMultistatus(deep, 'https://dav.example.test/')).toThrow(XmlError);
    expect(() => parseMultistatus(deep, 'https://dav.example.test/')).toThrow(`more than ${MAX_XML_DEPTH} deep`);
    expect(performance.now() - t0).toBeLessThan(500);
    // What real servers send (eight levels) still reads.
    const ok = parseMultistatus(
      '<d:multistatus xmlns:d="DAV:"><d:response><d:href>/a/</d:href><d:propstat><d:prop><d:supported-report-set><d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report></d:supported-report-set></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>',
      'https://dav.example.test/',
    );
    expect(ok.responses).toHaveLength(1);
  });

  it('a Digest challenge with a line break in its realm is unusable, never echoed into a header', () => {
    const [challenge] = parseWwwAuthenticate(['Digest realm="END:VCALENDAR\r\n", nonce="n", qop="auth"']);
    expect(challenge!.params.realm).toBe('END:VCALENDAR\r\n');
    expect(digestStateFromChallenge(challenge!)).toBeNull();
    expect(digestStateFromChallenge(parseWwwAuthenticate(['Digest realm="x", nonce="n", qop="auth"'])[0]!)).not.toBeNull();
  });
});
