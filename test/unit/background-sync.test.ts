// The background sync's progress events: a run is told as running from its start (the views hold back what they
// would read ahead meanwhile, calendarEvents.ts) and as finished at its end.
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../shared/api.ts';
import { Engine } from '../../electron/engine/app/engine.ts';
import { backgroundSync } from '../../electron/engine/app/background-sync.ts';
import { memoryVault } from '../../electron/engine/app/types.ts';
import { scratchProfile } from '../support/scratch.ts';

const engines: Engine[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

describe('background sync progress', () => {
  it('tells a run as running from its start and as finished at its end; a run asked meanwhile joins it', async () => {
    const engine = Engine.open(scratchProfile());
    engines.push(engine);
    const events: ProgressEvent[] = [];
    const sync = backgroundSync(engine, memoryVault(), {}, (e) => events.push(e));
    try {
      const first = sync.run();
      // Told before anything of the run is awaited.
      expect(events.map((e) => e.type === 'sync' && e.status.running)).toEqual([true]);
      const joined = sync.run();
      expect((await first).running).toBe(false);
      expect((await joined).running).toBe(false);
      expect(events.map((e) => e.type === 'sync' && e.status.running)).toEqual([true, false]);
    } finally {
      await sync.stop();
    }
  });
});
