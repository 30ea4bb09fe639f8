// Builds one .ics out of calendar resources. Lines are copied as served (unfolded, then refolded) rather than
// re-serialised by ical.js, whose writer re-renders values (escapes, dates, parameter quoting) and so could
// change what the server stored; the only edits are the VCALENDAR header, METHOD, and TZID renames.
import ICAL from 'ical.js';
import { davlensError } from '../../../../shared/errors.ts';
import type { DavlensError } from '../../../../shared/errors.ts';
import { checkNesting, normaliseText, parseComponents, props, subcomponents, textValue } from '../content-lines.ts';
import type { ComponentNode, ContentLine } from '../content-lines.ts';
import { componentLines, foldLine } from './lines.ts';

export interface Resource {
  href: string;
  data: string;
}

export const PRODID = '-//Davlens//Davlens//EN';

/** One VCALENDAR object of a resource, split into what the export treats differently. */
interface CalendarObject {
  /** Calendar-level properties other than VERSION, PRODID, CALSCALE and METHOD, as served. */
  extraProps: string[];
  calscale: string | null;
  timezones: { tzid: string; node: ComponentNode }[];
  components: ComponentNode[];
}

export interface ParsedResource {
  href: string;
  calendars: CalendarObject[];
}

/** Parses one resource, or returns the error that says why it is left out. */
export function parseResource(resource: Resource): ParsedResource | DavlensError {
  try {
    // ical.js is the reference reader (the rest of the engine uses it); if it rejects the text, so do we.
    checkNesting(resource.data);
    const jcal: unknown = ICAL.parse(normaliseText(resource.data));
    checkValues(jcal);
    const roots = parseComponents(resource.data);
    if (roots.length === 0) throw new Error('no iCalendar data');
    const calendars: CalendarObject[] = [];
    for (const root of roots) {
      if (root.name !== 'VCALENDAR') throw new Error(`top-level ${root.name} is not inside a VCALENDAR`);
      calendars.push(splitCalendar(root));
    }
    return { href: resource.href, calendars };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return davlensError('item-unparsable', `${resource.href} could not be read (${reason}); it was left out of the export.`, 'export', {
      href: resource.href,
    });
  }
}

function splitCalendar(root: ComponentNode): CalendarObject {
  const cal: CalendarObject = { extraProps: [], calscale: null, timezones: [], components: [] };
  for (const line of props(root)) {
    if (line.name === 'VERSION' || line.name === 'PRODID') continue;
    // An export is a plain calendar, not an iTIP message (RFC 5546), so METHOD must not travel with it.
    if (line.name === 'METHOD') continue;
    if (line.name === 'CALSCALE') cal.calscale ??= line.raw;
    else cal.extraProps.push(line.raw);
  }
  for (const node of subcomponents(root)) {
    if (node.name === 'VTIMEZONE') {
      const tzidLine = props(node).find((p) => p.name === 'TZID');
      if (!tzidLine) throw new Error('a VTIMEZONE has no TZID');
      cal.timezones.push({ tzid: textValue(tzidLine), node });
    } else {
      cal.components.push(node);
    }
  }
  return cal;
}

/**
 * ical.js parses date and time values leniently ("DTSTART:garbage" yields NaN fields), so a resource whose
 * dates no reader can use would otherwise slip through; decorating every value finds those.
 */
function checkValues(jcal: unknown): void {
  const roots = Array.isArray(jcal) && Array.isArray(jcal[0]) ? (jcal as unknown[]) : [jcal];
  const stack = roots.filter((r) => Array.isArray(r)).map((r) => new ICAL.Component(r as unknown[]));
  for (let comp = stack.pop(); comp; comp = stack.pop()) {
    for (const prop of comp.getAllProperties()) {
      for (const value of prop.getValues()) {
        const times = value instanceof ICAL.Time ? [value] : value instanceof ICAL.Period ? [value.start, value.end] : [];
        for (const t of times) {
          if (t && ![t.year, t.month, t.day, t.hour, t.minute, t.second].every(Number.isFinite)) {
            throw new Error(`${prop.name.toUpperCase()} has an invalid date or time`);
          }
        }
      }
    }
    for (const sub of comp.getAllSubcomponents()) stack.push(sub);
  }
}

/** Which components of each resource to write; all of them when absent. */
export type ComponentFilter = (node: ComponentNode) => boolean;

/**
 * Writes the resources as one VCALENDAR. Time zones are written once per distinct definition; a TZID that
 * names two different definitions keeps its name for the first and gets `-2`, `-3`… for the others, with
 * the TZID parameters of the components that used each definition changed to match.
 */
