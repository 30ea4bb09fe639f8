// Calendar search results: matches of the search over a year either side of today (the engine searches titles,
// locations and descriptions), those to come first and the past ones on request, a series once at its next
// occurrence (shared/event-search.ts); choosing one opens it in the calendar.
import { useEffect, useMemo, useState } from 'react';
import type { ReactElement } from 'react';
import { searchHits } from '../../../shared/event-search.ts';
import type { SearchHit, SearchHits } from '../../../shared/event-search.ts';
import type { Occurrence } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import type { CalendarSource } from '../lib/events.ts';
import { calendarColors, occurrenceKey } from '../lib/events.ts';
import { addDays, formatShortDate, ymdInZone } from '../lib/time.ts';
import { useClient } from '../state/client.tsx';
import { EventList } from './EventList.tsx';
import { Icon } from './Icon.tsx';
import { ErrorNotice } from './Notice.tsx';

const SEARCH_WINDOW_DAYS = 366;
/** Lines shown of each list (a line is an event or a whole series). */
const MAX_RESULTS = 300;

export function EventSearch({
  query,
  tz,
  calendars,
  visibleUrls,
  onSelect,
  onClose,
  dataVersion,
}: {
  query: string;
  tz: string;
  calendars: CalendarSource[];
  visibleUrls: string[];
  onSelect: (o: Occurrence) => void;
  onClose: () => void;
  dataVersion: number;
}): ReactElement {
  const client = useClient();
  // The matches with the query they answer: until the new query's arrive, the old ones are not shown as its.
  const [answer, setAnswer] = useState<{ query: string; events: Occurrence[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const today = ymdInZone(new Date(), tz);
  const from = addDays(today, -SEARCH_WINDOW_DAYS);
  const to = addDays(today, SEARCH_WINDOW_DAYS);
  const urlsKey = visibleUrls.join('\n');
  useEffect(() => {
    let live = true;
    setAnswer(null);
    if (!urlsKey) {
      setAnswer({ query, events: [] });
      return;
    }
    void client.occurrences({ from, to, tz, search: query, calendarUrls: urlsKey.split('\n') }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setAnswer({ query, events: r.value.events });
        setError(null);
      } else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [client, query, from, to, tz, urlsKey, dataVersion]);
  const events = answer?.query === query ? answer.events : null;
  const hits = useMemo(() => (events ? searchHits(events, { ms: Date.now(), today }) : null), [events, today]);
  const count = hits ? hits.upcoming.length + hits.past.length : 0;
  return (
    <aside className="dl-details dl-search-results" aria-label={t('calendar.search')}>
      <header className="dl-details-header">
        <div className="dl-details-title-row">
          <Icon name="search" />
          <h2 role="status" aria-live="polite">
            {hits === null ? t('calendar.searching') : t('calendar.searchResults', { count, query })}
          </h2>
          <button type="button" className="dl-icon-button" aria-label={t('search.clear')} onClick={onClose}>
            <Icon name="close" />
          </button>
        </div>
        <p className="dl-muted dl-small">{t('calendar.searchRange', { from: formatShortDate(from), to: formatShortDate(to) })}</p>
      </header>
      <div className="dl-details-body">
        <ErrorNotice message={error} />
        {hits && count === 0 ? (
          <p className="dl-empty-inline">{t('calendar.searchNone', { query, from: formatShortDate(from), to: formatShortDate(to) })}</p>
        ) : null}
        {/* Keyed by the query: a new search starts with the past matches folded away again. */}
        {hits && count > 0 ? <SearchMatches key={query} hits={hits} tz={tz} colors={calendarColors(calendars)} onSelect={onSelect} /> : null}
      </div>
    </aside>
  );
}

/** The upcoming matches, and the past ones behind a button. */
function SearchMatches({
  hits,
  tz,
  colors,
  onSelect,
}: {
  hits: SearchHits;
  tz: string;
  colors: Map<string, string>;
  onSelect: (o: Occurrence) => void;
}): ReactElement {
  const [showPast, setShowPast] = useState(false);
  const list = (shown: SearchHit[], label: string, newestFirst: boolean) => {
    const matches = new Map(shown.slice(0, MAX_RESULTS).map((h) => [occurrenceKey(h.occurrence), h.matches]));
    return (
      <EventList
        events={shown.slice(0, MAX_RESULTS).map((h) => h.occurrence)}
        tz={tz}
        colors={colors}
        onSelect={onSelect}
        label={label}
        newestFirst={newestFirst}
        note={(o) => {
          const n = matches.get(occurrenceKey(o)) ?? 1;
          return n > 1 ? t('search.series', { count: n }) : null;
        }}
      />
    );
  };
  return (
    <>
      {hits.upcoming.length ? list(hits.upcoming, t('search.upcoming'), false) : <p className="dl-empty-inline">{t('search.noneUpcoming')}</p>}
      {hits.past.length ? (
        <button type="button" className="dl-button dl-search-past-toggle" aria-expanded={showPast} onClick={() => setShowPast((v) => !v)}>
          {showPast ? t('search.hidePast') : t('search.showPast', { count: hits.past.length })}
        </button>
      ) : null}
      {showPast && hits.past.length ? (
        <section className="dl-search-past">
          <h3 className="dl-search-past-title">{t('search.past')}</h3>
          {list(hits.past, t('search.past'), true)}
        </section>
      ) : null}
    </>
  );
}
