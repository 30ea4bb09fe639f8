// FullCalendar 7 alone, with the same events as the app gets (precomputed inputs, no data path): the
// benchmark's baseline. `?events=10000&months=5&start=2026-01&date=2026-02-01&tz=Europe/Berlin`.
import FullCalendar from '@fullcalendar/react';
import type { CalendarRef, EventInput, EventSourceFuncInfo } from '@fullcalendar/react';
import dayGridPlugin from '@fullcalendar/react/daygrid';
import themePlugin from '@fullcalendar/react/themes/classic';
import '@fullcalendar/react/skeleton.css';
import '@fullcalendar/react/themes/classic/theme.css';
import '@fullcalendar/react/themes/classic/palette.css';
import { createRoot } from 'react-dom/client';
import { calendarColors, toEventInput } from '../src/lib/events.ts';
import { createFakeClient, FAKE_CALENDARS } from './fakeClient.ts';

const q = new URLSearchParams(location.search);
const tz = q.get('tz') ?? 'UTC';
const client = createFakeClient({
  events: Number(q.get('events') ?? 10000),
  months: Number(q.get('months') ?? 5),
  startMonth: q.get('start') ?? '2026-01',
  contacts: 0,
});
const colors = calendarColors(FAKE_CALENDARS);
// Every month's events computed up front, so the timing is FullCalendar's alone.
const cache = new Map<string, EventInput[]>();

async function prepare(from: string, to: string): Promise<void> {
  const r = await client.occurrences({ from, to, tz });
  if (r.ok)
    cache.set(
      `${from}|${to}`,
      r.value.events.map((o) => toEventInput(o, colors)),
    );
}
(window as unknown as { __prepare: typeof prepare }).__prepare = prepare;

function events(info: EventSourceFuncInfo, success: (e: EventInput[]) => void): void {
  success(cache.get(`${info.startStr.slice(0, 10)}|${info.endStr.slice(0, 10)}`) ?? []);
}

function expose(ref: CalendarRef | null): void {
  (window as unknown as { __calendar?: unknown }).__calendar = ref?.getApi();
}

createRoot(document.getElementById('root')!).render(
  <FullCalendar
    ref={expose}
    plugins={[dayGridPlugin, themePlugin]}
    initialView="dayGridMonth"
    initialDate={q.get('date') ?? '2026-02-01'}
    timeZone={tz}
    locale="en-GB"
    firstDay={1}
    height="100%"
    dayMaxEvents
    events={events}
  />,
);
