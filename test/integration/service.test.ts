// The engine service behind the API contract, against real servers: the outcomes the UI acts on
// (needs approval, untrusted certificate, added), then what an added account shows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSummary, AddAccountOutcome, CollectionsView, OccurrencesResult, ProgressEvent, Result } from '../../shared/api.ts';
import { createDavlensService, memoryVault, type DavlensService } from '../../electron/engine/index.ts';
import { configurations } from '../harness/configurations.ts';
import { loadHarness } from '../harness/env.ts';
import { basicAuth, del, mkAddressbook, mkcalendar, put } from '../harness/seed.ts';

const h = loadHarness();
const tag = Math.random().toString(36).slice(2, 8);
const carol = h.users.carol;
const carolHome = 'https://dav.elsewhere.test:8443/carol%40offdomain.test/';
const auth = basicAuth(carol.username, carol.password);
const calUrl = `${carolHome}svc-${tag}/`;
const sabre = configurations(h).find((c) => c.name === 'SabreDAV Basic')!;
const sabreAuth = basicAuth(sabre.user, sabre.password);
const sabreCal = `${sabre.calendarHome}svcwin-${tag}/`;
const bookUrl = `${carolHome}svcbook-${tag}/`;

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

const WEEKLY = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:weekly-${tag}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20250106T100000\r\nDTEND;TZID=Europe/Berlin:20250106T110000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\nSUMMARY:Team sync\r\nLOCATION:Room 4\r\nDESCRIPTION:Agenda at https://example.test/agenda\r\nORGANIZER;CN=Carol:mailto:carol@offdomain.test\r\nATTENDEE;CN=Dan;PARTSTAT=ACCEPTED:mailto:dan@example.test\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const CARD = `BEGIN:VCARD\r\nVERSION:4.0\r\nUID:dan-${tag}\r\nFN:Dan Example\r\nN:Example;Dan;;;\r\nNICKNAME:Danny\r\nPHOTO:https://tracker.example/pixel.png\r\nORG:Nordwind\r\nEMAIL;TYPE=work;PREF=1:dan@example.test\r\nTEL;TYPE=cell:+49 30 5550101\r\nEND:VCARD\r\n`;

let service: DavlensService;
let profile: string;
const events: ProgressEvent[] = [];

beforeAll(async () => {
  await mkcalendar(calUrl, auth, { displayName: `Work ${tag}`, color: '#FF8800' });
  await put(`${calUrl}weekly`, auth, WEEKLY, 'text/calendar');
  await mkcalendar(sabreCal, sabreAuth, { displayName: `Window ${tag}`, color: '#FF8800' });
  await put(`${sabreCal}weekly.ics`, sabreAuth, WEEKLY, 'text/calendar');
  await mkAddressbook(bookUrl, auth, { displayName: `People ${tag}` });
  await put(`${bookUrl}dan`, auth, CARD, 'text/vcard');
  profile = mkdtempSync(join(tmpdir(), 'davlens-service-'));
  service = await createDavlensService({ profileDir: profile, vault: memoryVault(), dns: h.dns, syncIntervalMinutes: 0 });
  service.onProgress((e) => events.push(e));
});

afterAll(async () => {
  await service?.close();
  rmSync(profile, { recursive: true, force: true });
  await del(calUrl, auth).catch(() => undefined);
  await del(sabreCal, sabreAuth).catch(() => undefined);
  await del(bookUrl, auth).catch(() => undefined);
});

async function waitForSync(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (!value(await service.syncStatus()).running) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('sync did not finish');
}

/** A service on a profile of its own (the suite's holds an account already), closed and removed afterwards. */
async function withFreshService(name: string, fn: (svc: DavlensService) => Promise<void>): Promise<void> {
  const fresh = mkdtempSync(join(tmpdir(), `davlens-service-${name}-`));
  const svc = await createDavlensService({ profileDir: fresh, vault: memoryVault(), dns: h.dns, ca: h.caPem, syncIntervalMinutes: 0 });
  try {
    await fn(svc);
  } finally {
    await svc.close();
    rmSync(fresh, { recursive: true, force: true });
  }
}

