// Sync cases no real test server produces on demand: a 507-truncated sync-collection answer that must be
// followed until complete, 429 with Retry-After, a server without getctag, and the request lane's order
// (one request at a time, the next collection's already sent while the previous one is parsed and stored).
// A small scripted server on loopback plays the server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SyncCollectionReport } from '../../shared/api.ts';
import { Store, type ItemRow, type StoredAccount } from '../../electron/engine/store/store.ts';
import { syncAccount } from '../../electron/engine/app/sync.ts';
import { calendarProps } from '../support/models.ts';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.ts';
import { storedAccount, storedCalendar } from '../support/stored.ts';

let server: ScriptedServer | null = null;
let dir = '';
afterEach(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ics = (uid: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T090000Z\r\nSUMMARY:${uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const item = (href: string) =>
  `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:getetag>"${href}-1"</d:getetag><c:calendar-data>${ics(href.split('/').pop()!)}</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
/** An event stored at `href` by an earlier sync. */
const itemRow = (href: string, etag: string, uid: string): ItemRow => ({
  href,
  etag,
  data: ics(uid),
  uid,
  spanStart: 0,
  spanEnd: null,
  searchText: '',
  contact: null,
  parseError: null,
});
const ms = (inner: string) =>
  `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/">${inner}</d:multistatus>`;

describe('sync-collection edge cases (scripted server)', () => {
  it('follows 507-truncated answers to the end, honours Retry-After, never sends DAV:limit', async () => {
    const bodies: string[] = [];
    let reports = 0;
    let firstReportAt = 0;
    let retriedAt = 0;
    server = await startScriptedServer(
      (req, res) => {
        const body = (req as unknown as { body?: string }).body ?? '';
        bodies.push(body);
        if (req.method === 'PROPFIND') {
          res.writeHead(207, { 'Content-Type': 'application/xml' }).end(
            ms(`<d:response><d:href>/home/cal/</d:href><d:propstat><d:prop>
          <d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>Cal</d:displayname><d:sync-token>t3</d:sync-token>
          </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`),
          );
          return;
        }
        reports++;
        if (reports === 1) {
          firstReportAt = Date.now();
          res.writeHead(429, { 'Retry-After': '1' }).end();
          return;
        }
        if (reports === 2) {
          retriedAt = Date.now();
          res
            .writeHead(207)
            .end(
              ms(
                `${item('/home/cal/a')}${item('/home/cal/b')}<d:response><d:href>/home/cal/</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response><d:sync-token>t2</d:sync-token>`,
              ),
            );
          return;
        }
        res
          .writeHead(207)
          .end(
            ms(
              `${item('/home/cal/c')}<d:response><d:href>/home/cal/old</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response><d:sync-token>t3</d:sync-token>`,
            ),
          );
      },
      { captureBody: true },
    );
    const { store, account } = freshAccount(server.url);
    const home = `${server.url}home/`;
    const props = calendarProps(`${home}cal/`, 'Cal', { syncToken: 't1' });
    const c = storedCalendar(store, account.id, props, [itemRow(`${home}cal/old`, '"o"', 'old')]);

    const r = await syncAccount(store, account, { connection });
    expect(r.errors).toEqual([]);
    expect(reports).toBe(3);
    expect(retriedAt - firstReportAt).toBeGreaterThanOrEqual(950);
    expect(store.items(c.id).map((i) => i.href.replace(home, ''))).toEqual(['cal/a', 'cal/b', 'cal/c']);
    expect(store.getCollectionByUrl(props.url)!.syncToken).toBe('t3');
    expect(r.collections[0]).toMatchObject({ added: 3, deleted: 1 });
    expect(bodies.filter((b) => b.includes('sync-collection')).every((b) => !/limit/i.test(b))).toBe(true);
    expect(bodies.some((b) => b.includes('<d:sync-token>t2</d:sync-token>'))).toBe(true);
    store.close();
  });
});

/**
 * A tiny CalDAV home at /home/ with calendars of `sizes[i]` events each, answering the listing PROPFIND, the
 * calendar-query and sync-collection (tokens "v1" per calendar). Without `ctag` it never reports getctag.
 * Every answer is held back `delayMs`, and the most requests ever in flight at once is counted.
 */
function miniDav(sizes: number[], opts: { ctag: boolean; delayMs: number }) {
  const state = { inFlight: 0, maxInFlight: 0, log: [] as { at: number; method: string; url: string; body: string }[] };
  const hrefs = (c: number) => Array.from({ length: sizes[c]! }, (_, i) => `/home/cal${c}/e${i}.ics`);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const body = (req as unknown as { body?: string }).body ?? '';
    state.log.push({ at: performance.now(), method: req.method ?? '', url: req.url ?? '', body });
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    let answer: string;
    if (req.method === 'PROPFIND') {
      answer = ms(
        sizes
          .map(
            (_, c) => `<d:response><d:href>/home/cal${c}/</d:href><d:propstat><d:prop>
        <d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>Cal ${c}</d:displayname>
        <d:supported-report-set><d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report></d:supported-report-set>
        ${opts.ctag && body.includes('getctag') ? '<cs:getctag>c1</cs:getctag>' : ''}${body.includes('sync-token') ? '<d:sync-token>v1</d:sync-token>' : ''}
        </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
          )
          .join(''),
      );
    } else {
      const c = Number(/cal(\d+)/.exec(req.url ?? '')![1]);
      const upToDate = body.includes('<d:sync-token>v1</d:sync-token>');
      answer = ms(`${upToDate ? '' : hrefs(c).map(item).join('')}${body.includes('sync-collection') ? '<d:sync-token>v1</d:sync-token>' : ''}`);
    }
    setTimeout(() => {
      state.inFlight--;
      res.writeHead(207, { 'Content-Type': 'application/xml' }).end(answer);
    }, opts.delayMs);
  };
  return { state, handler };
}

function freshAccount(url: string): { store: Store; account: StoredAccount } {
  dir = mkdtempSync(join(tmpdir(), 'davlens-scripted-'));
  const store = Store.open(dir);
  const account = storedAccount('a@example.test', {
    username: 'a',
    caldav: { context: url, via: 'manual', principal: url, homeSets: [`${url}home/`], username: 'a', offDomain: true, needsApproval: null },
    approvedHosts: ['127.0.0.1'],
    options: { insecureHttp: true },
  });
  store.saveAccount(account);
  return { store, account };
}

const connection = { email: 'a@example.test', password: 'pw', user: 'a', insecureHttp: true, trustHosts: ['127.0.0.1'] };

describe('change markers (scripted server)', () => {
  it('without getctag: one sync-collection from the empty token brings data and token; later listings ask for the token', async () => {
    const dav = miniDav([3], { ctag: false, delayMs: 0 });
    server = await startScriptedServer(dav.handler, { captureBody: true });
    const { store, account } = freshAccount(server.url);
    const first = await syncAccount(store, account, { connection });
    expect(first.errors).toEqual([]);
    expect(first.collections[0]).toMatchObject({ added: 3, requests: 1 });
    const [listing, fetch] = dav.state.log;
    expect(listing!.body).toContain('getctag');
    expect(listing!.body).not.toContain('sync-token');
    expect(fetch!.body).toContain('<d:sync-token></d:sync-token>');
    expect(fetch!.body).toContain('calendar-data');
    expect(store.getCollectionByUrl(`${server.url}home/cal0/`)).toMatchObject({ ctag: null, syncToken: 'v1' });

    dav.state.log.length = 0;
    const again = await syncAccount(store, store.getAccount(account.id)!, { connection });
    expect(again.collections[0]).toMatchObject({ added: 0, changed: 0, deleted: 0, requests: 0 });
    expect(dav.state.log.map((l) => l.method)).toEqual(['PROPFIND']);
    expect(dav.state.log[0]!.body).toContain('sync-token');
    store.close();
  });
});

describe('the request lane (scripted server)', () => {
  it("sends one request at a time, the next collection's before the previous one is stored, and counts each where it belongs", async () => {
    const dav = miniDav([2000, 5, 5], { ctag: true, delayMs: 30 });
    server = await startScriptedServer(dav.handler, { captureBody: true });
    const { store, account } = freshAccount(server.url);
    const reported: { at: number; report: SyncCollectionReport }[] = [];
    const r = await syncAccount(store, account, { connection, onCollection: (report) => reported.push({ at: performance.now(), report }) });
    expect(r.errors).toEqual([]);
    expect(reported.map((x) => [x.report.displayName, x.report.added])).toEqual([
      ['Cal 0', 2000],
      ['Cal 1', 5],
      ['Cal 2', 5],
    ]);
    expect(dav.state.maxInFlight).toBe(1);
    // While the 2,000 events of Cal 0 (about 800 KB: parsed in several slices with turns between, see SLICE_CHARS) were parsed and stored, Cal 1's query was already with the server (600 events, one slice, left no turn for this in-process server to log it on a fast machine).
    const cal1Asked = dav.state.log.find((l) => l.url === '/home/cal1/')!.at;
    expect(cal1Asked).toBeLessThan(reported[0]!.at);
    // Each collection counts its own request; the listing is nobody's.
    expect(r.collections.map((c) => c.requests)).toEqual([1, 1, 1]);
    // This server asks for no login: the listing and one query per calendar are all it saw.
    expect(dav.state.log.map((l) => `${l.method} ${l.url}`)).toEqual(['PROPFIND /home/', 'REPORT /home/cal0/', 'REPORT /home/cal1/', 'REPORT /home/cal2/']);
    store.close();
  });
});

/**
 * One calendar at /home/cal/ (sync-token "t1" stored with item `old`); `report` answers each REPORT (its
 * number from 1 and body), `listing` adds responses to the home listing. Returns what the sync left behind.
 */
async function syncOnce(
  report: (n: number, body: string) => { status: number; body?: string; headers?: Record<string, string> },
  listing = '',
  members?: string,
) {
  const bodies: string[] = [];
  let n = 0;
  server = await startScriptedServer(
    (req, res) => {
      const body = (req as unknown as { body?: string }).body ?? '';
      bodies.push(`${req.method} ${req.url} ${body}`);
      if (req.method === 'PROPFIND' && req.url === '/home/') {
        res.writeHead(207, { 'Content-Type': 'application/xml' }).end(
          ms(`<d:response><d:href>/home/cal/</d:href><d:propstat><d:prop>
        <d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>Cal</d:displayname><cs:getctag>c2</cs:getctag>
        <d:supported-report-set><d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report></d:supported-report-set>
        </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>${listing}`),
        );
        return;
      }
      if (req.method === 'PROPFIND') {
        // Depth 1 on the calendar: the member ETags.
        res
          .writeHead(207, { 'Content-Type': 'application/xml' })
          .end(
            members ??
              ms(
                ['a', 'b', 'c']
                  .map(
                    (h) =>
                      `<d:response><d:href>/home/cal/${h}</d:href><d:propstat><d:prop><d:getetag>"/home/cal/${h}-1"</d:getetag><d:resourcetype/></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
                  )
                  .join(''),
              ),
          );
        return;
      }
      const a = report(++n, body);
      res.writeHead(a.status, { 'Content-Type': 'application/xml', ...a.headers }).end(a.body ?? '');
    },
    { captureBody: true },
  );
  const { store, account } = freshAccount(server.url);
  const home = `${server.url}home/`;
  const props = calendarProps(`${home}cal/`, 'Cal', { ctag: 'c1', syncToken: 't1' });
  const c = storedCalendar(store, account.id, props, [itemRow(`${home}cal/old`, '"o"', 'old')]);
  const r = await syncAccount(store, account, { connection });
  const left = {
    hrefs: store.items(c.id).map((i) => i.href.replace(home, '')),
    collection: store.getCollectionByUrl(props.url),
    collections: store.listCollections(account.id).map((x) => x.url.replace(home, '')),
  };
  store.close();
  return { r, left, bodies, reports: n };
}

