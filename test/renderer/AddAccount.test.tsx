// Adding an account: what is sent, live progress from trace events, and the answers a person can act on.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { AddAccountOutcome, AddAccountRequest, CollectionsView, Result, SyncStatus } from '../../shared/api.ts';
import { ok } from '../../shared/api.ts';
import { traceToCommands } from '../../shared/curl.ts';
import type { DiscoveryResult, DiscoveryStep, DiscoveryStepOutcome, DiscoveryStepRecord } from '../../shared/discovery.ts';
import type { TraceEntry } from '../../shared/trace.ts';
import { FAKE_ACCOUNT } from '../../renderer/dev/fakeClient.ts';
import { AddAccount } from '../../renderer/src/components/AddAccount.tsx';
import { calendarProps } from '../support/models.ts';
import { deferred, fakeClient, renderWith } from './helpers.tsx';

const srv: TraceEntry = {
  kind: 'dns',
  step: 'srv',
  type: 'SRV',
  name: '_caldavs._tcp.offsrv.test',
  server: '127.0.0.1:5353',
  answers: ['0 0 8443 dav.elsewhere.test'],
  error: null,
  ms: 2,
};
const txt: TraceEntry = {
  kind: 'dns',
  step: 'txt',
  type: 'TXT',
  name: '_caldavs._tcp.offsrv.test',
  server: '127.0.0.1:5353',
  answers: ['path=/'],
  error: null,
  ms: 1,
};
const propfind: TraceEntry = {
  kind: 'http',
  step: 'principal',
  method: 'PROPFIND',
  url: 'https://dav.elsewhere.test:8443/',
  requestHeaders: { Depth: '0', Authorization: 'Basic <redacted>' },
  requestBody: '<propfind/>',
  status: 207,
  responseHeaders: {},
  responseBody: null,
  error: null,
  ms: 12,
};

function discovery(trace: TraceEntry[], extra: Partial<DiscoveryResult> = {}): DiscoveryResult {
  return { caldav: null, carddav: null, errors: [], trace, steps: [], ...extra };
}

const CERT = {
  host: 'dav.elsewhere.test',
  port: 8443,
  fingerprint256: 'AB:CD:EF:01:23:45:67:89',
  spkiPin: 'sha256//c3BraXBpbg==',
  subject: 'CN=dav.example.test',
  issuer: 'CN=dav.example.test',
  validFrom: 'Jan 1 00:00:00 2026 GMT',
  validTo: 'Jan 1 00:00:00 2036 GMT',
  reason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
};

async function fillAndSubmit(email: string, password = 'secret'): Promise<void> {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Email address'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Connect' }));
}

