// Occurrences as a list grouped by day: calendar search results and the events of an opened file.
import type { ReactElement } from 'react';
import type { Occurrence } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import { contactDate, isCancelled, normaliseColor, occurrenceKey, occurrenceTitle } from '../lib/events.ts';
import { formatLongDate, formatTime } from '../lib/time.ts';
import { Icon } from './Icon.tsx';

function groupByDay(events: Occurrence[], newestFirst: boolean): [string, Occurrence[]][] {
  const groups = new Map<string, Occurrence[]>();
  for (const e of [...events].sort((a, b) => a.start.localeCompare(b.start))) {
    const day = e.start.slice(0, 10);
    const list = groups.get(day);
    if (list) list.push(e);
    else groups.set(day, [e]);
  }
  // Newest first by day; within a day, still by time.
  return newestFirst ? [...groups].reverse() : [...groups];
}

export function EventList({
  events,
  tz,
  colors,
  onSelect,
  selectedKey,
  label,
  newestFirst = false,
  note,
}: {
  events: Occurrence[];
  tz: string;
  colors: Map<string, string>;
  onSelect: (o: Occurrence) => void;
  selectedKey?: string | null;
  label: string;
  /** Past search matches: the most recent day first. */
  newestFirst?: boolean;
  /** A line under an item's title (a search match's "repeats"). */
  note?: (o: Occurrence) => string | null;
}): ReactElement {
  return (
    <div className="dl-event-list" role="list" aria-label={label}>
      {groupByDay(events, newestFirst).map(([day, list]) => (
        <div key={day} role="listitem" className="dl-event-day" data-day={day}>
          <h3 className="dl-event-day-title">{formatLongDate(day)}</h3>
          <ul>
            {list.map((o) => {
              const key = occurrenceKey(o);
              const noted = note?.(o);
              return (
                <li key={key}>
                  <button type="button" className={`dl-event-item${selectedKey === key ? ' dl-selected' : ''}`} onClick={() => onSelect(o)}>
                    <span className="dl-swatch" style={{ background: normaliseColor(colors.get(o.calendarUrl)) }} aria-hidden="true" />
                    <span className="dl-event-item-time">{o.allDay ? t('calendar.allDay') : formatTime(o.start, tz)}</span>
                    <span className={`dl-event-item-title${isCancelled(o) ? ' dl-struck' : ''}`}>
                      <ItemIcon o={o} /> {occurrenceTitle(o)}
                      {o.recurring && !contactDate(o) ? <Icon name="repeat" size={12} className="dl-muted" /> : null}
                    </span>
                    {o.location ? <span className="dl-event-item-loc dl-muted">{o.location}</span> : null}
                    {noted ? <span className="dl-event-item-note dl-muted">{noted}</span> : null}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </div>
  );
}

/** A to-do's box, or a birthday's or anniversary's mark (it opens the contact). */
function ItemIcon({ o }: { o: Occurrence }): ReactElement | null {
  const dated = contactDate(o);
  if (dated) return <Icon name={dated.kind === 'birthday' ? 'cake' : 'heart'} size={12} />;
  return o.type === 'todo' ? <Icon name="todo" size={12} /> : null;
}
