// Sync cases no real test server produces on demand: a 507-truncated sync-collection answer that must be
// followed until complete, and 429 with Retry-After. A small scripted server on loopback plays the server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Calendar } from '../../shared/models.ts';
import { Store, type StoredAccount } from '../../electron/engine/store/store.ts';
import { syncAccount } from '../../electron/engine/sync.ts';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.ts';

let server: ScriptedServer | null = null;
let dir = '';
afterEach(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ics = (uid: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T090000Z\r\nSUMMARY:${uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const item = (href: string) => `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:getetag>"${href}-1"</d:getetag><c:calendar-data>${ics(href.split('/').pop()!)}</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
const ms = (inner: string) => `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/">${inner}</d:multistatus>`;

describe('sync-collection edge cases (scripted server)', () => {
  it('follows 507-truncated answers to the end, honours Retry-After, never sends DAV:limit', async () => {
    const bodies: string[] = [];
    let reports = 0;
    let firstReportAt = 0;
    let retriedAt = 0;
    server = await startScriptedServer((req, res) => {
      const body = (req as unknown as { body?: string }).body ?? '';
      bodies.push(body);
      if (req.method === 'PROPFIND') {
        res.writeHead(207, { 'Content-Type': 'application/xml' }).end(ms(`<d:response><d:href>/home/cal/</d:href><d:propstat><d:prop>
          <d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>Cal</d:displayname><d:sync-token>t3</d:sync-token>
          </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`));
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
        res.writeHead(207).end(ms(`${item('/home/cal/a')}${item('/home/cal/b')}<d:response><d:href>/home/cal/</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response><d:sync-token>t2</d:sync-token>`));
        return;
      }
      res.writeHead(207).end(ms(`${item('/home/cal/c')}<d:response><d:href>/home/cal/old</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response><d:sync-token>t3</d:sync-token>`));
    }, { captureBody: true });
    dir = mkdtempSync(join(tmpdir(), 'davlens-scripted-'));
    const store = Store.open(dir);
    const home = `${server.url}home/`;
    const account: StoredAccount = {
      id: 'a@example.test', email: 'a@example.test', username: 'a',
      caldav: { context: server.url, via: 'manual', principal: server.url, homeSets: [home], username: 'a', offDomain: true, needsApproval: null },
      carddav: null, approvedHosts: ['127.0.0.1'], options: { insecureHttp: true }, syncedAt: null, lastError: null, demo: false,
    };
    store.saveAccount(account);
    const props: Calendar = { url: `${home}cal/`, displayName: 'Cal', color: null, order: null, components: ['VEVENT'], ctag: null, syncToken: 't1', readOnly: false, description: null };
    const c = store.upsertCollection(account.id, 'calendar', props);
    store.applyChanges(c.id, { upserts: [{ href: `${home}cal/old`, etag: '"o"', data: ics('old'), uid: 'old', spanStart: 0, spanEnd: null, searchText: '', contact: null, parseError: null }], deletes: [], replaceAll: true, ctag: null, syncToken: 't1', props });

    const r = await syncAccount(store, account, { email: account.email, password: 'pw', user: 'a', insecureHttp: true, trustHosts: ['127.0.0.1'] });
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
