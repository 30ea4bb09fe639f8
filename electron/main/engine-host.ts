// The main process's handle on the engine: a utility process it forks (supervised by engine-rpc.ts:
// restarted on the next call if it died).
import { utilityProcess } from 'electron';
import type { DavlensService, PasswordVault } from '../engine/index.ts';
import type { EngineInit } from './engine-rpc.ts';
import { engineChild, superviseEngine } from './engine-rpc.ts';

export function startEngineHost(enginePath: string, options: EngineInit, vault: PasswordVault): DavlensService {
  return superviseEngine(
    () => {
      // The heap flags keep a sync's peak memory down (see bin/davlens).
      const child = utilityProcess.fork(enginePath, [], {
        serviceName: 'Davlens engine',
        stdio: 'inherit',
        execArgv: ['--max-semi-space-size=4', '--max-old-space-size=1024', '--no-parallel-scavenge'],
      });
      return engineChild(child, () => void child.kill());
    },
    options,
    vault,
  );
}
