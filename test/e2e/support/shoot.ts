// Screenshot helper for looking at screens: `node test/e2e/support/shoot.ts PATH_IN_renderer-dev OUT.png [dark]`.
import { resolve } from 'node:path';
import { launchChromium, watchedPage } from './browser.ts';
import { serveStatic } from './static-server.ts';

const [, , path = 'index.html', out = 'test-results/screenshots/shot.png', scheme = 'light', actions = ''] = process.argv;
const server = await serveStatic(resolve('dist/renderer-dev'));
const b = await launchChromium();
const w = await watchedPage(b.browser, { colorScheme: scheme === 'dark' ? 'dark' : 'light' });
await w.page.goto(`${server.origin}/${path}`);
await w.page.waitForTimeout(800);
for (const step of actions.split(';').filter(Boolean)) {
  const [kind, ...rest] = step.split(':');
  const arg = rest.join(':');
  if (kind === 'click') await w.page.click(arg);
  else if (kind === 'text') await w.page.getByText(arg, { exact: false }).first().click();
  else if (kind === 'key') await w.page.keyboard.press(arg);
  else if (kind === 'type') await w.page.keyboard.type(arg);
  else if (kind === 'wait') await w.page.waitForTimeout(Number(arg));
  await w.page.waitForTimeout(300);
}
await w.page.screenshot({ path: out });
console.log(w.problems.length ? w.problems.join('\n') : 'no problems');
await w.close();
await b.close();
await server.close();
