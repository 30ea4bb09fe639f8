// The UI's pure helpers: links made safe, events for FullCalendar, times in the chosen zone, discovery
// steps, contact labels, the message catalogue.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiscoveryStep, DiscoveryStepOutcome } from '../../shared/discovery.ts';
import type { TraceEntry } from '../../shared/trace.ts';
import type { Occurrence } from '../../shared/models.ts';
import { en, t } from '../../renderer/src/i18n/messages.ts';
import { addressLines, groupInitial, initials, typeLabel, byPreference } from '../../renderer/src/lib/contacts.ts';
import { liveSteps, recordedSteps, triedPlaces } from '../../renderer/src/lib/discovery.ts';
import { readableColors } from '../../renderer/src/lib/contrast.ts';
import { normaliseColor, toEventInput } from '../../renderer/src/lib/events.ts';
import { linkify, mailtoHref, safeHref, safeImageSrc, telHref } from '../../renderer/src/lib/links.ts';
import { firstDayOfWeek } from '../../renderer/src/lib/locale.ts';
import { monthGrid, neighbourRanges } from '../../renderer/src/lib/ranges.ts';
import { emailDomain, providerHint } from '../../renderer/src/lib/providers.ts';
import { formatBirthday, formatRange } from '../../renderer/src/lib/time.ts';

describe('links', () => {
  it('links only http, https, mailto and tel', () => {
    const segs = linkify('See https://example.org/a?b=1, mail bob@example.org or javascript:alert(1) and data:text/html,x.');
    const links = segs.filter((s) => s.kind === 'link');
    expect(links.map((l) => l.href)).toEqual(['https://example.org/a?b=1', 'mailto:bob@example.org']);
    expect(segs.map((s) => s.text).join('')).toBe('See https://example.org/a?b=1, mail bob@example.org or javascript:alert(1) and data:text/html,x.');
  });

  it('keeps a closing bracket only when the URL opened one', () => {
    expect(linkify('(see https://en.example.org/wiki/Foo_(bar))').find((s) => s.kind === 'link')?.text).toBe('https://en.example.org/wiki/Foo_(bar)');
    expect(linkify('(see https://example.org/x)').find((s) => s.kind === 'link')?.text).toBe('https://example.org/x');
  });

  it('refuses unsafe hrefs and images', () => {
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('file:///etc/passwd')).toBeNull();
    expect(safeHref('https://ok.example/')).toBe('https://ok.example/');
    expect(telHref('+49 (30) 123-45')).toBe('tel:+4930123-45');
    expect(telHref('call me')).toBeNull();
    expect(mailtoHref('a@b.example')).toBe('mailto:a@b.example');
    // A mailto: carries the address and a subject at most: attach= and body= from server text never reach the OS.
    expect(mailtoHref('a@b.example?attach=/etc/passwd&body=x')).toBe('mailto:a@b.example');
    expect(linkify('write to mailto:a@b.example?subject=Hi&attach=/etc/passwd now').find((s) => s.kind === 'link')?.href).toBe('mailto:a@b.example?subject=Hi');
    expect(safeHref('mailto:a@b.example?body=%0D%0Aevil')).toBe('mailto:a@b.example');
    expect(safeImageSrc('data:image/svg+xml;base64,PHN2Zz4=')).toBeNull();
    expect(safeImageSrc('http://insecure.example/a.png')).toBeNull();
    expect(safeImageSrc('https://tracker.example/pixel.png')).toBeNull();
    expect(safeImageSrc('data:image/png;base64,iVBORw0KGgo=')).toBe('data:image/png;base64,iVBORw0KGgo=');
  });
});

const occ = (o: Partial<Occurrence> = {}): Occurrence => ({
  type: 'event',
  uid: 'u1',
  summary: 'Stand-up',
  start: '2026-03-02T09:15:00+01:00',
  end: '2026-03-02T09:30:00+01:00',
  allDay: false,
  calendar: 'Work',
  calendarUrl: 'https://h/cal/work/',
  recurrenceId: null,
  location: null,
  status: null,
  href: 'https://h/cal/work/1.ics',
  recurring: false,
  source: 'calendar',
  ...o,
});

