// Debian's Chromium through playwright-core (never a downloaded browser), with the flags this closed
// network needs, and a page that records every console error, page error and CSP violation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { scratchHomeEnv } from '../../support/scratch.ts';

export const CHROMIUM = process.env.DAVLENS_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

export interface Launched {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Launched> {
  // Its own profile is a temporary folder of Playwright's; crash reports and dconf would still go to $HOME.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, env: { ...process.env, ...scratchHomeEnv() } });
  return { browser, close: () => browser.close() };
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught page errors and CSP violations, as text. */
  problems: string[];
  downloadsDir: string;
  close(): Promise<void>;
}

export interface PageOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  locale?: string;
  timezoneId?: string;
}

export async function watchedPage(browser: Browser, opts: PageOptions = {}): Promise<WatchedPage> {
  const downloadsDir = mkdtempSync(join(tmpdir(), 'davlens-dl-'));
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    colorScheme: opts.colorScheme ?? 'light',
    locale: opts.locale ?? 'en-GB',
    timezoneId: opts.timezoneId ?? 'Europe/Berlin',
    acceptDownloads: true,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.exposeFunction('__davlensCspViolation', (text: string) => problems.push(`csp: ${text}`));
  // In the page (a string: this file is typed for Node, not the DOM).
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => {
      window.__davlensCspViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber);
    });`,
  });
  return {
    page,
    context,
    problems,
    downloadsDir,
    close: async () => {
      await context.close();
      rmSync(downloadsDir, { recursive: true, force: true });
    },
  };
}
