// The browser host with a real browser (Debian's Chromium through playwright-core): the renderer's own
// transport code, built for the browser, signs in with the printed link and calls the API; the cookie is
// HttpOnly; the CSP blocks inline scripts; and a page of another origin in the same browser can neither
// read from nor act through the API (the service is never called).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWebServer } from '../../electron/web/server.ts';
import type { WebServer } from '../../electron/web/server.ts';
import { fakeService } from '../support/fake-service.ts';
import { CHROMIUM, launchChromium } from '../e2e/support/browser.ts';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Polls an expression until it is defined. Not page.waitForFunction with a string: Playwright evaluates that
 * with eval inside the page, which the CSP (rightly) forbids whenever the first poll is not already true.
 */
async function untilDefined(page: { evaluate<T>(expr: string): Promise<T> }, expr: string): Promise<void> {
  await vi.waitFor(async () => expect(await page.evaluate<unknown>(expr)).toBeDefined(), { timeout: 10_000, interval: 50 });
}

describe.skipIf(!existsSync(CHROMIUM))('browser host in Chromium', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'davlens-browser-'));
  const ui = join(tmp, 'ui');
  const fake = fakeService();
  let web: WebServer;
  let browser: Browser;
  let evil: Server;
  let evilOrigin: string;

  beforeAll(async () => {
    // A page that uses the renderer's transport exactly as the UI does: createClient(), calls, progress.
    writeFileSync(
      join(tmp, 'page.ts'),
      `
      import { createClient } from ${JSON.stringify(join(root, 'renderer/src/transport/index.ts'))};
      const client = createClient();
      const progress = [];
      client.onProgress((e) => { progress.push(e); document.body.dataset.progress = JSON.stringify(progress); });
      const result = await client.syncNow({ accountId: 'alice' });
      const bad = await client.occurrences({ from: 'x', to: 'y', tz: 'UTC' });
      document.body.dataset.result = JSON.stringify({ result, bad, cookie: document.cookie });
    `,
    );
    await build({
      configFile: false,
      logLevel: 'silent',
      build: { outDir: join(ui, 'assets'), emptyOutDir: true, minify: false, lib: { entry: join(tmp, 'page.ts'), formats: ['es'], fileName: () => 'page.js' } },
    });
    writeFileSync(
      join(ui, 'index.html'),
      '<!doctype html><title>Davlens</title><body><script type="module" src="./assets/page.js"></script><script>document.body.dataset.inline = "ran"</script></body>',
    );
    web = await startWebServer({ service: fake.service, rendererDir: ui });

    // Another site in the same browser, trying everything a page can without a preflight answer.
    evil = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><body>
        <form id="f" method="POST" action="${web.origin}/api/removeAccount" enctype="text/plain"><input name='{"accountId":"a","x":"' value='"}'></form>
        <script>
          (async () => {
            const out = {};
            try {
              const r = await fetch('${web.origin}/api/listAccounts', { method: 'POST', credentials: 'include', headers: { 'X-Davlens': '1', 'Content-Type': 'application/json' }, body: 'null' });
              out.cors = await r.text();
            } catch (e) { out.cors = 'blocked'; }
            try {
              await fetch('${web.origin}/api/removeAccount', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: '{"accountId":"a"}' });
              out.noCors = 'sent';
            } catch (e) { out.noCors = 'blocked'; }
            document.body.dataset.result = JSON.stringify(out);
          })();
        </script></body>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    // localhost vs 127.0.0.1: a different origin (and site) on the same machine.
    evilOrigin = `http://localhost:${(evil.address() as AddressInfo).port}`;

    browser = (await launchChromium()).browser;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await new Promise((r) => evil?.close(r));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('the printed link signs in, lands on the clean URL, and the UI’s transport works; the cookie is HttpOnly', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(web.url);
    expect(page.url()).toBe(`${web.origin}/`);
    await untilDefined(page, 'document.body.dataset.result');
    const data = JSON.parse(await page.evaluate<string>('document.body.dataset.result'));
    expect(data.result).toEqual({ ok: true, value: { method: 'syncNow', arg: { accountId: 'alice' } } });
    expect(data.bad).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(data.cookie).toBe('');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: `davlens_${web.port}`, httpOnly: true, sameSite: 'Strict', path: '/' });

    // Progress over the event stream reaches the page.
    await vi.waitFor(() => expect(fake.listenerCount()).toBe(1));
    fake.emit({ type: 'sync', status: { running: true, accounts: [], collections: [] } });
    await untilDefined(page, 'document.body.dataset.progress');
    expect(JSON.parse(await page.evaluate<string>('document.body.dataset.progress'))).toEqual([
      { type: 'sync', status: { running: true, accounts: [], collections: [] } },
    ]);

    // The CSP kept the inline script from running.
    expect(await page.evaluate('document.body.dataset.inline')).toBeUndefined();
    expect(consoleErrors.some((t) => /Content Security Policy/i.test(t))).toBe(true);
    await context.close();
  });

  it('a page of another origin in the same signed-in browser cannot read or act through the API', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(web.url);
    const before = fake.totalCalls();

    await page.goto(evilOrigin);
    await untilDefined(page, 'document.body.dataset.result');
    const tried = JSON.parse(await page.evaluate<string>('document.body.dataset.result'));
    // Reading needs a preflight for X-Davlens, which is never answered.
    expect(tried.cors).toBe('blocked');
    // A "simple" request may leave the browser (Chromium may also stop it first); either way it acts on nothing.
    expect(['sent', 'blocked']).toContain(tried.noCors);
    // A cross-site form post: SameSite=Strict keeps the cookie home, the gate refuses it.
    const [response] = await Promise.all([page.waitForNavigation(), page.evaluate("document.getElementById('f').submit()")]);
    expect([401, 403]).toContain(response!.status());
    expect(fake.totalCalls()).toBe(before);
    await context.close();
  });
});