/** Waits (10 s at most) until `ready()` holds and no sync runs. */
async function untilIdleAnd(svc: DavlensService, ready: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !(ready() && !value(await svc.syncStatus()).running); i++) await new Promise((r) => setTimeout(r, 100));
}

describe('the engine service', () => {
  it('an untrusted certificate: the outcome carries it; pinning its key answers it', async () => {
    const r = value(await service.addAccount({ email: carol.email, password: carol.password, trustHosts: ['dav.elsewhere.test'], operationId: 'op1' }));
    expect(r.status).toBe('untrusted-certificate');
    const cert = (r as Extract<AddAccountOutcome, { status: 'untrusted-certificate' }>).certificate;
    expect(cert).toMatchObject({ host: 'offdomain.test', port: 443, spkiPin: h.certSpkiPin });
    expect(events.some((e) => e.type === 'trace' && e.operationId === 'op1')).toBe(true);
  });

  it('an off-domain host needs approval before the password goes there, then the account is added', async () => {
    const pins = { 'offdomain.test:443': h.certSpkiPin, 'dav.elsewhere.test:8443': h.certSpkiPin };
    const first = value(await service.addAccount({ email: carol.email, password: carol.password, pins }));
    expect(first).toMatchObject({ status: 'needs-approval', host: 'dav.elsewhere.test' });
    expect(value(await service.listAccounts())).toEqual([]);
    const added = value(await service.addAccount({ email: carol.email, password: carol.password, pins, trustHosts: ['dav.elsewhere.test'] }));
    expect(added.status).toBe('added');
    await waitForSync();
    const [account] = value(await service.listAccounts());
    expect(account).toMatchObject({ email: carol.email, username: carol.username, approvedHosts: ['dav.elsewhere.test'], needsPassword: false, demo: false });
    expect(account!.syncedAt).not.toBeNull();
  });

  it('lists collections with server colours; hidden calendars are remembered', async () => {
    const cols = value(await service.listCollections());
    const cal = cols.calendars.find((c) => c.url === calUrl);
    expect(cal).toMatchObject({ displayName: `Work ${tag}`, color: '#FF8800', hidden: false, count: 1 });
    expect(cols.addressbooks.find((b) => b.url === bookUrl)).toMatchObject({ count: 1 });
    value(await service.updateSettings({ hiddenCalendars: [calUrl] }));
    expect(value(await service.listCollections()).calendars.find((c) => c.url === calUrl)!.hidden).toBe(true);
    expect(
      value(await service.occurrences({ from: '2026-12-01', to: '2027-01-01', tz: 'Europe/Berlin' })).events.filter((e) => e.calendarUrl === calUrl),
    ).toEqual([]);
    value(await service.updateSettings({ hiddenCalendars: [] }));
  });

  it('occurrences in the viewer zone, search, and full details', async () => {
    const r = value(await service.occurrences({ from: '2026-12-01', to: '2027-01-01', tz: 'America/New_York', calendarUrls: [calUrl] }));
    expect(r.events.map((e) => e.start)).toEqual([
      '2026-12-07T04:00:00-05:00',
      '2026-12-14T04:00:00-05:00',
      '2026-12-21T04:00:00-05:00',
      '2026-12-28T04:00:00-05:00',
    ]);
    expect(value(await service.occurrences({ from: '2026-12-01', to: '2027-01-01', tz: 'UTC', calendarUrls: [calUrl], search: 'AGENDA' })).events).toHaveLength(
      4,
    );
    expect(
      value(await service.occurrences({ from: '2026-12-01', to: '2027-01-01', tz: 'UTC', calendarUrls: [calUrl], search: 'nothing like this' })).events,
    ).toHaveLength(0);
    const e = r.events[1]!;
    const d = value(await service.eventDetails({ calendarUrl: calUrl, href: e.href, uid: e.uid, recurrenceId: e.recurrenceId, tz: 'America/New_York' }));
    expect(d.occurrence.start).toBe(e.start);
    expect(d).toMatchObject({
      description: 'Agenda at https://example.test/agenda',
      recurrenceText: 'every week on Monday',
      organizer: { name: 'Carol', email: 'carol@offdomain.test' },
      attendees: [{ name: 'Dan', email: 'dan@example.test', partstat: 'ACCEPTED' }],
      alarms: [{ action: 'DISPLAY', trigger: '15 minutes before start' }],
      ownZone: { tz: 'Europe/Berlin', start: '2026-12-14T10:00:00+01:00' },
    });
  });

  it('contacts with search, details and export', async () => {
    const page = value(await service.contacts({ addressbookUrls: [bookUrl], search: '5550101' }));
    expect(page.total).toBe(1);
    expect(page.contacts[0]).toMatchObject({ fn: 'Dan Example', org: 'Nordwind' });
    const d = value(await service.contactDetails({ addressbookUrl: bookUrl, href: page.contacts[0]!.href }));
    expect(d.contact.emails).toEqual([{ value: 'dan@example.test', types: ['work'], pref: 1 }]);
    expect(d.nicknames).toEqual(['Danny']);
    // A photo URL is remote content: not handed to the UI (it would tell that host who looks, and when).
    expect(d.contact.hasPhoto).toBe(true);
    expect(d.photo).toBeNull();
    const vcf = value(await service.exportFile({ kind: 'addressbook', addressbookUrl: bookUrl }));
    expect(vcf).toMatchObject({ filename: `People ${tag}.vcf`, mediaType: 'text/vcard' });
    expect(vcf.content).toContain('FN:Dan Example\r\n');
    const ics = value(await service.exportFile({ kind: 'calendar', calendarUrl: calUrl }));
    expect(ics.content.match(/BEGIN:VTIMEZONE/g)).toHaveLength(1);
    expect(ics.content).toContain(`UID:weekly-${tag}`);
  });

  it('bad references are errors, never throws', async () => {
    const r = await service.eventDetails({ calendarUrl: 'https://nowhere.test/x/', href: 'https://nowhere.test/x/y', uid: 'u', recurrenceId: null, tz: 'UTC' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('a refused password marks the account; entering it again recovers', async () => {
    const [account] = value(await service.listAccounts());
    value(await service.setPassword({ accountId: account!.id, password: 'wrong' }));
    await waitForSync();
    expect(value(await service.listAccounts())[0]).toMatchObject({ needsPassword: true, lastError: { code: 'auth-failed' } });
    value(await service.setPassword({ accountId: account!.id, password: carol.password }));
    await waitForSync();
    expect(value(await service.listAccounts())[0]).toMatchObject({ needsPassword: false, lastError: null });
  });

  it('a new account with a window: its first days come from the servers before the sync stores anything (partial), then from the store', async () => {
    // SabreDAV, whose time-range answers the window uses (Radicale's are left to the sync: quirk slow-time-range).
    await withFreshService('window', async (svc) => {
      const days = { from: '2026-12-01', to: '2027-01-01', tz: 'America/New_York' };
      // Asked in the listener, before the sync that follows the 'window' event has stored anything.
      let early: Promise<[Result<AccountSummary[]>, Result<CollectionsView>, Result<OccurrencesResult>, Result<OccurrencesResult>]> | null = null;
      const seen: string[] = [];
      svc.onProgress((e) => {
        seen.push(e.type);
        if (e.type === 'window' && !early)
          early = Promise.all([
            svc.listAccounts(),
            svc.listCollections(),
            svc.occurrences({ ...days, calendarUrls: [sabreCal] }),
            // Days outside the first window: asked of the servers again.
            svc.occurrences({ from: '2027-02-01', to: '2027-02-08', tz: days.tz, calendarUrls: [sabreCal] }),
          ]).then((read) => {
            void svc.windowDrawn();
            return read;
          });
      });
      const added = value(await svc.addAccount({ email: sabre.email, password: sabre.password, user: sabre.user, window: days }));
      expect(added.status).toBe('added');
      await untilIdleAnd(svc, () => early !== null && seen.includes('sync'));
      const [accounts, cols, first, later] = await early!;
      expect(value(accounts)[0]!.syncedAt).toBeNull();
      expect(value(cols).calendars.find((c) => c.url === sabreCal)).toMatchObject({ displayName: `Window ${tag}`, color: '#FF8800', hidden: false });
      // The window's calendars only: the store held none of them yet.
      expect(value(cols).addressbooks).toEqual([]);
      const before = value(first);
      expect(before.partial).toBe(true);
      expect(before.events.map((e) => e.start)).toEqual([
        '2026-12-07T04:00:00-05:00',
        '2026-12-14T04:00:00-05:00',
        '2026-12-21T04:00:00-05:00',
        '2026-12-28T04:00:00-05:00',
      ]);
      expect(value(later)).toMatchObject({ partial: true, events: [expect.objectContaining({ start: '2027-02-01T04:00:00-05:00' })] });
      expect(seen.indexOf('window')).toBeLessThan(seen.indexOf('sync'));
      // Synced: the store answers, and the same events.
      expect(value(await svc.listAccounts())[0]!.syncedAt).not.toBeNull();
      const after = value(await svc.occurrences({ ...days, calendarUrls: [sabreCal] }));
      expect(after.partial).toBe(false);
      expect(after.events).toEqual(before.events);
      expect(value(await svc.listCollections()).calendars.filter((c) => c.url === sabreCal)).toHaveLength(1);
    });
  });

  it("a new account's full sync starts once the view has drawn its window, not while the view reads or draws it", async () => {
    await withFreshService('handover', async (svc) => {
      const days = { from: '2026-12-01', to: '2027-01-01', tz: 'America/New_York' };
      const seen: string[] = [];
      const view: Promise<void>[] = [];
      const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
      svc.onProgress((e) => {
        seen.push(e.type);
        // A view that takes its time: 100 ms before it asks for the days it shows, 300 ms to draw them.
        if (e.type === 'window' && view.length === 0)
          view.push(
            (async () => {
              await pause(100);
              seen.push('asked');
              expect(value(await svc.occurrences({ ...days, calendarUrls: [sabreCal] })).partial).toBe(true);
              await pause(300);
              seen.push('drawn');
              value(await svc.windowDrawn());
            })(),
          );
      });
      value(await svc.addAccount({ email: sabre.email, password: sabre.password, user: sabre.user, window: days }));
      await untilIdleAnd(svc, () => view.length > 0 && seen.includes('sync'));
      await Promise.all(view);
      expect(seen.filter((t) => t !== 'trace').slice(0, 4)).toEqual(['window', 'asked', 'drawn', 'sync']);
      expect(value(await svc.listAccounts())[0]!.syncedAt).not.toBeNull();
    });
  });

  it('a new account whose window no view draws: its full sync starts after the grace all the same', async () => {
    await withFreshService('grace', async (svc) => {
      const at: Partial<Record<string, number>> = {};
      svc.onProgress((e) => {
        at[e.type] ??= performance.now();
        // Drawn before anything was read: no window of this account was drawn, and its sync keeps waiting.
        if (e.type === 'window') void svc.windowDrawn();
      });
      const days = { from: '2026-12-01', to: '2027-01-01', tz: 'America/New_York' };
      value(await svc.addAccount({ email: sabre.email, password: sabre.password, user: sabre.user, window: days }));
      await untilIdleAnd(svc, () => at.sync !== undefined);
      expect(value(await svc.listAccounts())[0]!.syncedAt).not.toBeNull();
      expect(at.sync! - at.window!).toBeGreaterThanOrEqual(900);
    });
  });

  it('removing the account removes its cached data', async () => {
    const [account] = value(await service.listAccounts());
    value(await service.removeAccount({ accountId: account!.id }));
    expect(value(await service.listAccounts())).toEqual([]);
    expect(value(await service.listCollections())).toEqual({ calendars: [], addressbooks: [], subscriptions: [] });
  });
});
