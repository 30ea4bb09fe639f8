// vitest globalSetup of the integration project: starts the servers once for the whole run.
import { saveHarness } from './env.ts';
import { startServers } from './servers.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const harness = await startServers();
  // Set before vitest forks its test workers, which inherit the environment.
  saveHarness(harness);
  return () => harness.stop();
}
