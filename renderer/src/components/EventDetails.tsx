// The event panel: everything about one occurrence, from eventDetails. Text from the server is shown as
// text (links made clickable through LinkifiedText); nothing is rendered as HTML.
import { useEffect, useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import type { Attendee, EventDetails as Details } from '../../../shared/api.ts';
import type { Occurrence } from '../../../shared/models.ts';
import { t, tMaybe } from '../i18n/messages.ts';
import { isCancelled, normaliseColor } from '../lib/events.ts';
import { formatRange } from '../lib/time.ts';
import { useClient } from '../state/client.tsx';
import { Icon } from './Icon.tsx';
import type { IconName } from './Icon.tsx';
import { ExternalLink, LinkifiedText } from './LinkifiedText.tsx';

export interface EventDetailsProps {
  occurrence: Occurrence;
  tz: string;
  /** Calendar colour (server colour) for the header swatch. */
  color: string | null;
  onClose: () => void;
  onExport?: () => void;
  /** A read-only local file: no details to fetch from the engine. */
  local?: boolean;
}

function Row({ icon, label, children }: { icon: IconName; label: string; children: ReactNode }): ReactElement {
  return (
    <div className="dl-detail-row">
      <Icon name={icon} className="dl-detail-icon" />
      <div>
        <div className="dl-detail-label">{label}</div>
        <div className="dl-detail-value">{children}</div>
      </div>
    </div>
  );
}

function personName(a: Attendee): string {
  return a.name || a.email || '?';
}

function partstatClass(p: string | null): string {
  switch ((p ?? '').toUpperCase()) {
    case 'ACCEPTED':
      return 'dl-rsvp-yes';
    case 'DECLINED':
      return 'dl-rsvp-no';
    case 'TENTATIVE':
      return 'dl-rsvp-maybe';
    default:
      return 'dl-rsvp-none';
  }
}

function PersonLink({ a }: { a: Attendee }): ReactElement {
  const name = personName(a);
  return a.email ? <ExternalLink href={`mailto:${a.email}`}>{name}</ExternalLink> : <>{name}</>;
}

export function EventDetailsPanel({ occurrence: o, tz, color, onClose, onExport, local = false }: EventDetailsProps): ReactElement {
  const client = useClient();
  const [details, setDetails] = useState<Details | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(!local);

  useEffect(() => {
    if (local) return;
    let live = true;
    setLoading(true);
    setError(null);
    setDetails(null);
    void client.eventDetails({ calendarUrl: o.calendarUrl, href: o.href, uid: o.uid, recurrenceId: o.recurrenceId, tz }).then((r) => {
      if (!live) return;
      setLoading(false);
      if (r.ok) setDetails(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [client, o.calendarUrl, o.href, o.uid, o.recurrenceId, tz, local]);

  const occ = details?.occurrence ?? o;
  const cancelled = isCancelled(occ);
  const status = (occ.status ?? '').toUpperCase();
  const swatch = normaliseColor(color);

  return (
    <aside className="dl-details" aria-label={t('event.details')} aria-busy={loading}>
      <header className="dl-details-header" style={{ borderTopColor: swatch }}>
        <div className="dl-details-title-row">
          <span className={`dl-swatch dl-swatch-lg${occ.type === 'todo' ? ' dl-swatch-todo' : ''}`} style={{ background: swatch }} aria-hidden="true" />
          <h2 className={cancelled ? 'dl-struck' : undefined}>{occ.summary || '—'}</h2>
          <button type="button" className="dl-icon-button" aria-label={t('event.close')} title={`${t('event.close')} (Esc)`} onClick={onClose}>
            <Icon name="close" />
          </button>
        </div>
        <div className="dl-badges">
          {occ.type === 'todo' ? <span className="dl-badge">{t('calendar.todo')}</span> : null}
          {occ.recurring ? (
            <span className="dl-badge">
              <Icon name="repeat" size={12} /> {t('calendar.recurring')}
            </span>
          ) : null}
          {status && status !== 'CONFIRMED' ? (
            <span className={`dl-badge${cancelled ? ' dl-badge-danger' : ''}`}>{tMaybe(`event.status.${status}`, status)}</span>
          ) : null}
          {local ? <span className="dl-badge">{t('file.readOnly')}</span> : null}
        </div>
      </header>
      <div className="dl-details-body">
        <Row icon="clock" label={occ.type === 'todo' && !details?.due ? t('event.due') : t('event.when')}>
          <div className={cancelled ? 'dl-struck' : undefined} data-testid="event-when">
            {formatRange(occ.start, occ.end, occ.allDay, tz)}
          </div>
          {details?.ownZone ? (
            <div className="dl-muted" data-testid="event-own-zone">
              {t('event.ownZone', { zone: details.ownZone.tz })}: {formatRange(details.ownZone.start, details.ownZone.end, occ.allDay, details.ownZone.tz)}
            </div>
          ) : null}
        </Row>
        {details?.due ? (
          <Row icon="todo" label={t('event.due')}>
            {formatRange(details.due, details.due, details.due.length === 10, tz)}
          </Row>
        ) : null}
        {details?.recurrenceText ? (
          <Row icon="repeat" label={t('event.repeats')}>
            {details.recurrenceText}
          </Row>
        ) : null}
        {occ.location ? (
          <Row icon="pin" label={t('event.location')}>
            <LinkifiedText text={occ.location} />
          </Row>
        ) : null}
        <Row icon="calendar" label={t('event.calendar')}>
          <span className="dl-swatch" style={{ background: swatch }} aria-hidden="true" /> {occ.calendar}
        </Row>
        {loading ? (
          <p className="dl-muted dl-loading-line">
            <span className="dl-spinner" aria-hidden="true" /> {t('event.loading')}
          </p>
        ) : null}
        {error ? (
          <p className="dl-notice dl-notice-error" role="alert">
            {error}
          </p>
        ) : null}
        {details?.organizer ? (
          <Row icon="user" label={t('event.organizer')}>
            <PersonLink a={details.organizer} />
          </Row>
        ) : null}
        {details && details.attendees.length ? (
          <Row icon="users" label={t('event.attendees', { count: details.attendees.length })}>
            <ul className="dl-attendees">
              {details.attendees.map((a, i) => (
                <li key={`${a.email ?? a.name ?? ''}-${i}`}>
                  <span className={`dl-rsvp ${partstatClass(a.partstat)}`} aria-hidden="true" />
                  <PersonLink a={a} />
                  <span className="dl-muted">
                    {' '}
                    — {a.partstat ? tMaybe(`event.partstat.${a.partstat.toUpperCase()}`, a.partstat.toLowerCase()) : t('event.partstat.NEEDS-ACTION')}
                    {a.role && a.role.toUpperCase() !== 'REQ-PARTICIPANT' ? `, ${tMaybe(`event.role.${a.role.toUpperCase()}`, a.role.toLowerCase())}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </Row>
        ) : null}
        {details && details.alarms.length ? (
          <Row icon="bell" label={t('event.alarms')}>
            <ul className="dl-plain-list">
              {details.alarms.map((a, i) => (
                <li key={i}>
                  {a.trigger} <span className="dl-muted">({tMaybe(`event.alarm.${a.action.toUpperCase()}`, a.action.toLowerCase())})</span>
                </li>
              ))}
            </ul>
          </Row>
        ) : null}
        {details?.privacy ? (
          <Row icon="lock" label={t('event.privacy')}>
            {tMaybe(`event.privacy.${details.privacy.toUpperCase()}`, details.privacy)}
          </Row>
        ) : null}
        {details?.url ? (
          <Row icon="link" label={t('event.url')}>
            <ExternalLink href={details.url}>{details.url}</ExternalLink>
          </Row>
        ) : null}
        {details && details.categories.length ? (
          <Row icon="tag" label={t('event.categories')}>
            <span className="dl-chips">
              {details.categories.map((c) => (
                <span key={c} className="dl-chip">
                  {c}
                </span>
              ))}
            </span>
          </Row>
        ) : null}
        {details?.description ? (
          <Row icon="note" label={t('event.description')}>
            <LinkifiedText text={details.description} className="dl-description" />
          </Row>
        ) : null}
      </div>
      {onExport ? (
        <footer className="dl-details-footer">
          <button type="button" className="dl-button" onClick={onExport}>
            <Icon name="download" /> {t('event.export')}
          </button>
        </footer>
      ) : null}
    </aside>
  );
}