describe('events for FullCalendar', () => {
  it('passes the engine wall times through and marks recurring, cancelled and to-dos', () => {
    const colors = new Map([['https://h/cal/work/', '#3584e4']]);
    const plain = toEventInput(occ(), colors);
    // FullCalendar runs in the zone of the engine's times: their wall times without the offset (no zone lookups).
    expect(plain).toMatchObject({
      title: 'Stand-up',
      start: '2026-03-02T09:15:00',
      end: '2026-03-02T09:30:00',
      allDay: false,
      // The calendar's colour, made readable under white text (test/renderer/contrast.test.ts).
      color: readableColors('#3584e4').fill,
      contrastColor: '#ffffff',
      className: 'dl-event',
    });
    expect(toEventInput(occ({ recurring: true, status: 'CANCELLED' }), colors).className).toBe('dl-event dl-recurring dl-cancelled');
    const todo = toEventInput(occ({ type: 'todo', end: '2026-03-02T09:15:00+01:00' }), colors);
    expect(todo.className).toBe('dl-event dl-todo');
    expect(todo.end).toBeUndefined();
    expect(toEventInput(occ({ calendarUrl: 'https://other/' }), colors).color).toBe(readableColors('#3b7dd8').fill);
    // A daylight-saving change within the event: its wall end (02:15) is before its start (02:30), so the offsets stay.
    expect(toEventInput(occ({ start: '2026-10-25T02:30:00+02:00', end: '2026-10-25T02:15:00+01:00' }), colors)).toMatchObject({
      start: '2026-10-25T02:30:00+02:00',
      end: '2026-10-25T02:15:00+01:00',
    });
    expect(toEventInput(occ({ start: '2026-03-02T09:15:00Z', end: '2026-03-02T10:00:00Z' }), colors)).toMatchObject({
      start: '2026-03-02T09:15:00',
      end: '2026-03-02T10:00:00',
    });
    expect(toEventInput(occ({ start: '2026-03-02', end: '2026-03-04', allDay: true }), colors)).toMatchObject({ start: '2026-03-02', end: '2026-03-04' });
  });

  it('normalises server colours', () => {
    expect(normaliseColor('#FF0000FF')).toBe('#ff0000');
    expect(normaliseColor('#abc')).toBe('#aabbcc');
    expect(normaliseColor('red')).toBe('#3b7dd8');
  });
});

describe('times', () => {
  it('shows the wall-clock time the engine computed for the zone', () => {
    // 09:00 in New York is 15:00 in Berlin: the engine sends the Berlin offset for a Berlin viewer.
    expect(formatRange('2026-03-02T15:00:00+01:00', '2026-03-02T16:00:00+01:00', false, 'Europe/Berlin')).toMatch(/15:00|3:00/);
    expect(formatRange('2026-03-02T09:00:00-05:00', '2026-03-02T10:00:00-05:00', false, 'America/New_York')).toMatch(/9:00/);
  });

  it('shows all-day ranges with an exclusive end', () => {
    const text = formatRange('2026-09-22', '2026-09-25', true, 'UTC');
    expect(text).toContain('22');
    expect(text).toContain('24');
    expect(text).not.toContain('25');
  });

  it('formats birthdays with and without a year', () => {
    expect(formatBirthday('--05-06').text).toMatch(/6 May|May 6/);
    expect(formatBirthday('--05-06').age).toBeNull();
    expect(formatBirthday('--0229').text).toMatch(/29 February|February 29/);
    const b = formatBirthday('1985-03-14');
    expect(b.text).toMatch(/1985/);
    expect(b.age).toBeGreaterThan(35);
  });

  it('starts the week on the locale’s first day', () => {
    expect(firstDayOfWeek('en-US')).toBe(0);
    expect(firstDayOfWeek('de-DE')).toBe(1);
    expect(firstDayOfWeek('ar-EG')).toBe(6);
  });
});

