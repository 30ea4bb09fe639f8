// The exporter's output read by independent peers: khal (python icalendar) for .ics, khard (vobject) for
// .vcf. No DAV server is needed; both tools work on local files. Skips where the Debian packages are absent.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAddressBook, exportCalendar } from '../../electron/engine/formats/export/index.ts';

const KHAL = '/usr/bin/khal';
const KHARD = '/usr/bin/khard';
const FIXTURES = new URL('../fixtures/export/', import.meta.url);
const load = (path: string, collection: string): { href: string; data: string } => ({
  href: `/dav/${collection}/${path.split('/').pop() ?? path}`,
  data: readFileSync(new URL(path, FIXTURES), 'utf8'),
});

let root = '';

/** Runs a peer by absolute path with a minimal environment: python3 on PATH here is another build. */
function run(bin: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(bin, args, {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: '/usr/bin:/bin', HOME: root, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...env },
  });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'davlens-export-peers-'));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

if (!existsSync(KHAL)) console.warn(`export-peers: ${KHAL} not installed (Debian package khal); skipping the khal checks.`);
if (!existsSync(KHARD)) console.warn(`export-peers: ${KHARD} not installed (Debian package khard); skipping the khard checks.`);

describe.skipIf(!existsSync(KHAL))('exported .ics read by khal', () => {
  const resources = [
    'own/weekly-berlin.ics',
    'own/single-berlin.ics',
    'own/new-york.ics',
    'own/allday-todo.ics',
    'own/moscow-current.ics',
    'own/moscow-stale.ics',
    // Its Europe/Berlin differs from weekly-berlin.ics's, so it becomes Europe/Berlin-2.
    'khal/event_dt_simple_inkl_vtimezone.ics',
    'khal/event_rrule_recuid_cancelled.ics',
    'own/truncated.ics',
  ].map((p) => load(p, 'calendars/me/work'));
  const titles = [
    'Weekly sync',
    'Dentist',
    'Call with New York',
    'Company holiday',
    'Moscow standup (current zone)',
    'Moscow review (stale zone)',
    'An Event',
    'Arbeit',
  ];
  let icsFile = '';
  let env: Record<string, string> = {};

  beforeAll(() => {
    const { ics, errors } = exportCalendar(resources);
    expect(errors.map((e) => e.href)).toEqual(['/dav/calendars/me/work/truncated.ics']);
    expect(ics).toContain('TZID:Europe/Berlin-2\r\n');
    expect(ics).toContain('TZID:Europe/Moscow-2\r\n');
    icsFile = join(root, 'work.ics');
    writeFileSync(icsFile, ics);

    const base = join(root, 'khal');
    const vdir = join(base, 'vdir');
    for (const d of ['config/khal', 'data', 'cache', 'vdir']) mkdirSync(join(base, d), { recursive: true });
    writeFileSync(
      join(base, 'config/khal/config'),
      [
        '[calendars]',
        '[[work]]',
        `path = ${vdir}`,
        'type = calendar',
        '[locale]',
        'local_timezone = Europe/Berlin',
        'default_timezone = Europe/Berlin',
        'timeformat = %H:%M',
        'dateformat = %Y-%m-%d',
        'longdateformat = %Y-%m-%d',
        'datetimeformat = %Y-%m-%d %H:%M',
        'longdatetimeformat = %Y-%m-%d %H:%M',
        '[default]',
        'default_calendar = work',
        '',
      ].join('\n'),
    );
    env = { XDG_CONFIG_HOME: join(base, 'config'), XDG_DATA_HOME: join(base, 'data'), XDG_CACHE_HOME: join(base, 'cache') };
  });

  it('khal printics parses the file and lists every event', () => {
    const out = run(KHAL, ['printics', icsFile], env);
    const [head, ...lines] = out.trimEnd().split('\n');
    expect(head).toBe(`${titles.length} events found in ${icsFile}`);
    // One line per event (master with its overrides); DESCRIPTION text may follow on continuation lines.
    const listed = lines.filter((l) => /^\d{4}-\d\d-\d\d/.test(l)).map((l) => l.replace(/^[\d: -]+/, '').replace(/ [⟳⏰].*$| ::.*$/, ''));
    expect(listed.sort()).toEqual([...titles].sort());
  });

  it('khal import --batch takes every event and khal list puts each on its day and hour', () => {
    run(KHAL, ['import', '--batch', icsFile], env);
    // khal writes one file per UID; the VTODO and the unknown component are not khal's business.
    expect(readdirSync(join(root, 'khal/vdir')).filter((f) => f.endsWith('.ics'))).toHaveLength(titles.length);

    const list = (from: string, to: string): Record<string, string[]> => {
      const out = run(KHAL, ['list', '--format', '{start-time}-{end-time} {title}', '--day-format', 'DAY {date}', from, to], env);
      const days: Record<string, string[]> = {};
      let day = '';
      for (const line of out.split('\n').filter((l) => l.length > 0)) {
        if (line.startsWith('DAY ')) day = line.slice(4);
        else (days[day] ??= []).push(line.trim());
      }
      return days;
    };

    expect(list('2024-03-01', '2024-04-05')).toEqual({
      '2024-03-04': ['10:00-11:00 Weekly sync'],
      '2024-03-06': ['08:30-09:15 Dentist'],
      // 09:00 EST (New York has not switched to summer time yet) is 15:00 in Berlin.
      '2024-03-07': ['15:00-16:00 Call with New York'],
      '2024-03-08': ['- Company holiday'],
      // The override (RECURRENCE-ID) replaced the second occurrence; COUNT=4 ends the series.
      '2024-03-11': ['14:00-15:00 Weekly sync (moved)'],
      '2024-03-18': ['10:00-11:00 Weekly sync'],
      '2024-03-25': ['10:00-11:00 Weekly sync'],
    });
    // Two definitions of Europe/Moscow kept apart: the stale one (summer time, +04) puts 12:00 an hour earlier.
    expect(list('2024-07-03', '2024-07-04')).toEqual({
      '2024-07-03': ['10:00-11:00 Moscow review (stale zone)', '11:00-11:30 Moscow standup (current zone)'],
    });
    expect(list('2014-04-09', '2014-04-10')).toEqual({ '2014-04-09': ['09:30-10:30 An Event'] });
    expect(list('2014-07-07', '2014-07-15')).toEqual({
      '2014-07-07': ['09:00-14:00 Arbeit'],
      '2014-07-14': ['07:00-12:00 Arbeit'],
    });
  });
});

