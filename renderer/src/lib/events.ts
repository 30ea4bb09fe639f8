// Occurrences from the engine as FullCalendar event inputs. The engine already expanded recurrences and
// computed wall-clock times in the viewer's zone; FullCalendar gets those ISO strings (with offsets) and the
// same zone, so it places and labels events exactly where the engine put them.
import type { EventInput } from '@fullcalendar/react';
import type { CalendarView } from '../../../shared/api.ts';
import type { Occurrence } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import { readableColors } from './contrast.ts';

export const DEFAULT_CALENDAR_COLOR = '#3b7dd8';

/** Server colours come as #RRGGBB or #RRGGBBAA (Apple); anything else falls back to the default. */
export function normaliseColor(color: string | null | undefined): string {
  if (!color) return DEFAULT_CALENDAR_COLOR;
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color.trim());
  if (m) return `#${m[1]!.toLowerCase()}`;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color.trim());
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase();
  return DEFAULT_CALENDAR_COLOR;
}

/** What the calendar views need of a calendar, an account's or a subscription's: its URL and its colour. */
export type CalendarSource = Pick<CalendarView, 'url' | 'color'>;

export function calendarColors(calendars: CalendarSource[]): Map<string, string> {
  return new Map(calendars.map((c) => [c.url, normaliseColor(c.color)]));
}

export function isCancelled(o: Occurrence): boolean {
  return (o.status ?? '').toUpperCase() === 'CANCELLED';
}

export function isCompleted(o: Occurrence): boolean {
  return (o.status ?? '').toUpperCase() === 'COMPLETED';
}

/** A birthday or an anniversary of the Birthdays calendar, made from a contact: it opens the contact, not event details. */
export function contactDate(o: Occurrence): { kind: 'birthday' | 'anniversary'; contact: string; age: number | null } | null {
  if ((o.source !== 'birthday' && o.source !== 'anniversary') || !o.contact) return null;
  return { kind: o.source, contact: o.contact, age: typeof o.age === 'number' ? o.age : null };
}

/** The title to show: a birthday or anniversary with the age (or years) when the year is known, "Jonas Weber's birthday (40)". */
export function occurrenceTitle(o: Occurrence): string {
  const age = contactDate(o)?.age ?? null;
  return age === null ? o.summary : t('calendar.withAge', { summary: o.summary, age });
}

export interface OccurrenceProps {
  occurrence: Occurrence;
}

export function occurrenceKey(o: Occurrence): string {
  return `${o.calendarUrl}\u0000${o.href}\u0000${o.recurrenceId ?? ''}\u0000${o.start}`;
}

/** The offset at the end of an engine time ("+01:00", "-09:30", "Z"); a date has none. */
const OFFSET = /(?:[+-]\d\d:\d\d|Z)$/;

/**
 * The start and end as FullCalendar takes them fastest. It runs in the zone the engine expanded the occurrences in,
 * so their wall times are its own: given with their offsets, it turns each back into that zone's wall time through
 * Temporal (a fifth of its first layout of a busy month: 1,764 events); given without, it takes them as they are. An
 * event whose two ends have different offsets (a daylight-saving change within it) keeps them, since its wall end may
 * then come before its start (an hour that falls back).
 */
function fullCalendarTimes(o: Occurrence): { start: string; end: string | null } {
  const end = o.end && o.end !== o.start ? o.end : null;
  const offset = OFFSET.exec(o.start)?.[0];
  if (!offset || (end !== null && !end.endsWith(offset))) return { start: o.start, end };
  return { start: o.start.slice(0, -offset.length), end: end === null ? null : end.slice(0, -offset.length) };
}

export function toEventInput(o: Occurrence, colors: Map<string, string>): EventInput {
  // The calendar's colour, darkened or lightened only when no text colour reaches AA on it.
  const { fill, text } = readableColors(colors.get(o.calendarUrl) ?? DEFAULT_CALENDAR_COLOR);
  let className = 'dl-event';
  if (o.recurring) className += ' dl-recurring';
  if (isCancelled(o)) className += ' dl-cancelled';
  if (o.type === 'todo') className += isCompleted(o) ? ' dl-todo dl-done' : ' dl-todo';
  if ((o.status ?? '').toUpperCase() === 'TENTATIVE') className += ' dl-tentative';
  const dated = contactDate(o);
  if (dated) className += ` dl-${dated.kind}`;
  const { start, end } = fullCalendarTimes(o);
  const input: EventInput = {
    title: occurrenceTitle(o),
    start,
    allDay: o.allDay,
    color: fill,
    contrastColor: text,
    className,
    extendedProps: { occurrence: o } satisfies OccurrenceProps,
  };
  // A to-do or an instant without duration: FullCalendar draws a point in time.
  if (end !== null) input.end = end;
  return input;
}
