// Where a CPU-profiled run's main thread spent its time, by part of the engine: what bench:sync prints under
// "where the client's time went", so each session starts from the same breakdown (issue 15 asks for it before and
// after every change). A sample counts for the outermost frame on its stack that belongs to a part (rows of a card
// parse with ical.js count as vCard, not as iCalendar); V8's own nodes (garbage collector, idle, program) count apart.
import { readFileSync } from 'node:fs';

/** The parts, in the order they are printed; `match` is tested against a frame's script URL. */
const PARTS: { name: string; match: RegExp }[] = [
  { name: 'vCard (split, 2.1 rewrite, ical.js, mapping)', match: /\/formats\/vcard\// },
  { name: 'iCalendar (ical.js, series, span, search text)', match: /\/formats\/ical\// },
  { name: 'XML (saxes, multistatus, item text)', match: /\/dav\/(xml|multistatus)\.ts$|\/remote\/members\.ts$/ },
  { name: 'SQLite (statements, commits)', match: /\/store\/(store|sqlite)\.ts$/ },
  { name: 'HTTP (undici, gzip, decoding)', match: /\/node_modules\/undici\/|^node:zlib$|\/net\/http\.ts$|^node:internal\/encoding$/ },
];
const STARTUP = 'start-up (module loading, TypeScript)';
/** Module loading: also the outermost frames of everything the CLI's top-level await runs, so it is matched last. */
const LOADING = /^node:internal\/(modules|deps\/amaro)|^node:internal\/bootstrap/;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface TimeSplit {
  /** Main-thread milliseconds per part, in PARTS order, then start-up, "garbage collection" and "other". */
  parts: { name: string; ms: number }[];
  /** Sampled time the main thread waited (for the server, mostly). */
  idleMs: number;
  totalMs: number;
}

export function whereTimeWent(file: string): TimeSplit {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const ms = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const [id, us] of self) {
    total += us;
    const leaf = byId.get(id)!.callFrame.functionName;
    if (leaf === '(idle)') {
      idle += us;
      continue;
    }
    let part = leaf === '(garbage collector)' ? 'garbage collection' : 'other';
    if (part === 'other') {
      let loading = false;
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const url = byId.get(cur)!.callFrame.url;
        const hit = PARTS.find((x) => x.match.test(url));
        if (hit) part = hit.name;
        loading ||= LOADING.test(url);
      }
      if (part === 'other' && loading) part = STARTUP;
    }
    ms.set(part, (ms.get(part) ?? 0) + us);
  }
  const names = [...PARTS.map((x) => x.name), STARTUP, 'garbage collection', 'other'];
  return { parts: names.map((name) => ({ name, ms: (ms.get(name) ?? 0) / 1000 })), idleMs: idle / 1000, totalMs: total / 1000 };
}
