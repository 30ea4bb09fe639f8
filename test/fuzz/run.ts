// `npm run fuzz -- [target...] [--minutes N] [--seed S]`: runs the fuzz targets (targets.ts) for a time budget
// each, one after another, and writes every failing input to test/fuzz/findings/ (a finding becomes a fixture
// and a regression test once understood). Prints runs, inputs per second and the outcome per target.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { TARGETS } from './targets.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { minutes: { type: 'string', default: '1' }, seed: { type: 'string' } } });
const budgetMs = Number(values.minutes) * 60_000;
const chosen = positionals.length ? TARGETS.filter((t) => positionals.includes(t.name)) : TARGETS;
if (chosen.length === 0) {
  console.error(`fuzz: no target named ${positionals.join(', ')}; targets: ${TARGETS.map((t) => t.name).join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const target of chosen) {
  const seed = values.seed !== undefined ? Number(values.seed) : Date.now() ^ (Math.random() * 0x7fffffff);
  const t0 = performance.now();
  const details = await fc.check(target.property(), {
    seed,
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: budgetMs,
    markInterruptAsFailure: false,
    endOnFailure: true,
  });
  const s = (performance.now() - t0) / 1000;
  const rate = Math.round(details.numRuns / s);
  if (!details.failed) {
    console.log(`${target.name}: ${details.numRuns} inputs in ${s.toFixed(0)} s (${rate}/s), seed ${seed}: no failure`);
    continue;
  }
  failed++;
  const dir = join(import.meta.dirname, 'findings');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${target.name}-${seed}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ target: target.name, seed, path: details.counterexamplePath, error: String(details.errorInstance), input: details.counterexample }, null, 2)}\n`,
  );
  console.log(
    `${target.name}: FAILED after ${details.numRuns} inputs (seed ${seed}, path ${details.counterexamplePath}): ${String(details.errorInstance).slice(0, 300)}\n  input written to ${file}`,
  );
}
process.exit(failed ? 1 : 0);
