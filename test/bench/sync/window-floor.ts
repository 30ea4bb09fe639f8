// The floor of a first window (issue 15): the requests the days on screen need at least, each by its own curl,
// one after the other: the principal, its home sets, the home's calendars, one calendar-query with a time-range
// per calendar (for `days`, padded as Davlens pads them). Shared by bench:sync (the CLI's window) and bench:ui
// (the app's first month).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { componentQueryBody, propfindBody } from '../../../electron/engine/dav/bodies.ts';
import { paddedRange } from '../../../electron/engine/app/window.ts';
import { runMeasured } from './procs.ts';

export interface WindowFloorInput {
  /** Radicale's base URL (ending in /). */
  base: string;
  user: string;
  password: string;
  /** Calendar path segments under the user. */
  calendars: string[];
  days: { from: string; to: string };
  /** Where curl's request bodies go. */
  dir: string;
}

/** Wall time of the whole sequence, in ms. */
export async function windowFloor(f: WindowFloorInput): Promise<number> {
  const home = `${f.base}${f.user}/`;
  const steps: { method: string; url: string; depth: string; body: string }[] = [
    { method: 'PROPFIND', url: f.base, depth: '0', body: propfindBody(['d:current-user-principal']) },
    { method: 'PROPFIND', url: home, depth: '0', body: propfindBody(['c:calendar-home-set', 'card:addressbook-home-set']) },
    { method: 'PROPFIND', url: home, depth: '1', body: propfindBody(['d:resourcetype', 'd:displayname', 'c:supported-calendar-component-set']) },
    ...f.calendars.map((name) => ({ method: 'REPORT', url: `${home}${name}/`, depth: '1', body: componentQueryBody('VEVENT', paddedRange(f.days)) })),
  ];
  let ms = 0;
  for (const [i, s] of steps.entries()) {
    const bodyFile = join(f.dir, `window-floor-${i}.xml`);
    writeFileSync(bodyFile, s.body);
    const args = [
      '-sS',
      '--fail',
      '-u',
      `${f.user}:${f.password}`,
      '-X',
      s.method,
      '-H',
      `Depth: ${s.depth}`,
      '-H',
      'Content-Type: application/xml; charset=utf-8',
    ];
    const m = await runMeasured('curl', [...args, '--data-binary', `@${bodyFile}`, '-o', '/dev/null', s.url], { cwd: f.dir, rssFile: join(f.dir, 'curl.rss') });
    if (m.code !== 0) throw new Error(`window floor: curl ${s.method} ${s.url} failed: ${m.stderr}`);
    ms += m.ms;
  }
  return ms;
}