describe('answers a sync must not take at face value (scripted server)', () => {
  it('a 507-truncated sync answer without a newer token is never applied as complete: PROPFIND lists the members instead', async () => {
    const truncated = ms(
      `${item('/home/cal/a')}<d:response><d:href>/home/cal/</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response><d:sync-token>t1</d:sync-token>`,
    );
    const { r, left, bodies } = await syncOnce((_, body) =>
      body.includes('sync-collection')
        ? { status: 207, body: truncated }
        : { status: 207, body: ms(['a', 'b', 'c'].map((h) => item(`/home/cal/${h}`)).join('')) },
    );
    expect(r.collections[0]).toMatchObject({ added: 3, deleted: 1, error: null });
    // From t1: truncated, still t1: stop. From the empty token: truncated with t1, then from t1 again: stop. No
    // loop; then PROPFIND lists the members and one multiget fetches them.
    expect(bodies.map((b) => b.split(' ').slice(0, 2).join(' ') + (b.includes('sync-collection') ? ' sync' : ''))).toEqual([
      'PROPFIND /home/',
      'REPORT /home/cal/ sync',
      'REPORT /home/cal/ sync',
      'REPORT /home/cal/ sync',
      'PROPFIND /home/cal/',
      'REPORT /home/cal/',
    ]);
    expect(left.hrefs).toEqual(['cal/a', 'cal/b', 'cal/c']);
    expect(left.collection).toMatchObject({ ctag: 'c2', syncToken: null });
  });

  it('a member list cut short (507 on PROPFIND) deletes nothing; a member a multiget leaves out is reported', async () => {
    const cut = ms(
      `<d:response><d:href>/home/cal/a</d:href><d:propstat><d:prop><d:getetag>"a-1"</d:getetag><d:resourcetype/></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response><d:response><d:href>/home/cal/</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response>`,
    );
    const short = await syncOnce(() => ({ status: 501 }), '', cut);
    expect(short.r.collections[0]!.error).toMatchObject({ code: 'bad-response', status: 507 });
    expect(short.left.hrefs).toEqual(['cal/old']);
    expect(short.left.collection).toMatchObject({ ctag: 'c1', syncToken: 't1' });
    await server!.close();
    rmSync(dir, { recursive: true, force: true });
    // The changes since t1 name b without data; the multiget for b answers nothing about it.
    const left = await syncOnce((n) => ({
      status: 207,
      body:
        n === 1
          ? ms(
              `<d:response><d:href>/home/cal/b</d:href><d:propstat><d:prop><d:getetag>"b-1"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response><d:sync-token>t2</d:sync-token>`,
            )
          : ms(''),
    }));
    expect(left.r.collections[0]!.error).toMatchObject({ code: 'bad-response', href: `${server!.url}home/cal/b` });
    expect(left.r.collections[0]!.error!.message).toContain('left');
    expect(left.left.collection).toMatchObject({ ctag: null, syncToken: null });
  });

  it('a member the server fails to deliver is reported, and the collection keeps no markers so that the next sync compares ETags', async () => {
    const failed = `<d:response><d:href>/home/cal/b</d:href><d:status>HTTP/1.1 500 Internal Server Error</d:status></d:response>`;
    const { r, left } = await syncOnce((n) =>
      n === 1
        ? // The changes since t1, without data for b; the multiget of b fails.
          {
            status: 207,
            body: ms(
              `${item('/home/cal/a')}<d:response><d:href>/home/cal/b</d:href><d:propstat><d:prop><d:getetag>"b-1"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response><d:sync-token>t2</d:sync-token>`,
            ),
          }
        : { status: 207, body: ms(failed) },
    );
    expect(r.collections[0]).toMatchObject({ added: 1, error: { code: 'bad-response', href: `${server!.url}home/cal/b` } });
    expect(left.hrefs).toEqual(['cal/a', 'cal/old']);
    // Neither t2 nor the listed ctag: with them stored, b would never be asked for again. Without markers, the
    // next sync compares every ETag and fetches b (as sync.test.ts shows for a collection without a token).
    expect(left.collection).toMatchObject({ ctag: null, syncToken: null });
  });

  it('a collection stored with an unparsable item is synced: the item is reported, the account gets its syncedAt', async () => {
    const bad = `<d:response><d:href>/home/cal/bad</d:href><d:propstat><d:prop><d:getetag>"bad-1"</d:getetag><c:calendar-data>not iCalendar</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
    const { r, left } = await syncOnce(() => ({ status: 207, body: ms(`${item('/home/cal/a')}${bad}<d:sync-token>t2</d:sync-token>`) }));
    expect(r.collections[0]).toMatchObject({ added: 2, error: { code: 'item-unparsable' } });
    expect(r.syncedAt).not.toBeNull();
    expect(left.hrefs).toEqual(['cal/a', 'cal/bad', 'cal/old']);
    expect(left.collection).toMatchObject({ ctag: 'c2', syncToken: 't2' });
  });

  it('a 503 that outlasts its retries is an error, not a stale token: no full resync of an overloaded server', async () => {
    const { r, left, bodies } = await syncOnce(() => ({ status: 503 }));
    expect(r.collections[0]!.error).toMatchObject({ status: 503 });
    expect(bodies.filter((b) => b.startsWith('PROPFIND /home/cal/'))).toEqual([]);
    expect(bodies.filter((b) => b.includes('<d:sync-token></d:sync-token>'))).toEqual([]);
    expect(left.hrefs).toEqual(['cal/old']);
    expect(left.collection).toMatchObject({ ctag: 'c1', syncToken: 't1' });
  });

  it('a collection the listing answers with an error is not taken as removed', async () => {
    const listing = `<d:response><d:href>/home/other/</d:href><d:status>HTTP/1.1 500 Internal Server Error</d:status></d:response>`;
    server = null;
    const bodies: string[] = [];
    server = await startScriptedServer(
      (req, res) => {
        bodies.push(`${req.method} ${req.url}`);
        res.writeHead(207, { 'Content-Type': 'application/xml' }).end(
          ms(`<d:response><d:href>/home/cal/</d:href><d:propstat><d:prop>
        <d:resourcetype><d:collection/><c:calendar/></d:resourcetype><cs:getctag>c1</cs:getctag>
        </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>${listing}`),
        );
      },
      { captureBody: true },
    );
    const { store, account } = freshAccount(server.url);
    const home = `${server.url}home/`;
    for (const name of ['cal', 'other']) {
      storedCalendar(store, account.id, calendarProps(`${home}${name}/`, name, { ctag: 'c1' }), [itemRow(`${home}${name}/x`, '"x"', 'x')]);
    }
    const r = await syncAccount(store, account, { connection });
    expect(r.errors).toEqual([]);
    expect(store.listCollections(account.id).map((c) => [c.url.replace(home, ''), store.counts(c.id)])).toEqual([
      ['cal/', 1],
      ['other/', 1],
    ]);
    // An account without CardDAV (discovery did not find it this time) keeps its stored address books too.
    const bookProps = { url: `${home}book/`, displayName: 'Book', ctag: 'b1', syncToken: null, description: null };
    const book = store.upsertCollection(account.id, 'addressbook', bookProps);
    store.applyChanges(book.id, { upserts: [], deletes: [], replaceAll: true, ctag: 'b1', syncToken: null, props: bookProps });
    await syncAccount(store, account, { connection });
    expect(store.listCollections(account.id, 'addressbook').map((c) => c.url.replace(home, ''))).toEqual(['book/']);
    store.close();
  });

  it('one member spelled two ways by different answers (a%40b, a@b) is one item: changed, then deleted, never doubled', async () => {
    const spelled = (href: string, etag: string) =>
      `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:getetag>"${etag}"</d:getetag><c:calendar-data>${ics('ab')}</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
    const answers = [
      ms(`${spelled('/home/cal/a%40b', 'v1')}<d:sync-token>t2</d:sync-token>`),
      ms(`${spelled('/home/cal/a@b', 'v2')}<d:sync-token>t3</d:sync-token>`),
      ms(`<d:response><d:href>/home/cal/a%40%62</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response><d:sync-token>t4</d:sync-token>`),
    ];
    let n = 0;
    server = await startScriptedServer(
      (req, res) => {
        const body =
          req.method === 'PROPFIND'
            ? ms(
                `<d:response><d:href>/home/cal/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype><cs:getctag>c${n}</cs:getctag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
              )
            : answers[n++]!;
        res.writeHead(207, { 'Content-Type': 'application/xml' }).end(body);
      },
      { captureBody: true },
    );
    const { store, account } = freshAccount(server.url);
    const home = `${server.url}home/`;
    const c = storedCalendar(store, account.id, calendarProps(`${home}cal/`, 'Cal', { ctag: 'x', syncToken: 't1' }));
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const r = await syncAccount(store, account, { connection });
      expect(r.errors).toEqual([]);
      seen.push([
        r.collections[0]!.added,
        r.collections[0]!.changed,
        r.collections[0]!.deleted,
        store
          .items(c.id)
          .map((x) => `${x.href.replace(home, '')}:${x.etag}`)
          .join(' '),
      ]);
    }
    expect(seen).toEqual([
      [1, 0, 0, 'cal/a%40b:"v1"'],
      [0, 1, 0, 'cal/a%40b:"v2"'],
      [0, 0, 1, ''],
    ]);
    store.close();
  });

  it('a query answer truncated with a 507 on the request URI is completed by PROPFIND and multiget', async () => {
    const data = ms(['a', 'b', 'c'].map((h) => item(`/home/cal/${h}`)).join(''));
    let queries = 0;
    server = await startScriptedServer(
      (req, res) => {
        const body = (req as unknown as { body?: string }).body ?? '';
        let answer: string;
        if (req.method === 'PROPFIND' && req.url === '/home/') {
          answer = ms(
            `<d:response><d:href>/home/cal/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype><cs:getctag>c1</cs:getctag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
          );
        } else if (req.method === 'PROPFIND') {
          answer = ms(
            ['a', 'b', 'c']
              .map(
                (h) =>
                  `<d:response><d:href>/home/cal/${h}</d:href><d:propstat><d:prop><d:getetag>"e"</d:getetag><d:resourcetype/></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
              )
              .join(''),
          );
        } else if (body.includes('calendar-query')) {
          queries++;
          answer = ms(`${item('/home/cal/a')}<d:response><d:href>/home/cal/</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response>`);
        } else {
          answer = data;
        }
        res.writeHead(207, { 'Content-Type': 'application/xml' }).end(answer);
      },
      { captureBody: true },
    );
    const { store, account } = freshAccount(server.url);
    const r = await syncAccount(store, account, { connection });
    expect(r.errors).toEqual([]);
    expect(queries).toBe(1);
    const c = store.getCollectionByUrl(`${server.url}home/cal/`)!;
    expect(store.items(c.id).map((i) => i.href.replace(`${server!.url}home/`, ''))).toEqual(['cal/a', 'cal/b', 'cal/c']);
    expect(c.ctag).toBe('c1');
    store.close();
  });
});
