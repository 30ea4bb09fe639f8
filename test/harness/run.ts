// Starts the harness outside vitest, for trying the CLI by hand against the real servers:
//   node_modules/.bin/node test/harness/run.ts     (Ctrl-C stops them)
import { saveHarness } from './env.ts';
import { startServers } from './servers.ts';

const harness = await startServers();
const file = saveHarness(harness);
console.log(`export DAVLENS_HARNESS=${file}`);
console.log(`DNS ${harness.dns}, CA ${harness.caFile}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void harness.stop().then(() => process.exit(0));
  });
}