describe('AddAccount', () => {
  it('says up front that iCloud needs an app password, and reveals the advanced fields', async () => {
    const client = fakeClient({ empty: true });
    renderWith(client, <AddAccount onAdded={() => {}} tz="Europe/Berlin" />);
    await userEvent.type(screen.getByLabelText('Email address'), 'someone@icloud.com');
    expect(screen.getByRole('note').textContent).toMatch(/iCloud needs an app password/);
    expect(screen.queryByLabelText('Server URL')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Advanced' }));
    for (const label of ['User name', 'Server URL', 'DNS server', 'Allow plain HTTP (not encrypted)'])
      expect(screen.getByLabelText(label, { exact: false })).toBeTruthy();
  });

  it('refuses a bad address before sending anything', async () => {
    const client = fakeClient({ empty: true });
    const add = vi.spyOn(client, 'addAccount');
    renderWith(client, <AddAccount onAdded={() => {}} tz="Europe/Berlin" />);
    await fillAndSubmit('not-an-address');
    expect(screen.getByRole('alert').textContent).toMatch(/Enter an email address/);
    expect(add).not.toHaveBeenCalled();
  });

  it('shows discovery live from trace events with its operation id, then the report and Copy as curl', async () => {
    const pending = deferred<Result<AddAccountOutcome>>();
    const client = fakeClient({ empty: true });
    const sent: AddAccountRequest[] = [];
    client.addAccount = (req) => {
      sent.push(req);
      return pending.promise;
    };
    const onAdded = vi.fn();
    renderWith(client, <AddAccount onAdded={onAdded} tz="Europe/Berlin" />);
    await userEvent.click(screen.getByRole('button', { name: 'Advanced' }));
    await userEvent.type(screen.getByLabelText('DNS server'), '127.0.0.1:5353');
    await fillAndSubmit('alice@example.test', 'alicepw');
    expect(sent).toHaveLength(1);
    const req = sent[0]!;
    expect(req).toMatchObject({ email: 'alice@example.test', password: 'alicepw', dns: '127.0.0.1:5353' });
    expect(req).not.toHaveProperty('server');
    expect(req).not.toHaveProperty('user');
    expect(typeof req.operationId).toBe('string');
    // The days the calendar will open on, in the zone it shows, asked with the account (no round trip first).
    expect(req.window).toMatchObject({ tz: 'Europe/Berlin', from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });

    // Events of another operation are ignored; ours show up as they arrive.
    act(() => client.emit({ type: 'trace', operationId: 'someone-else', entry: txt }));
    act(() => client.emit({ type: 'trace', operationId: req.operationId!, entry: srv }));
    const steps = screen.getByRole('list', { name: 'Discovery' });
    expect(within(steps).getByText('DNS service records (SRV)').closest('li')?.getAttribute('data-state')).toBe('active');
    expect(screen.getByText(/SRV _caldavs._tcp.offsrv.test → 0 0 8443 dav.elsewhere.test/)).toBeTruthy();
    expect(screen.queryByText(/path=\//)).toBeNull();
    act(() => client.emit({ type: 'trace', operationId: req.operationId!, entry: txt }));
    expect(within(steps).getByText('DNS service records (SRV)').closest('li')?.getAttribute('data-state')).toBe('done');
    expect(within(steps).getByText('DNS path records (TXT)').closest('li')?.getAttribute('data-state')).toBe('active');

    const trace = [srv, txt, propfind];
    const service = {
      context: 'https://dav.example.test:8443/',
      via: 'srv' as const,
      principal: 'https://dav.example.test:8443/alice/',
      homeSets: ['https://dav.example.test:8443/alice/'],
      username: 'alice@example.test',
      offDomain: false,
      needsApproval: null,
    };
    await act(async () => pending.resolve(ok({ status: 'added', account: FAKE_ACCOUNT, discovery: discovery(trace, { caldav: service, carddav: service }) })));
    expect(screen.getByText('Account added')).toBeTruthy();
    expect(screen.getAllByText('https://dav.example.test:8443/alice/').length).toBeGreaterThan(0);

    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await userEvent.click(screen.getByRole('button', { name: 'Copy as curl' }));
    expect(writeText).toHaveBeenCalledWith(traceToCommands(trace));
    expect(String(writeText.mock.calls[0]![0 as never])).not.toContain('alicepw');
    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(onAdded).toHaveBeenCalledWith(FAKE_ACCOUNT);
  });

  it('asks before sending the password off-domain, then trusts the certificate, keeping both answers', async () => {
    const client = fakeClient({ empty: true });
    const sent: AddAccountRequest[] = [];
    const outcomes: AddAccountOutcome[] = [
      { status: 'needs-approval', host: 'dav.elsewhere.test', discovery: discovery([srv]) },
      {
        status: 'untrusted-certificate',
        certificate: CERT,
        discovery: discovery([srv], {
          errors: [{ code: 'tls-untrusted', message: 'untrusted', step: 'context-path', url: null, status: null, certificate: CERT }],
        }),
      },
      { status: 'added', account: FAKE_ACCOUNT, discovery: discovery([srv, txt, propfind]) },
    ];
    client.addAccount = async (req) => {
      sent.push(req);
      return ok(outcomes[sent.length - 1]!);
    };
    renderWith(client, <AddAccount onAdded={() => {}} tz="Europe/Berlin" />);
    await fillAndSubmit('carol@offsrv.test', 'carolpw');

    expect(await screen.findByText('Send your password to dav.elsewhere.test?')).toBeTruthy();
    expect(sent[0]).not.toHaveProperty('trustHosts');
    await userEvent.click(screen.getByRole('button', { name: 'Send password to dav.elsewhere.test' }));

    expect(await screen.findByText('The certificate of dav.elsewhere.test:8443 is not trusted')).toBeTruthy();
    expect(sent[1]!.trustHosts).toEqual(['dav.elsewhere.test']);
    expect(screen.getByTestId('cert-fingerprint').textContent).toBe(CERT.fingerprint256);
    expect(screen.getByText(CERT.reason)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Trust this certificate' }));

    expect(await screen.findByText('Account added')).toBeTruthy();
    expect(sent[2]!.trustHosts).toEqual(['dav.elsewhere.test']);
    expect(sent[2]!.pins).toEqual({ 'dav.elsewhere.test:8443': CERT.spkiPin });
    expect(new Set(sent.map((r) => r.operationId)).size).toBe(3);
  });

  it('says the password was refused, and what was tried when nothing was found', async () => {
    const client = fakeClient({ empty: true });
    let n = 0;
    client.addAccount = async () => {
      n++;
      if (n === 1)
        return ok({
          status: 'failed',
          discovery: discovery([srv, { ...propfind, status: 401 }], {
            errors: [{ code: 'auth-failed', message: 'refused', step: 'principal', url: 'https://dav.example.test:8443/', status: 401 }],
          }),
        });
      return ok({
        status: 'failed',
        discovery: discovery(
          [
            { ...srv, name: '_caldavs._tcp.nowhere.test', answers: [], error: 'ENOTFOUND' },
            { ...propfind, step: 'well-known', url: 'https://nowhere.test/.well-known/caldav', status: null, error: 'ECONNREFUSED' },
          ],
          { errors: [{ code: 'service-not-found', message: 'nothing', step: 'well-known', url: null, status: null }] },
        ),
      });
    };
    renderWith(client, <AddAccount onAdded={() => {}} tz="Europe/Berlin" />);
    await fillAndSubmit('alice@example.test', 'wrong');
    expect(await screen.findByText('The server refused the user name or password')).toBeTruthy();
    expect(screen.getByText(/dav.example.test:8443 said no/)).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Back' }));
    const email = screen.getByLabelText('Email address') as HTMLInputElement;
    expect(email.value).toBe('alice@example.test');
    fireEvent.change(email, { target: { value: 'bob@nowhere.test' } });
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('No calendar or contacts service found for nowhere.test')).toBeTruthy();
    const tried = screen.getByText('What was tried').parentElement!;
    expect(within(tried).getByText(/_caldavs._tcp.nowhere.test/)).toBeTruthy();
    expect(within(tried).getByText(/https:\/\/nowhere.test\/.well-known\/caldav/)).toBeTruthy();
    await waitFor(() => expect(n).toBe(2));
  });
});

/** Both services' record of a step, the same for each. */
function both(step: DiscoveryStep, outcome: DiscoveryStepOutcome, detail: (service: string) => string): DiscoveryStepRecord[] {
  return (['caldav', 'carddav'] as const).map((service) => ({ step, service, outcome, detail: detail(service) }));
}

const stepRow = (label: string) =>
  within(screen.getByRole('list', { name: 'Discovery' }))
    .getByText(label)
    .closest('li')!;

describe('AddAccount: discovery as it ended', () => {
  it('with a server URL: its request is a step of its own; SRV, TXT and well-known are shown as skipped, the failed step says why', async () => {
    const client = fakeClient({ empty: true });
    const unresolved = 'https://dav.nowhere.test/';
    client.addAccount = async () =>
      ok({
        status: 'failed',
        discovery: discovery(
          [{ ...propfind, step: 'context-path', url: unresolved, status: null, error: 'The host name dav.nowhere.test could not be resolved (ENOTFOUND).' }],
          {
            errors: [
              {
                code: 'dns-failed',
                message: 'The host name dav.nowhere.test could not be resolved (ENOTFOUND).',
                step: 'context-path',
                url: unresolved,
                status: null,
              },
            ],
            steps: [
              ...both('server-url', 'failed', () => `${unresolved}: the host name dav.nowhere.test does not resolve.`),
              ...both('srv', 'skipped', () => 'Not needed: a server URL was given.'),
              ...both('txt', 'skipped', () => 'Not needed: a server URL was given.'),
              ...both('well-known', 'skipped', () => 'Not needed: a server URL was given.'),
              ...both('principal', 'skipped', () => 'Not reached: an earlier step did not succeed.'),
              ...both('home-sets', 'skipped', () => 'Not reached: an earlier step did not succeed.'),
            ],
          },
        ),
      });
    renderWith(client, <AddAccount onAdded={() => {}} tz="Europe/Berlin" />);
    await userEvent.click(screen.getByRole('button', { name: 'Advanced' }));
    await userEvent.type(screen.getByLabelText('Server URL'), unresolved);
    await fillAndSubmit('alice@example.com');

    expect(await screen.findByText('The host name dav.nowhere.test does not resolve')).toBeTruthy();
    expect(screen.queryByText(/No calendar or contacts service found/)).toBeNull();
    expect(screen.getByRole('alert').textContent).toMatch(/Check the server URL under Advanced/);
    const server = stepRow('The server URL you entered');
    expect(server.getAttribute('data-state')).toBe('failed');
    expect(server.textContent).toContain('failed');
    // Said once for both services.
    expect(within(server).getAllByText(`${unresolved}: the host name dav.nowhere.test does not resolve.`)).toHaveLength(1);
    for (const label of ['DNS service records (SRV)', 'DNS path records (TXT)', 'Well-known addresses']) {
      expect(stepRow(label).getAttribute('data-state')).toBe('skipped');
      expect(stepRow(label).textContent).toContain('Not needed: a server URL was given.');
    }
    expect(stepRow('Your principal (who you are on the server)').getAttribute('data-state')).toBe('skipped');
  });

  it('nothing found: SRV is "not found" (no check mark), well-known failed, and each attempt is listed once', async () => {
    const client = fakeClient({ empty: true });
    const label = (s: string) => (s === 'caldav' ? 'CalDAV' : 'CardDAV');
    client.addAccount = async () =>
      ok({
        status: 'failed',
        discovery: discovery([{ ...srv, name: '_caldavs._tcp.nowhere.test', answers: [], error: 'ENOTFOUND' }], {
          errors: (['caldav', 'carddav'] as const).map((s) => ({
            code: 'service-not-found' as const,
            message: `No ${label(s)} service was found for nowhere.test. Tried, in order: SRV _${s}s._tcp.nowhere.test (no record); https://nowhere.test/.well-known/${s} (answered 404). If you know the server's address, enter it as the server URL.`,
            step: 'context-path' as const,
            url: null,
            status: null,
          })),
          steps: [
            ...both('server-url', 'skipped', () => 'No server URL was given.'),
            ...both('srv', 'not-found', (s) => `_${s}s._tcp.nowhere.test: no record.`),
            ...both('txt', 'skipped', () => 'No SRV record to read a path for.'),
            ...both('well-known', 'failed', (s) => `https://nowhere.test/.well-known/${s}: answered 404.`),
            ...both('principal', 'skipped', () => 'Not reached: an earlier step did not succeed.'),
            ...both('home-sets', 'skipped', () => 'Not reached: an earlier step did not succeed.'),
          ],
        }),
      });
    renderWith(client, <AddAccount onAdded={() => {}} tz="Europe/Berlin" />);
    await fillAndSubmit('bob@nowhere.test');
    expect(await screen.findByText('No calendar or contacts service found for nowhere.test')).toBeTruthy();

    const srvRow = stepRow('DNS service records (SRV)');
    expect(srvRow.getAttribute('data-state')).toBe('not-found');
    expect(srvRow.textContent).toContain('not found');
    expect(srvRow.querySelector('.dl-step-mark path')?.getAttribute('d')).not.toBe('M5 12l5 5L20 7');
    expect([...srvRow.querySelectorAll('.dl-step-detail')].map((d) => d.textContent)).toEqual([
      'Calendars (CalDAV): _caldavs._tcp.nowhere.test: no record.',
      'Contacts (CardDAV): _carddavs._tcp.nowhere.test: no record.',
    ]);
    expect(stepRow('Well-known addresses').getAttribute('data-state')).toBe('failed');
    expect(screen.queryByText('The server URL you entered')).toBeNull();

    const alert = screen.getByRole('alert');
    const tried = within(alert).getByText('What was tried').parentElement!;
    expect(
      within(tried)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      '_caldavs._tcp.nowhere.test: no record.',
      '_carddavs._tcp.nowhere.test: no record.',
      'https://nowhere.test/.well-known/caldav: answered 404.',
      'https://nowhere.test/.well-known/carddav: answered 404.',
    ]);
    // The not-found messages say the same attempts again: they are not listed under it.
    expect(alert.textContent!.match(/well-known\/caldav/g)).toHaveLength(1);
    expect(alert.textContent).not.toContain('.).');
  });

  it('a refused password: asks for it again (focused), and Try again sends the new one', async () => {
    const client = fakeClient({ empty: true });
    const sent: AddAccountRequest[] = [];
    client.addAccount = async (req) => {
      sent.push(req);
      if (req.password !== 'right')
        return ok({
          status: 'failed',
          discovery: discovery([srv, { ...propfind, status: 401 }], {
            errors: [{ code: 'auth-failed', message: 'refused', step: 'principal', url: 'https://dav.example.test:8443/', status: 401 }],
          }),
        });
      return ok({ status: 'added', account: FAKE_ACCOUNT, discovery: discovery([srv, txt, propfind]) });
    };
    renderWith(client, <AddAccount onAdded={() => {}} tz="Europe/Berlin" />);
    await fillAndSubmit('alice@example.test', 'wrong');
    expect(await screen.findByText('The server refused the user name or password')).toBeTruthy();
    const password = within(screen.getByRole('alert')).getByLabelText('Password') as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(password));
    expect(password.value).toBe('');

    // Try again with the field empty asks for the password instead of sending the old one.
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('Enter your password.')).toBeTruthy();
    expect(sent).toHaveLength(1);

    await userEvent.type(password, 'right{Enter}');
    expect(await screen.findByText('Account added')).toBeTruthy();
    expect(sent.map((r) => r.password)).toEqual(['wrong', 'right']);
  });
});