describe.skipIf(!existsSync(KHARD))('exported .vcf read by khard', () => {
  let conf = '';

  beforeAll(() => {
    const cards = ['own/card-v3.vcf', 'own/card-broken.vcf', 'own/card-v4.vcf'].map((p) => load(p, 'addressbooks/me/contacts'));
    const { vcf, errors } = exportAddressBook(cards);
    expect(errors.map((e) => e.href)).toEqual(['/dav/addressbooks/me/contacts/card-broken.vcf']);

    const vdir = join(root, 'khard/vdir');
    mkdirSync(vdir, { recursive: true });
    // khard reads one card per file of a vdir (a multi-card file shows only its first card), and has no
    // vCard import, so the export is split at its card boundaries, as `vdirsyncer` would store it.
    const split = vcf.split('END:VCARD\r\n').slice(0, -1);
    expect(split).toHaveLength(2);
    split.forEach((card, i) => writeFileSync(join(vdir, `card-${i}.vcf`), `${card}END:VCARD\r\n`));

    conf = join(root, 'khard/khard.conf');
    writeFileSync(conf, ['[addressbooks]', '[[contacts]]', `path = ${vdir}`, '[general]', 'editor = /bin/false', 'merge_editor = /bin/false', ''].join('\n'));
  });

  it('khard lists both cards, vCard 3.0 and 4.0', () => {
    const rows = run(KHARD, ['-c', conf, 'list', '--parsable'])
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows.sort()).toEqual([
      ['3b1f2a9c-card-v3@davlens.test', 'Chidi Okafor', 'contacts'],
      ['urn:uuid:8c2f6f1e-card-v4', 'Zoë Żółć-Ångström', 'contacts'],
    ]);
  });

  it('khard shows the fields of each card as served', () => {
    const v3 = run(KHARD, ['-c', conf, 'show', '--format', 'yaml', 'uid:3b1f2a9c-card-v3@davlens.test']);
    expect(v3).toContain('# Vcard version: 3.0');
    expect(v3).toMatch(/^Formatted name: Chidi Okafor$/m);
    expect(v3).toMatch(/^Last name: Okafor$/m);
    expect(v3).toMatch(/^\s+CELL, VOICE, pref: \+1 555 0100$/m);
    expect(v3).toMatch(/^\s+Street: 12 Elm Street$/m);
    expect(v3).toMatch(/^Note: Likes philosophy, hates decisions\.$/m);

    const v4 = run(KHARD, ['-c', conf, 'show', '--format', 'yaml', 'uid:urn:uuid:8c2f6f1e-card-v4']);
    expect(v4).toContain('# Vcard version: 4.0');
    expect(v4).toMatch(/^Formatted name: Zoë Żółć-Ångström$/m);
    expect(v4).toMatch(/^Birthday: --04-12$/m);
    // The NOTE was folded by the server; khard unfolds it back into one sentence (YAML may wrap it again).
    expect(v4.replace(/\n\s+/g, ' ')).toContain('Note: Eine sehr lange Notiz mit Umlauten — äöüß — und noch mehr Text, damit der Server sie faltet.');

    // khard prints a "searching for ..." note on stdout too; the data rows are the tab-separated ones.
    const emails = run(KHARD, ['-c', conf, 'email', '--parsable'])
      .split('\n')
      .filter((l) => l.includes('\t'));
    expect(emails.sort()).toEqual(['chidi@example.com\tChidi Okafor\t_$!<Work>!$_, INTERNET, pref', 'zoe@example.org\tZoë Żółć-Ångström\thome, pref=1']);
  });
});
