// The wire between the main process and the engine's utility process, over a real worker_threads
// MessageChannel (structured clone, like Electron's parentPort): calls, progress, the vault living on the
// main side, start failures and a dying engine.
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProgressEvent } from '../../shared/api.ts';
import { ok } from '../../shared/api.ts';
import type { DavlensService, PasswordVault, ServiceOptions } from '../../electron/engine/app/types.ts';
import { memoryVault } from '../../electron/engine/app/types.ts';
import type { Port } from '../../electron/main/engine-rpc.ts';
import { connectEngine, serveEngine } from '../../electron/main/engine-rpc.ts';
import { portOf } from '../support/message-port.ts';
import { fakeService as sharedFakeService } from '../support/fake-service.ts';

const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

const wrap = (port: MessagePort): Port => portOf(port, ports);

/** setPassword goes through the vault, which lives on the other side of the wire. */
function fakeService(vault: PasswordVault) {
  return sharedFakeService({
    setPassword: async (arg: unknown) => {
      const { accountId, password } = arg as { accountId: string; password: string };
      await vault.set(accountId, password);
      return ok({ stored: await vault.get(accountId), warning: vault.warning() });
    },
  });
}

function pair(create: (o: ServiceOptions) => Promise<DavlensService>, vault: PasswordVault = memoryVault()) {
  const { port1, port2 } = new MessageChannel();
  serveEngine(wrap(port2), create);
  return connectEngine(wrap(port1), { profileDir: '/tmp/profile', dns: '127.0.0.1:5353' }, vault);
}

describe('engine wire', () => {
  it('passes the options to the engine and answers calls with the service’s Results', async () => {
    let received: ServiceOptions | undefined;
    let fake!: ReturnType<typeof fakeService>;
    const conn = pair(async (o) => {
      received = o;
      fake = fakeService(o.vault);
      return fake.service;
    });
    await conn.ready;
    expect(received).toMatchObject({ profileDir: '/tmp/profile', dns: '127.0.0.1:5353' });
    expect(await conn.occurrences({ from: '2026-01-01', to: '2026-02-01', tz: 'UTC' })).toEqual({
      ok: true,
      value: { method: 'occurrences', arg: { from: '2026-01-01', to: '2026-02-01', tz: 'UTC' } },
    });
    // Many calls at once come back to the right callers.
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => conn.syncNow({ accountId: `a${i}` })));
    expect(many.map((r) => (r.ok ? (r.value as unknown as { arg: { accountId: string } }).arg.accountId : null))).toEqual(
      Array.from({ length: 20 }, (_, i) => `a${i}`),
    );
  });

  it('calls made before the engine is up wait for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const conn = pair(async (o) => {
      await gate;
      return fakeService(o.vault).service;
    });
    const early = conn.listAccounts();
    release();
    expect(await early).toEqual({ ok: true, value: { method: 'listAccounts', arg: undefined } });
  });

  it('the vault stays on the main side: the engine asks for passwords over the wire', async () => {
    const vault = memoryVault();
    const setSpy = vi.spyOn(vault, 'set');
    const conn = pair(async (o) => fakeService(o.vault).service, { ...vault, warning: () => 'plain text!' });
    const result = await conn.setPassword({ accountId: 'alice', password: 'pw' });
    expect(result).toEqual({ ok: true, value: { stored: 'pw', warning: 'plain text!' } });
    expect(setSpy).toHaveBeenCalledWith('alice', 'pw');
    expect(await vault.get('alice')).toBe('pw');
  });

  it('a failing vault is a failure inside the engine, not a hang', async () => {
    const vault: PasswordVault = { ...memoryVault(), set: async () => Promise.reject(new Error('keyring locked')) };
    const conn = pair(async (o) => fakeService(o.vault).service, vault);
    const result = await conn.setPassword({ accountId: 'alice', password: 'pw' });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('keyring locked') } });
  });

  it('progress events cross to the main side', async () => {
    let fake!: ReturnType<typeof fakeService>;
    const conn = pair(async (o) => (fake = fakeService(o.vault)).service);
    await conn.ready;
    const got: ProgressEvent[] = [];
    conn.onProgress((e) => got.push(e));
    const event: ProgressEvent = { type: 'sync', status: { running: true, accounts: [], collections: [] } };
    fake.emit(event);
    await vi.waitFor(() => expect(got).toEqual([event]));
  });

  it('a throwing service method becomes an internal-error Result', async () => {
    const conn = pair(async (o) => {
      const fake = fakeService(o.vault);
      fake.methods.listCollections!.mockRejectedValue(new Error('boom'));
      return fake.service;
    });
    expect(await conn.listCollections()).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('boom') } });
  });

  it('an engine that cannot start answers every call with its reason', async () => {
    const conn = pair(async () => {
      throw new Error('The local store needs node:sqlite');
    });
    await expect(conn.ready).rejects.toThrow(/node:sqlite/);
    expect(await conn.listAccounts()).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('node:sqlite') } });
    expect(conn.alive).toBe(false);
  });

  it('a dying engine resolves pending calls with an error instead of leaving them hanging', async () => {
    const conn = pair(async () => {
      const never = { ...fakeService(memoryVault()).service, syncNow: () => new Promise(() => undefined) } as unknown as DavlensService;
      return never;
    });
    await conn.ready;
    const pending = conn.syncNow({});
    conn.disconnected('The engine process stopped (exit code 9).');
    expect(await pending).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('exit code 9') } });
    expect(await conn.listAccounts()).toMatchObject({ ok: false, error: { message: expect.stringContaining('exit code 9') } });
  });

  it('close() closes the service in the engine', async () => {
    let fake!: ReturnType<typeof fakeService>;
    const conn = pair(async (o) => (fake = fakeService(o.vault)).service);
    await conn.ready;
    await conn.close();
    expect(fake.service.close).toHaveBeenCalled();
    expect(conn.alive).toBe(false);
  });
});
