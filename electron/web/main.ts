// `npm run web`: Davlens in a browser, no Electron. The first line on stdout is the URL to open (it carries
// the one-time token); passwords live in memory for this session only (memoryVault).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { memoryVault } from '../engine/index.ts';
import { HOST_USAGE, HostUsageError, parseHostArgs, serviceOptions } from './host-args.ts';
import { defaultRendererDir } from './static-files.ts';
import { startEngineThread } from './engine-thread.ts';
import { startWebServer } from './server.ts';

async function main(): Promise<number> {
  let args;
  try {
    args = parseHostArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof HostUsageError)) throw e;
    console.error(`davlens web: ${e.message}\n${HOST_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(`Usage: npm run web -- [options]\n${HOST_USAGE}`);
    return 0;
  }
  const rendererDir = args.rendererDir ?? defaultRendererDir();
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error(`davlens web: the UI is not built (${join(rendererDir, 'index.html')} is missing): run \`npm run build:renderer\`.`);
    return 1;
  }
  // The engine runs in a worker thread; passwords stay here, in memory, and the engine asks for them.
  const service = startEngineThread(serviceOptions(args), memoryVault());
  try {
    await service.ready();
  } catch (e) {
    await service.close();
    throw e;
  }
  const web = await startWebServer({ service, rendererDir, port: args.port });
  console.log(`Davlens is running at ${web.url}`);
  console.log('Open it in your browser (the link works once). Passwords are kept for this session only. Ctrl+C stops.');

  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  await web.close();
  await service.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`davlens web: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
