// The fake-data pages (the app on an in-memory client, and bare FullCalendar) for the UI benchmark and
// for screenshots without an engine. Built into dist/renderer-dev; never shipped.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: fileURLToPath(new URL('../public', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/renderer-dev', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        bare: fileURLToPath(new URL('bare.html', import.meta.url)),
      },
    },
  },
});