describe('ranges fetched ahead', () => {
  it('computes FullCalendar’s six-week month grids and the neighbours of each view', () => {
    expect(monthGrid('2026-03-10', 1)).toEqual({ from: '2026-02-23', to: '2026-04-06' });
    expect(monthGrid('2026-03-10', 0)).toEqual({ from: '2026-03-01', to: '2026-04-12' });
    expect(neighbourRanges('month', { from: '2026-02-23', to: '2026-04-06' }, 1)).toEqual([
      { from: '2026-01-26', to: '2026-03-09' },
      { from: '2026-03-30', to: '2026-05-11' },
    ]);
    expect(neighbourRanges('week', { from: '2026-03-02', to: '2026-03-09' }, 1)).toEqual([
      { from: '2026-02-23', to: '2026-03-02' },
      { from: '2026-03-09', to: '2026-03-16' },
    ]);
    expect(neighbourRanges('day', { from: '2026-03-01', to: '2026-03-02' }, 1)).toEqual([
      { from: '2026-02-28', to: '2026-03-01' },
      { from: '2026-03-02', to: '2026-03-03' },
    ]);
    expect(neighbourRanges('list', { from: '2026-12-01', to: '2027-01-01' }, 1)).toEqual([
      { from: '2026-11-01', to: '2026-12-01' },
      { from: '2027-01-01', to: '2027-02-01' },
    ]);
  });
});

describe('discovery steps', () => {
  const dns = (step: 'srv' | 'txt', name: string, answers: string[], error: string | null = null): TraceEntry => ({
    kind: 'dns',
    step,
    type: step === 'srv' ? 'SRV' : 'TXT',
    name,
    server: '127.0.0.1:5353',
    answers,
    error,
    ms: 1,
  });
  const http = (step: 'well-known' | 'principal', url: string, status: number | null): TraceEntry => ({
    kind: 'http',
    step,
    method: 'PROPFIND',
    url,
    requestHeaders: {},
    requestBody: null,
    status,
    responseHeaders: {},
    responseBody: null,
    error: status === null ? 'ECONNREFUSED' : null,
    ms: 3,
  });

  const states = (steps: { step: string; state: string }[]) => Object.fromEntries(steps.map((s) => [s.step, s.state]));

  it('marks steps done, active and failed from the trace while discovery runs', () => {
    const trace = [
      dns('srv', '_caldavs._tcp.example.test', ['0 0 8443 dav.example.test']),
      dns('txt', '_caldavs._tcp.example.test', ['path=/']),
      http('principal', 'https://dav.example.test:8443/', 207),
    ];
    expect(states(liveSteps(trace, true, false))).toEqual({ srv: 'done', txt: 'done', 'well-known': 'pending', principal: 'active', 'home-sets': 'pending' });
    expect(states(liveSteps(trace, false, false))).toEqual({ srv: 'done', txt: 'done', 'well-known': 'skipped', principal: 'done', 'home-sets': 'skipped' });
    expect(states(liveSteps([http('principal', 'https://x/', 401)], false, false)).principal).toBe('failed');
  });

  it('a SRV name without a record is "not found", never done', () => {
    const trace = [dns('srv', '_caldavs._tcp.nowhere.test', [], 'ENOTFOUND'), dns('srv', '_carddavs._tcp.nowhere.test', [], null)];
    expect(states(liveSteps(trace, false, false)).srv).toBe('not-found');
    expect(states(liveSteps([dns('srv', '_caldavs._tcp.x.test', [], 'ETIMEOUT')], false, false)).srv).toBe('failed');
  });

  it('with a server URL, its request is the server URL step (not well-known)', () => {
    const entry: TraceEntry = { ...http('well-known', 'https://dav.example.test/', null), step: 'context-path' };
    const live = liveSteps([entry], true, true);
    expect(live.map((s) => s.step)).toEqual(['server-url', 'srv', 'txt', 'well-known', 'principal', 'home-sets']);
    expect(states(live)).toMatchObject({ 'server-url': 'active', 'well-known': 'pending' });
    expect(states(liveSteps([entry], false, true))).toMatchObject({ 'server-url': 'failed', srv: 'skipped', 'well-known': 'skipped' });
  });

  it('shows the recorded steps, both services in one row each, with what each did', () => {
    const rec = (service: 'caldav' | 'carddav', step: DiscoveryStep, outcome: DiscoveryStepOutcome, detail: string) => ({ service, step, outcome, detail });
    const steps = recordedSteps([
      rec('caldav', 'server-url', 'skipped', 'No server URL was given.'),
      rec('caldav', 'srv', 'done', '_caldavs._tcp.x.test names dav.x.test:443.'),
      rec('carddav', 'server-url', 'skipped', 'No server URL was given.'),
      rec('carddav', 'srv', 'not-found', '_carddavs._tcp.x.test: no record.'),
      rec('caldav', 'well-known', 'skipped', 'Not needed.'),
      rec('carddav', 'well-known', 'failed', 'https://x.test/.well-known/carddav: answered 404.'),
    ]);
    expect(steps.map((s) => s.step)).toEqual(['srv', 'txt', 'well-known', 'principal', 'home-sets']);
    expect(states(steps)).toEqual({ srv: 'done', txt: 'skipped', 'well-known': 'failed', principal: 'skipped', 'home-sets': 'skipped' });
    expect(steps[0]!.details).toEqual([
      { service: 'caldav', text: '_caldavs._tcp.x.test names dav.x.test:443.' },
      { service: 'carddav', text: '_carddavs._tcp.x.test: no record.' },
    ]);
  });

  it('lists what was tried, once each', () => {
    const trace = [
      dns('srv', '_caldavs._tcp.nowhere.test', [], 'ENOTFOUND'),
      http('well-known', 'https://nowhere.test/.well-known/caldav', null),
      http('well-known', 'https://nowhere.test/.well-known/caldav', null),
    ];
    const tried = triedPlaces(trace);
    expect(tried).toHaveLength(2);
    expect(tried[0]).toContain('_caldavs._tcp.nowhere.test');
    expect(tried[1]).toContain('https://nowhere.test/.well-known/caldav');
  });
});

