// The real servers for an e2e file: the ones the integration project's global setup started when both
// projects run together (DAVLENS_HARNESS is set), otherwise started here and stopped by the caller.
import { existsSync } from 'node:fs';
import { HARNESS_ENV, loadHarness } from '../../harness/env.ts';
import type { Harness } from '../../harness/servers.ts';
import { startServers } from '../../harness/servers.ts';
import { saveHarness } from '../../harness/env.ts';

export async function useHarness(): Promise<{ harness: Harness; release(): Promise<void> }> {
  const file = process.env[HARNESS_ENV];
  if (file && existsSync(file)) return { harness: loadHarness(), release: async () => {} };
  const running = await startServers();
  saveHarness(running);
  return {
    harness: running,
    release: async () => {
      delete process.env[HARNESS_ENV];
      await running.stop();
    },
  };
}