describe('AddAccount: the report after the account is added', () => {
  it('lists each calendar and address book by name with its count once the first sync has ended', async () => {
    const client = fakeClient({ empty: true });
    const synced: SyncStatus = { running: false, accounts: [{ accountId: FAKE_ACCOUNT.id, syncedAt: '2026-03-01T10:00:00Z', error: null }], collections: [] };
    let status: SyncStatus = { running: true, accounts: [{ accountId: FAKE_ACCOUNT.id, syncedAt: null, error: null }], collections: [] };
    client.syncStatus = async () => ok(status);
    const calendar = (url: string, displayName: string, count: number | undefined, accountId = FAKE_ACCOUNT.id) => ({
      ...calendarProps(url, displayName, { color: '#3366cc' }),
      accountId,
      kind: 'calendar' as const,
      hidden: false,
      ...(count === undefined ? {} : { count }),
    });
    const collections: CollectionsView = {
      calendars: [
        calendar('https://dav.example.test/cal/team/', 'Team', 12),
        calendar('https://dav.example.test/cal/home/', 'Home', 1),
        calendar('https://other.test/cal/', 'Someone else’s', 5, 'other'),
        { ...calendar('davlens:birthdays:fake', 'Birthdays', undefined), kind: 'birthdays' as const },
      ],
      addressbooks: [
        {
          url: 'https://dav.example.test/card/people/',
          displayName: 'People',
          ctag: null,
          syncToken: null,
          description: null,
          accountId: FAKE_ACCOUNT.id,
          count: 2,
        },
      ],
      subscriptions: [],
    };
    const listed = vi.fn(async () => ok(collections));
    client.listCollections = listed;
    client.addAccount = async () => ok({ status: 'added', account: FAKE_ACCOUNT, discovery: discovery([srv, txt, propfind]) });
    renderWith(client, <AddAccount onAdded={() => {}} tz="Europe/Berlin" />);
    await fillAndSubmit('alice@example.test');
    expect(await screen.findByText('Account added')).toBeTruthy();
    const report = screen.getByRole('region', { name: 'What was found' });
    expect(within(report).getByText('Reading your calendars and address books…')).toBeTruthy();
    expect(listed).not.toHaveBeenCalled();

    status = synced;
    act(() => client.emit({ type: 'sync', status: synced }));
    const calendars = await within(report).findByRole('list', { name: 'Calendars' });
    expect(
      within(calendars)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Team12 items', 'Home1 item']);
    const books = within(report).getByRole('list', { name: 'Address books' });
    expect(
      within(books)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['People2 contacts']);
    expect(within(report).queryByText('Reading your calendars and address books…')).toBeNull();
  });
});
