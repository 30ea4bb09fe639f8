// RFC 2782 target selection for SRV answers (used by RFC 6764 service discovery).
// Pure: the caller resolves the records; this only orders them.

/** Same shape as node:dns resolveSrv; node reports the "." target as name "". */
export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

function isDotTarget(r: SrvRecord): boolean {
  return r.name === '' || r.name === '.';
}

/** RFC 2782: a single record with target "." means the service is decidedly not available here. */
export function isServiceDecidedlyUnavailable(records: SrvRecord[]): boolean {
  return records.length === 1 && isDotTarget(records[0]!);
}

/**
 * Orders targets as a client should try them: lowest priority first, and within one priority the
 * RFC 2782 weighted random selection. `random` returns a uniform number in [0, 1), like Math.random.
 * "." targets are dropped. The input array is not modified.
 */
export function orderSrvTargets(records: SrvRecord[], random: () => number = Math.random): SrvRecord[] {
  const usable = records.filter((r) => !isDotTarget(r));
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b);
  const ordered: SrvRecord[] = [];
  for (const priority of priorities) {
    // Zero-weight records go first so that they get only the r = 0 slot: chosen rarely, never starved.
    const group = usable.filter((r) => r.priority === priority);
    const pending = [...group.filter((r) => r.weight === 0), ...group.filter((r) => r.weight !== 0)];
    while (pending.length > 0) {
      const sum = pending.reduce((s, r) => s + r.weight, 0);
      // Integer uniform in [0, sum], inclusive at both ends as the RFC says.
      const target = Math.min(sum, Math.floor(random() * (sum + 1)));
      let running = 0;
      let index = pending.length - 1;
      for (let i = 0; i < pending.length; i++) {
        running += pending[i]!.weight;
        if (running >= target) {
          index = i;
          break;
        }
      }
      ordered.push(pending.splice(index, 1)[0]!);
    }
  }
  return ordered;
}

/** RFC 6764 §4: the context path from a TXT answer's `path=` pair (made absolute), or null. */
export function txtContextPath(records: string[]): string | null {
  for (const r of records) {
    const m = /^path=(.*)$/i.exec(r.trim());
    if (m && m[1]) return m[1].startsWith('/') ? m[1] : `/${m[1]}`;
  }
  return null;
}
