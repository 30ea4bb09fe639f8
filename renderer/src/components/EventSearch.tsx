// Calendar search results: matches of the search over a year either side of the date in view
// (the engine searches titles, locations and descriptions); choosing one opens it in the calendar.
import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { Occurrence } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import { calendarColors } from '../lib/events.ts';
import type { CalendarSource } from '../lib/events.ts';
import { addDays, formatShortDate } from '../lib/time.ts';
import { useClient } from '../state/client.tsx';
import { EventList } from './EventList.tsx';
import { Icon } from './Icon.tsx';
import { ErrorNotice } from './Notice.tsx';

export const SEARCH_WINDOW_DAYS = 366;
const MAX_RESULTS = 300;

export function EventSearch({
  query,
  around,
  tz,
  calendars,
  visibleUrls,
  onSelect,
  onClose,
  dataVersion,
}: {
  query: string;
  around: string;
  tz: string;
  calendars: CalendarSource[];
  visibleUrls: string[];
  onSelect: (o: Occurrence) => void;
  onClose: () => void;
  dataVersion: number;
}): ReactElement {
  const client = useClient();
  const [events, setEvents] = useState<Occurrence[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const from = addDays(around, -SEARCH_WINDOW_DAYS);
  const to = addDays(around, SEARCH_WINDOW_DAYS);
  const urlsKey = visibleUrls.join('\n');
  useEffect(() => {
    let live = true;
    setEvents(null);
    if (!urlsKey) {
      setEvents([]);
      return;
    }
    void client.occurrences({ from, to, tz, search: query, calendarUrls: urlsKey.split('\n') }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setEvents(r.value.events.slice(0, MAX_RESULTS));
        setError(null);
      } else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [client, query, from, to, tz, urlsKey, dataVersion]);
  const colors = calendarColors(calendars);
  return (
    <aside className="dl-details dl-search-results" aria-label={t('calendar.search')}>
      <header className="dl-details-header">
        <div className="dl-details-title-row">
          <Icon name="search" />
          <h2 role="status" aria-live="polite">
            {events === null ? t('calendar.searching') : t('calendar.searchResults', { count: events.length, query })}
          </h2>
          <button type="button" className="dl-icon-button" aria-label={t('search.clear')} onClick={onClose}>
            <Icon name="close" />
          </button>
        </div>
        <p className="dl-muted dl-small">{t('calendar.searchRange', { from: formatShortDate(from), to: formatShortDate(to) })}</p>
      </header>
      <div className="dl-details-body">
        <ErrorNotice message={error} />
        {events && events.length === 0 ? (
          <p className="dl-empty-inline">{t('calendar.searchNone', { query, from: formatShortDate(from), to: formatShortDate(to) })}</p>
        ) : null}
        {events && events.length ? <EventList events={events} tz={tz} colors={colors} onSelect={onSelect} label={t('calendar.search')} /> : null}
      </div>
    </aside>
  );
}
