// The one WebDAV request function (dav/request.ts), against a fake requester: the headers every request
// carries, a 207 read response by response, and every other answer turned into the one error in one way.
import { describe, expect, it } from 'vitest';
import { multigetBody, propfindBody, queryBody, syncCollectionBody } from '../../electron/engine/dav/bodies.ts';
import { davMultistatus, davRequest, readMultistatus, type DavRequest } from '../../electron/engine/dav/request.ts';
import type { HttpRequest, HttpResponse } from '../../electron/engine/net/http.ts';
import type { Requester } from '../../electron/engine/net/session.ts';
import { Trace } from '../../electron/engine/net/trace.ts';
import { DavlensFailure } from '../../shared/errors.ts';

const URL_ = 'https://dav.example.test/cal/work/';

/** A requester that answers every request with `answer` and keeps what it was sent. */
function fake(answer: Partial<HttpResponse>): Requester & { sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  return {
    sent,
    trace: new Trace(),
    request: async (req) => {
      sent.push(req);
      const body = answer.body ?? '';
      return { status: 207, headers: {}, wwwAuthenticate: [], url: req.url, ms: 1, ...answer, body, pieces: [body], bytes: Buffer.byteLength(body) };
    },
  };
}

const MULTISTATUS = `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">
  <d:response><d:href>/cal/work/a.ics</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
  <d:response><d:href>/cal/work/b.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>
  <d:sync-token>http://example.test/sync/7</d:sync-token>
</d:multistatus>`;

const REQUEST: DavRequest = { method: 'REPORT', url: URL_, depth: '1', body: queryBody('calendar'), step: 'items', what: `the items of ${URL_}` };

async function failureOf(p: Promise<unknown>): Promise<DavlensFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DavlensFailure) return e;
    throw e;
  }
  throw new Error('expected a DavlensFailure');
}

describe('davRequest', () => {
  it('sends Depth and the XML Content-Type (quirk needs-xml-content-type) with the body, and reads a 207 response by response', async () => {
    const via = fake({ body: MULTISTATUS });
    const seen: string[] = [];
    const answer = await davRequest(via, REQUEST, (r) => seen.push(`${r.url} ${r.status ?? 'props'}`));
    expect(via.sent).toEqual([
      { method: 'REPORT', url: URL_, step: 'items', headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' }, body: REQUEST.body },
    ]);
    expect(seen).toEqual(['https://dav.example.test/cal/work/a.ics props', 'https://dav.example.test/cal/work/b.ics 404']);
    expect(answer).toMatchObject({ handled: null, syncToken: 'http://example.test/sync/7' });
  });

  it('gives back the statuses the caller handles as they came, without reading them', async () => {
    const via = fake({ status: 403, body: '<html>no</html>' });
    const answer = await davRequest(via, { ...REQUEST, handles: (res) => res.status === 403 }, () => {
      throw new Error('not read');
    });
    expect(answer.handled?.status).toBe(403);
  });

  it('turns any other status into one http-status error naming host, status, what and URL', async () => {
    const e = await failureOf(davRequest(fake({ status: 500, body: '' }), REQUEST, () => undefined));
    expect(e.error).toMatchObject({ code: 'http-status', status: 500, step: 'items', url: URL_ });
    expect(e.error.message).toBe(`dav.example.test answered 500 when asked for the items of ${URL_} (${URL_}). The server has a problem; try again later.`);
    const html = await failureOf(davRequest(fake({ status: 404, body: '<!DOCTYPE html><p>x' }), REQUEST, () => undefined));
    expect(html.error).toMatchObject({ code: 'http-status', status: 404 });
    expect(html.error.message).toMatch(/answered 404 with an HTML page instead of DAV properties/);
  });

  it('turns a 207 that is not a usable multistatus into bad-response (HTML named as such), and malformed XML too', async () => {
    const page = await failureOf(davRequest(fake({ body: '<html><body>Login</body></html>' }), REQUEST, () => undefined));
    expect(page.error).toMatchObject({ code: 'bad-response', status: 207, step: 'items' });
    expect(page.error.message).toMatch(/with an HTML page instead of a DAV multistatus/);
    const broken = await failureOf(davRequest(fake({ body: '<d:multistatus xmlns:d="DAV:"><d:response>' }), REQUEST, () => undefined));
    expect(broken.error).toMatchObject({ code: 'bad-response' });
    expect(broken.error.message).toMatch(/with XML Davlens cannot use instead of a DAV multistatus/);
  });

  it('davMultistatus keeps every response and reads the server clock from Date; a handled status is still an error there', async () => {
    const ms = await davMultistatus(fake({ body: MULTISTATUS, headers: { date: 'Fri, 04 Dec 2026 12:00:00 GMT' } }), REQUEST);
    expect(ms.responses).toHaveLength(2);
    expect(ms.clock?.seconds).toBe(Date.parse('2026-12-04T12:00:00Z') / 1000);
    expect((await davMultistatus(fake({ body: MULTISTATUS }), REQUEST)).clock).toBeNull();
    const e = await failureOf(davMultistatus(fake({ status: 403 }), { ...REQUEST, handles: () => true }));
    expect(e.error).toMatchObject({ code: 'http-status', status: 403 });
  });

  it('readMultistatus reads what discovery received the same way', () => {
    const res = { status: 207, headers: {}, wwwAuthenticate: [], body: MULTISTATUS, pieces: [MULTISTATUS], bytes: MULTISTATUS.length, url: URL_, ms: 1 };
    expect(readMultistatus(res, 'principal', 'the current-user-principal').responses).toHaveLength(2);
    expect(() => readMultistatus({ ...res, status: 401 }, 'principal', 'the current-user-principal')).toThrow(
      /answered 401 when asked for the current-user-principal/,
    );
  });
});

describe('request bodies', () => {
  it('declare every prefix on the root and escape hrefs and tokens', () => {
    expect(propfindBody(['d:getetag', 'cs:getctag'])).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<d:propfind xmlns:d="DAV:" .*xmlns:cs="/);
    expect(propfindBody(['d:getetag'])).toContain('<d:prop><d:getetag/></d:prop></d:propfind>');
    expect(queryBody('calendar')).toContain('<c:filter><c:comp-filter name="VCALENDAR"/></c:filter>');
    expect(queryBody('addressbook')).not.toContain('filter');
    expect(multigetBody('addressbook', ['https://h/book/a&b.vcf'])).toContain('<card:address-data/></d:prop><d:href>/book/a&amp;b.vcf</d:href>');
    expect(syncCollectionBody('calendar', 'tok<1>', true)).toContain(
      '<d:sync-token>tok&lt;1&gt;</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/><c:calendar-data/></d:prop>',
    );
    expect(syncCollectionBody('calendar', '', false)).toContain('<d:sync-token></d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop>');
  });
});
