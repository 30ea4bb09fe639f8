// The layer rules fail the build: the engine may not import 'electron', each engine layer only what its rule
// allows, the hosts only the engine's index.ts, the renderer neither Node nor the engine, shared/ only shared/.
// And the type-aware rules run: a floating promise fails it.
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
// The layer checks lint text for files that do not exist, which the type-aware parser cannot place in a project.
const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rule', () => {
  it('refuses electron in the engine but allows it in electron/main', async () => {
    expect(await layerErrors('electron/engine/app/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await layerErrors('electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(0);
  });

  // One forbidden import per layer rule, and one it allows, so a rule that stopped matching fails here.
  const layerCases: [file: string, refused: string, allowed: string][] = [
    ['electron/engine/index.ts', './net/http.ts', './app/service.ts'],
    ['electron/engine/app/x.ts', '../net/http.ts', '../remote/discovery.ts'],
    ['electron/engine/app/x.ts', '../dav/xml.ts', '../store/store.ts'],
    ['electron/engine/app/x.ts', 'ical.js', '../formats/ical/index.ts'],
    ['electron/engine/remote/x.ts', '../store/store.ts', '../dav/xml.ts'],
    ['electron/engine/remote/x.ts', 'undici', '../net/http.ts'],
    ['electron/engine/dav/x.ts', '../remote/quirks.ts', '../net/http.ts'],
    ['electron/engine/dav/x.ts', 'undici', 'saxes'],
    ['electron/engine/net/x.ts', '../dav/xml.ts', 'undici'],
    ['electron/engine/formats/x.ts', '../store/store.ts', 'ical.js'],
    ['electron/engine/formats/ical/x.ts', 'node:fs', 'node:crypto'],
    ['electron/engine/store/x.ts', '../remote/members.ts', '../formats/ical/index.ts'],
    ['electron/engine/store/x.ts', 'ical.js', 'node:sqlite'],
    ['electron/cli/x.ts', '../engine/store/store.ts', '../engine/index.ts'],
    ['electron/web/x.ts', '../engine/app/service.ts', '../engine/index.ts'],
    ['electron/main/x.ts', '../engine/app/types.ts', '../engine/index.ts'],
  ];
  it.each(layerCases)('%s may not import %s (but may import %s)', async (file, refused, allowed) => {
    const probe = (spec: string) => `import * as m from '${spec}';\nexport const a = m;\n`;
    expect(await layerErrors(file, probe(refused))).toHaveLength(1);
    expect(await layerErrors(file, probe(allowed))).toHaveLength(0);
  });

  it('electron/engine/ holds only layer folders and index.ts', () => {
    const engine = join(root, 'electron', 'engine');
    const entries = readdirSync(engine).map((name) => (statSync(join(engine, name)).isDirectory() ? `${name}/` : name));
    expect(entries.sort()).toEqual(['app/', 'dav/', 'formats/', 'index.ts', 'net/', 'remote/', 'store/']);
  });

  it('refuses Node built-ins and the engine in the renderer', async () => {
    expect(await layerErrors('renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toHaveLength(1);
    expect(
      await layerErrors('renderer/src/x.ts', "import { discover } from '../../electron/engine/remote/discovery.ts';\nexport const a = discover;\n"),
    ).toHaveLength(1);
    expect(await layerErrors('renderer/src/x.ts', "import type { Calendar } from '../../shared/models.ts';\nexport type A = Calendar;\n")).toHaveLength(0);
  });

  it('keeps shared/ free of Node, the engine and the renderer', async () => {
    expect(await layerErrors('shared/x.ts', "import { createHash } from 'node:crypto';\nexport const a = createHash;\n")).toHaveLength(1);
    expect(await layerErrors('shared/x.ts', "import { Store } from '../electron/engine/store/store.ts';\nexport const a = Store;\n")).toEqual(
      expect.arrayContaining([expect.stringMatching(/shared\/ imports only shared\//)]),
    );
  });

  it('refuses a double cast through unknown in production code, not in tests', async () => {
    const code = 'export const n = (1 as unknown as string).length;\n';
    const messages = async (filePath: string) => ((await eslint.lintText(code, { filePath }))[0]?.messages ?? []).map((m) => m.message);
    expect(await messages('electron/engine/app/x.ts')).toContain('No `as unknown as` in production code.');
    expect(await messages('test/unit/x.ts')).not.toContain('No `as unknown as` in production code.');
  });

  it('type-aware rules fail on a promise nobody awaits', async () => {
    const file = join(root, 'test', 'unit', `lint-probe-${process.pid}.ts`);
    writeFileSync(file, 'export async function later(): Promise<number> {\n  return 1;\n}\nexport function now(): void {\n  later();\n}\n');
    try {
      const [result] = await new ESLint({ cwd: root }).lintFiles([file]);
      expect((result?.messages ?? []).map((m) => m.ruleId)).toContain('@typescript-eslint/no-floating-promises');
    } finally {
      rmSync(file, { force: true });
    }
  }, 60_000);
});
