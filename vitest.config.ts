import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Projects: pure-logic unit tests; integration tests that talk to real servers the harness starts on
// loopback (test/harness/global-setup.ts starts them once and stops them afterwards); component tests of
// the UI in jsdom; end-to-end tests in Debian's Chromium against `npm run web` and the same servers.
export default defineConfig({
  test: {
    // Once for the whole run: fails it when any test wrote to the runner's home (tests use scratch homes).
    globalSetup: ['test/harness/home-guard.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['test/renderer/setup.ts'],
          css: false,
          // A whole-app test on jsdom takes 1-2 s alone and 5 s on a loaded shared machine (load 8 on 2 cores):
          // the timeout catches a hang, not slowness (speed is measured by bench:ui).
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // No globalSetup: the servers come from the integration project's when both run, else each
          // file starts them (test/e2e/support/harness.ts), so the fixed ports are never claimed twice.
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
