// Bundles the Electron side (the renderer has its own config, renderer/vite.config.ts):
//   default mode:  out/main/index.mjs (main process), out/main/engine.mjs (engine utility process) and
//                  out/main/reader-worker.mjs (its worker thread for large local files and feeds), ESM;
//   --mode preload: out/preload/preload.cjs, one CommonJS file as sandboxed preloads require.
// Dependencies are bundled, so the packaged app needs no node_modules; 'electron' and Node built-ins stay
// external. Built for Node 24, the Node inside Electron 45.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const at = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const external = ['electron', /^node:/, ...builtinModules];

export default defineConfig(({ mode }) => {
  const preload = mode === 'preload';
  return {
    publicDir: false,
    logLevel: 'warn',
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: true,
      target: 'node24',
      outDir: at(preload ? './out/preload' : './out/main'),
      emptyOutDir: true,
      minify: false,
      sourcemap: true,
      reportCompressedSize: false,
      rolldownOptions: {
        input: preload
          ? ({ preload: at('./electron/main/preload.ts') } as Record<string, string>)
          : {
              index: at('./electron/main/index.ts'),
              engine: at('./electron/main/engine-process.ts'),
              'reader-worker': at('./electron/engine/app/reader-worker.ts'),
            },
        external,
        // The engine's modules only define things. The main process imports the engine's index.ts for the
        // profile helpers alone; without this the bundler keeps every engine module's top-level statements for
        // it too, and the main process would load and run the whole engine (1.4 MB) that runs elsewhere.
        treeshake: { moduleSideEffects: (id: string) => !id.includes('/electron/engine/') },
        output: preload
          ? { format: 'cjs', entryFileNames: '[name].cjs' }
          : { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
      },
    },
  };
});
