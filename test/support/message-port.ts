// The engine wire's Port over a worker_threads MessagePort, as Electron's utility process provides one.
import type { MessagePort } from 'node:worker_threads';
import type { Port } from '../../electron/main/engine-rpc.ts';

/** Adapts `port` (and remembers it in `opened`, so a test can close every port afterwards). */
export function portOf(port: MessagePort, opened: MessagePort[]): Port {
  opened.push(port);
  return {
    post: (m) => port.postMessage(m),
    onMessage(listener) {
      port.on('message', listener);
      return () => void port.off('message', listener);
    },
  };
}
