// Adding an account: what is sent, live progress from trace events, and the answers a person can act on.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { AddAccountOutcome, AddAccountRequest, Result } from '../../shared/api.ts';
import { ok } from '../../shared/api.ts';
import { traceToCommands } from '../../shared/curl.ts';
import type { DiscoveryResult } from '../../shared/discovery.ts';
import type { TraceEntry } from '../../shared/trace.ts';
import { FAKE_ACCOUNT } from '../../renderer/dev/fakeClient.ts';
import { AddAccount } from '../../renderer/src/components/AddAccount.tsx';
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
    renderWith(client, <AddAccount onAdded={() => {}} />);
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
    renderWith(client, <AddAccount onAdded={() => {}} />);
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
    renderWith(client, <AddAccount onAdded={onAdded} />);
    await userEvent.click(screen.getByRole('button', { name: 'Advanced' }));
    await userEvent.type(screen.getByLabelText('DNS server'), '127.0.0.1:5353');
    await fillAndSubmit('alice@example.test', 'alicepw');
    expect(sent).toHaveLength(1);
    const req = sent[0]!;
    expect(req).toMatchObject({ email: 'alice@example.test', password: 'alicepw', dns: '127.0.0.1:5353' });
    expect(req).not.toHaveProperty('server');
    expect(req).not.toHaveProperty('user');
    expect(typeof req.operationId).toBe('string');

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
    renderWith(client, <AddAccount onAdded={() => {}} />);
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
    renderWith(client, <AddAccount onAdded={() => {}} />);
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
