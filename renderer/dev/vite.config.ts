// The fake-data pages (the app on an in-memory client, and bare FullCalendar) for the UI benchmark and
// for screenshots without an engine. Built as the app is (../vite.config.ts), from this folder into
// dist/renderer-dev; never shipped.
import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vite';
import app from '../vite.config.ts';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default mergeConfig(app, {
  root: here('.'),
  publicDir: here('../public'),
  build: {
    outDir: here('../../dist/renderer-dev'),
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { index: here('index.html'), bare: here('bare.html') },
    },
  },
});
