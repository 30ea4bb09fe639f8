// The layer rule fails the build: the engine may not import 'electron', the renderer may not import Node
// or the engine, shared/ may import only shared/. And the type-aware rules run: a floating promise fails it.
import { rmSync, writeFileSync } from 'node:fs';
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
    expect(await layerErrors('electron/engine/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await layerErrors('electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(0);
  });

  it('refuses Node built-ins and the engine in the renderer', async () => {
    expect(await layerErrors('renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toHaveLength(1);
    expect(await layerErrors('renderer/src/x.ts', "import { discover } from '../../electron/engine/discovery.ts';\nexport const a = discover;\n")).toHaveLength(
      1,
    );
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
    expect(await messages('electron/engine/x.ts')).toContain('No `as unknown as` in production code.');
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
