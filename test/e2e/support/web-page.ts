// What most e2e files set up the same way: `npm run web` on a profile of the file's own, Chromium and one watched
// page, started before the file's tests and stopped after them. The profile outlives the host, so a test can start
// a fresh host on it when the one-time link is spent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Launched, PageOptions, WatchedPage } from './browser.ts';
import { launchChromium, watchedPage } from './browser.ts';
import type { WebHost, WebOptions } from './web.ts';
import { startWeb } from './web.ts';

/** The watched page's parts, the host's one-time URL and the browser; read them in tests and hooks, not at load. */
export interface WebPage {
  readonly page: Page;
  /** Console errors, uncaught page errors and CSP violations, as text. */
  readonly problems: string[];
  readonly downloadsDir: string;
  readonly url: string;
  readonly browser: Browser;
  /** Stops the host and starts a fresh one on the same profile; resolves to its one-time URL. */
  restartWeb(): Promise<string>;
}

/** Registers the file's beforeAll and afterAll; `name` tells its profile folder from the other files'. */
export function useWebPage(name: string, opts: { web?: Omit<WebOptions, 'profile'>; page?: PageOptions } = {}): WebPage {
  let profile: string | undefined;
  let web: WebHost | undefined;
  let chromium: Launched | undefined;
  let w: WatchedPage | undefined;

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), `davlens-e2e-${name}-`));
    web = await startWeb({ ...opts.web, profile });
    chromium = await launchChromium();
    w = await watchedPage(chromium.browser, opts.page);
  });

  afterAll(async () => {
    await w?.close();
    await chromium?.close();
    await web?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  return {
    get page() {
      return started(w).page;
    },
    get problems() {
      return started(w).problems;
    },
    get downloadsDir() {
      return started(w).downloadsDir;
    },
    get url() {
      return started(web).url;
    },
    get browser() {
      return started(chromium).browser;
    },
    async restartWeb() {
      await started(web).stop();
      web = await startWeb({ ...opts.web, profile: started(profile) });
      return web.url;
    },
  };
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('useWebPage: read before its beforeAll ran');
  return value;
}