describe('contacts and providers', () => {
  it('labels types, orders by preference, files under an initial', () => {
    expect(typeLabel(['cell'])).toBe('mobile');
    expect(typeLabel(['work', 'voice'])).toBe('work');
    expect(typeLabel(['internet'])).toBe('');
    expect(
      byPreference([
        { v: 'a', pref: null },
        { v: 'b', pref: 1 },
      ]).map((x) => x.v),
    ).toEqual(['b', 'a']);
    expect(groupInitial({ fn: 'Émile Zola', n: { family: '', given: '', additional: '', prefix: '', suffix: '' }, org: null, emails: [] })).toBe('E');
    // Filed by family name, as the engine sorts (shared/contact-sort.ts): the title decides nothing.
    expect(
      groupInitial({ fn: 'Dr. Helga Wagner', n: { family: 'Wagner', given: 'Helga', additional: '', prefix: 'Dr.', suffix: '' }, org: null, emails: [] }),
    ).toBe('W');
    expect(groupInitial({ fn: 'Prof. Ödön Horváth', n: { family: '', given: '', additional: '', prefix: '', suffix: '' }, org: null, emails: [] })).toBe('O');
    expect(groupInitial({ fn: '123 Pizza', n: { family: '', given: '', additional: '', prefix: '', suffix: '' }, org: null, emails: [] })).toBe('#');
    expect(initials('Anna Adler 3052')).toBe('AA');
    expect(initials('Dr. Ahmed Hassan')).toBe('AH');
    expect(
      addressLines({
        types: [],
        pref: null,
        poBox: '',
        extended: '',
        street: 'Torstraße 109',
        locality: 'Berlin',
        region: '',
        postalCode: '10119',
        country: 'Germany',
        label: null,
      }),
    ).toEqual(['Torstraße 109', '10119 Berlin', 'Germany']);
  });

  it('knows which providers need an app password', () => {
    expect(providerHint('me@icloud.com')).toEqual({ provider: 'iCloud', kind: 'app-password' });
    expect(providerHint('x@fastmail.com')?.provider).toBe('Fastmail');
    expect(providerHint('x@gmail.com')?.kind).toBe('oauth');
    expect(providerHint('x@example.org')).toBeNull();
    expect(emailDomain('a@Example.ORG')).toBe('example.org');
  });
});

describe('message catalogue', () => {
  it('fills placeholders and picks plurals', () => {
    expect(t('contacts.count', { count: 1 })).toBe('1 contact');
    expect(t('contacts.count', { count: 10000 })).toBe('10,000 contacts');
    expect(t('error.approval.title', { host: 'dav.elsewhere.test' })).toBe('Send your password to dav.elsewhere.test?');
  });

  it('has every key the UI asks for', () => {
    const root = join(import.meta.dirname, '../../renderer/src');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f)) files.push(p);
      }
    };
    walk(root);
    const missing: string[] = [];
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)) {
        const key = m[1]!;
        if (!(key in en) && !(`${key}.other` in en)) missing.push(`${f}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
