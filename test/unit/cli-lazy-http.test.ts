// A command answered from the store never loads the HTTP stack: undici takes ~0.13 s to load (its HTTP/2 client,
// fetch, web streams), a third of `davlens calendars` on a synced profile. Shown by a module hook in the real CLI.
// The long-lived hosts' service, by contrast, loads it at start, before any request (net/http.ts preloadHttpClient).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Store } from '../../electron/engine/store/store.ts';
import { runCli } from '../support/cli.ts';
import { scratchProfile } from '../support/scratch.ts';
import { storedAccount, storedAddressBook } from '../support/stored.ts';

const EMAIL = 'ann@example.org';
const CARD = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bob\r\nFN:Bob Baker\r\nN:Baker;Bob;;;\r\nEND:VCARD\r\n';

/** A module hook that names on stderr every undici module the process loads. */
function undiciWatch(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'davlens-hook-')), 'watch.mjs');
  writeFileSync(
    file,
    `import { registerHooks } from 'node:module';\nregisterHooks({ load(url, context, next) { if (url.includes('/node_modules/undici/')) process.stderr.write('LOADED ' + url + '\\n'); return next(url, context); } });\n`,
  );
  return file;
}

describe('the HTTP stack is loaded with the first request', () => {
  it('is never loaded by commands answered from the store, and is by one that needs the network', async () => {
    const profile = scratchProfile();
    const store = Store.open(profile);
    store.saveAccount(storedAccount(EMAIL, { syncedAt: '2026-12-01T00:00:00.000Z' }));
    storedAddressBook(store, EMAIL, 'https://dav.example.org/ann/book/', [CARD]);
    store.close();
    const env = { NODE_OPTIONS: `--import ${undiciWatch()}` };
    for (const command of ['calendars', 'addressbooks', 'contacts', 'groups']) {
      const r = await runCli([command, EMAIL, '--profile', profile, '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr, command).not.toContain('LOADED');
    }
    const contacts = await runCli(['contacts', EMAIL, '--profile', profile, '--json'], env);
    expect((contacts.json as { contacts: { fn: string }[] }).contacts.map((c) => c.fn)).toEqual(['Bob Baker']);
    // The watch sees undici when a command goes to a server (a new account's discovery; port 9 refuses at once).
    const sync = await runCli(['discover', 'carl@example.org', '--profile', profile, '--server', 'http://127.0.0.1:9/', '--insecure-http', '--json'], {
      ...env,
      DAVLENS_PASSWORD: 'pw',
    });
    expect(sync.stderr).toContain('LOADED');
  });
});

describe('the long-lived service loads the HTTP stack at start', () => {
  it('has undici loaded although it made no request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'davlens-preload-'));
    const script = join(dir, 'service.ts');
    writeFileSync(
      script,
      [
        `const { createDavlensService } = await import(${JSON.stringify(resolve('electron/engine/index.ts'))});`,
        `const vault = { get: async () => null, set: async () => undefined, delete: async () => undefined, warning: () => null };`,
        `const service = await createDavlensService({ profileDir: ${JSON.stringify(join(dir, 'profile'))}, vault, syncIntervalMinutes: 0 });`,
        `await new Promise((r) => setTimeout(r, 200));`,
        `process.stderr.write('ACCOUNTS ' + JSON.stringify(await service.listAccounts()) + '\\n');`,
        `await service.close();`,
      ].join('\n'),
    );
    const { stderr } = await promisify(execFile)(process.execPath, ['--import', undiciWatch(), script], { env: { ...process.env, HOME: dir } });
    // No account, so no request: undici is there because the service loaded it.
    expect(stderr).toContain('ACCOUNTS {"ok":true,"value":[]}');
    expect(stderr).toContain('LOADED');
  });
});
