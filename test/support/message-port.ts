// The engine wire's Port over a worker_threads MessagePort, as Electron's utility process provides one.
import type { MessagePort } from 'node:worker_threads';
import { portOf as wirePort, type Port } from '../../electron/main/engine-rpc.ts';

/** Adapts `port` (and remembers it in `opened`, so a test can close every port afterwards). */
export function portOf(port: MessagePort, opened: MessagePort[]): Port {
  opened.push(port);
  return wirePort(port);
}
