// What the command line does with its own input before (or instead of) talking to a server: which password
// goes out, and the inputs it refuses with a sentence (exit 2 for usage) rather than a stack trace or a leak.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../electron/engine/store/store.ts';
import { runCli } from '../support/cli.ts';
import { startScriptedServer } from '../support/scripted-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'davlens-cli-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const profile = join(dir, 'profile');

describe('command-line input', () => {
  it('--password-file wins over an exported DAVLENS_PASSWORD: only that password reaches the server', async () => {
    const server = await startScriptedServer((req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end();
    });
    try {
      const file = join(dir, 'pw');
      writeFileSync(file, 'from-file\n');
      const run = await runCli(
        [
          'discover',
          'alice@example.test',
          '--server',
          server.url,
          '--insecure-http',
          '--user',
          'alice',
          '--password-file',
          file,
          '--profile',
          profile,
          '--json',
        ],
        { DAVLENS_PASSWORD: 'from-env' },
      );
      expect(run.code).toBe(1);
      const sent = server.requests.map((r) => r.authorization).filter(Boolean);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every((a) => a === `Basic ${Buffer.from('alice:from-file').toString('base64')}`)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('a --password-file that cannot be read is a usage error naming it', async () => {
    const run = await runCli(['discover', 'alice@example.test', '--password-file', join(dir, 'missing'), '--profile', profile]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--password-file');
    expect(run.stderr).not.toContain('internal error');
  });

  it('a --server URL carrying user:password@ is refused, and the password is printed nowhere', async () => {
    const run = await runCli(
      ['discover', 'alice@example.test', '--server', 'http://alice:s3cret@127.0.0.1:9/dav/', '--insecure-http', '--profile', profile, '--json', '--trace'],
      { DAVLENS_PASSWORD: 'pw' },
    );
    expect(run.code).toBe(1);
    expect((run.json as { errors: { code: string }[] }).errors[0]!.code).toBe('bad-input');
    expect(run.stdout + run.stderr).not.toContain('s3cret');
  });

  it('a stored account keeps its server: a different --server is named on stderr as ignored', async () => {
    const p = join(dir, 'stored');
    const store = Store.open(p);
    store.saveAccount({
      id: 'bob@example.test',
      email: 'bob@example.test',
      username: 'bob',
      caldav: null,
      carddav: null,
      approvedHosts: [],
      options: { server: 'https://dav.example.test/' },
      syncedAt: '2026-01-01T00:00:00.000Z',
      lastError: null,
      demo: false,
    });
    store.close();
    const same = await runCli(['calendars', 'bob@example.test', '--server', 'https://dav.example.test/', '--user', 'bob', '--profile', p, '--json']);
    expect(same.code).toBe(0);
    expect(same.stderr).not.toContain('ignored');
    const other = await runCli(['calendars', 'bob@example.test', '--server', 'https://other.example.test/', '--profile', p, '--json']);
    expect(other.stderr).toContain('--server is ignored: bob@example.test is stored with the server https://dav.example.test/');
  });

  it('an empty --profile is a usage error, not the real profile', async () => {
    const run = await runCli(['calendars', 'alice@example.test', '--profile', ''], { DAVLENS_PASSWORD: 'pw' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--profile');
  });
});