export function writeCalendar(resources: ParsedResource[], filter?: ComponentFilter): string {
  const taken = new Set<string>();
  for (const r of resources) {
    for (const cal of r.calendars) {
      for (const tz of cal.timezones) taken.add(tz.tzid);
      for (const node of cal.components) for (const tzid of referencedTzids(node)) taken.add(tzid);
    }
  }

  const definitions = new Map<string, { canonical: string; name: string }[]>();
  const timezoneLines: string[] = [];
  const componentLinesOut: string[] = [];
  const extraProps: string[] = [];
  let calscale: string | null = null;

  for (const r of resources) {
    for (const cal of r.calendars) {
      const components = filter ? cal.components.filter(filter) : cal.components;
      if (filter && components.length === 0) continue;
      const needed = filter ? new Set(components.flatMap((c) => [...referencedTzids(c)])) : null;

      // TZID as written in this object -> TZID in the export.
      const rename = new Map<string, string>();
      for (const tz of cal.timezones) {
        if (needed && !needed.has(tz.tzid)) continue;
        const canonical = canonicalTimezone(tz.node);
        const defs = definitions.get(tz.tzid) ?? [];
        const same = defs.find((d) => d.canonical === canonical);
        // Within one object a TZID must be unique (RFC 5545 §3.6.5); if it is not, references go to the first.
        if (same) {
          if (!rename.has(tz.tzid)) rename.set(tz.tzid, same.name);
          continue;
        }
        const name = defs.length === 0 ? tz.tzid : freeName(tz.tzid, taken);
        taken.add(name);
        defs.push({ canonical, name });
        definitions.set(tz.tzid, defs);
        if (!rename.has(tz.tzid)) rename.set(tz.tzid, name);
        for (const l of componentLines(name === tz.tzid ? tz.node : renameTimezone(tz.node, name.slice(tz.tzid.length)))) timezoneLines.push(l);
      }

      for (const node of components) for (const l of componentLines(retarget(node, rename))) componentLinesOut.push(l);
      calscale ??= cal.calscale;
      for (const p of cal.extraProps) if (!extraProps.includes(p)) extraProps.push(p);
    }
  }

  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    ...(calscale ? [calscale] : []),
    ...extraProps,
    ...timezoneLines,
    ...componentLinesOut,
    'END:VCALENDAR',
  ];
  return lines.map((l) => `${foldLine(l)}\r\n`).join('');
}

function freeName(tzid: string, taken: Set<string>): string {
  for (let n = 2; ; n++) {
    const candidate = `${tzid}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Every TZID parameter value used anywhere in the component, subcomponents included. */
export function referencedTzids(node: ComponentNode): Set<string> {
  const out = new Set<string>();
  for (const item of node.items) {
    if (item.kind === 'prop') {
      for (const p of item.line.params) if (p.name === 'TZID' && p.values.length === 1) out.add(p.values[0] as string);
    } else {
      for (const tzid of referencedTzids(item.node)) out.add(tzid);
    }
  }
  return out;
}

/**
 * What makes two VTIMEZONEs the same zone: their observances, compared line by line in any order. TZID (the
 * thing being compared), LAST-MODIFIED, TZURL and X- properties of the VTIMEZONE itself say where a definition
 * came from, not what times it gives, so copies that differ only there are one zone.
 */
function canonicalTimezone(node: ComponentNode, top = true): string {
  const own = props(node)
    .filter((p) => !top || !(p.name === 'TZID' || p.name === 'LAST-MODIFIED' || p.name === 'TZURL' || p.name.startsWith('X-')))
    .map(canonicalLine)
    .sort();
  const children = subcomponents(node)
    .map((c) => canonicalTimezone(c, false))
    .sort();
  return `${node.name}{${own.join('\n')}|${children.join('\n')}}`;
}

function canonicalLine(line: ContentLine): string {
  const params = line.params.map((p) => `${p.name}=${p.values.join(',')}`).sort();
  return `${[line.name, ...params].join(';')}:${line.raw.slice(line.valueStart)}`;
}

/** The VTIMEZONE with `suffix` appended to its TZID; appending keeps any escaping in the value valid. */
function renameTimezone(node: ComponentNode, suffix: string): ComponentNode {
  return {
    ...node,
    items: node.items.map((item) =>
      item.kind === 'prop' && item.line.name === 'TZID' ? { kind: 'prop', line: { ...item.line, raw: item.line.raw + suffix } } : item,
    ),
  };
}

/** The component with its TZID parameters changed per `rename`, every other character left as served. */
function retarget(node: ComponentNode, rename: Map<string, string>): ComponentNode {
  if (![...rename].some(([from, to]) => from !== to)) return node;
  return {
    ...node,
    items: node.items.map((item) => {
      if (item.kind === 'comp') return { kind: 'comp', node: retarget(item.node, rename) };
      const line = item.line;
      const tzParam = line.params.find((p) => p.name === 'TZID' && p.values.length === 1);
      const to = tzParam ? rename.get(tzParam.values[0] as string) : undefined;
      if (!tzParam || to === undefined || to === tzParam.values[0]) return item;
      const written = tzParam.quoted ? `"${to}"` : to;
      const raw = line.raw.slice(0, tzParam.start) + written + line.raw.slice(tzParam.end);
      // The line is only used for output from here on, so its spans need no update.
      return { kind: 'prop', line: { ...line, raw } };
    }),
  };
}
