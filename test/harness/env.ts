// How test files find the running servers: the global setup writes the Harness as JSON and puts the file's
// path in $DAVLENS_HARNESS, which test workers inherit (it also works outside vitest, see run.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Harness } from './servers.ts';

export const HARNESS_ENV = 'DAVLENS_HARNESS';

let cached: Harness | undefined;

export function loadHarness(): Harness {
  if (cached) return cached;
  const file = process.env[HARNESS_ENV];
  if (!file) {
    throw new Error(
      `${HARNESS_ENV} is not set: run integration tests with \`npx vitest run --project integration\` ` +
        '(its globalSetup starts the servers), or start them with `node_modules/.bin/node test/harness/run.ts`.',
    );
  }
  cached = JSON.parse(readFileSync(file, 'utf8')) as Harness;
  return cached;
}

/** Writes <tmpDir>/harness.json and points $DAVLENS_HARNESS at it; returns the file's path. */
export function saveHarness(harness: Harness): string {
  const file = join(harness.tmpDir, 'harness.json');
  writeFileSync(file, JSON.stringify(harness, null, 2) + '\n');
  process.env[HARNESS_ENV] = file;
  return file;
}
