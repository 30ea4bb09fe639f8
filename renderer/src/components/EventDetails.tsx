// The event panel: everything about one occurrence, from eventDetails. Text from the server is shown as
// text (links made clickable through LinkifiedText); nothing is rendered as HTML.
import type { ReactElement, ReactNode } from 'react';
import type { Attendee, EventDetails as Details } from '../../../shared/api.ts';
import type { Occurrence } from '../../../shared/models.ts';
import { t, tMaybe } from '../i18n/messages.ts';
import { isCancelled, normaliseColor } from '../lib/events.ts';
import { formatRange } from '../lib/time.ts';
import { useEngineAnswer } from '../state/hooks.ts';
import { Chips, ExportFooter } from './CardParts.tsx';
import { Icon } from './Icon.tsx';
import type { IconName } from './Icon.tsx';
import { ExternalLink, LinkifiedText } from './LinkifiedText.tsx';
import { ErrorNotice } from './Notice.tsx';

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

/** A row for a field that may be empty (no text, no items): left out then; `show` renders what there is. */
function OptionalRow<T extends string | string[]>({
  icon,
  label,
  value,
  show = (v) => v,
}: {
  icon: IconName;
  label: string;
  value: T | null | undefined;
  show?: (value: T) => ReactNode;
}): ReactElement | null {
  if (!value?.length) return null;
  return (
    <Row icon={icon} label={label}>
      {show(value)}
    </Row>
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
  const query = { calendarUrl: o.calendarUrl, href: o.href, uid: o.uid, recurrenceId: o.recurrenceId, tz };
  // A local file has nothing to ask the engine for; the key stands for the query's content.
  const key = local ? '' : JSON.stringify(query);
  const { value: details, error, loading } = useEngineAnswer(local ? null : (client) => client.eventDetails(query), key);
  const occ = details?.occurrence ?? o;
  const swatch = normaliseColor(color);
  return (
    <aside className="dl-details" aria-label={t('event.details')} aria-busy={loading}>
      <EventHeader occ={occ} swatch={swatch} local={local} onClose={onClose} />
      <div className="dl-details-body">
        <WhenRows occ={occ} details={details} tz={tz} swatch={swatch} />
        {loading ? (
          <p className="dl-muted dl-loading-line">
            <span className="dl-spinner" aria-hidden="true" /> {t('event.loading')}
          </p>
        ) : null}
        <ErrorNotice message={error} />
        {details ? <DetailRows details={details} /> : null}
      </div>
      <ExportFooter className="dl-details-footer" label={t('event.export')} onExport={onExport} />
    </aside>
  );
}

function EventHeader({ occ, swatch, local, onClose }: { occ: Occurrence; swatch: string; local: boolean; onClose: () => void }): ReactElement {
  const cancelled = isCancelled(occ);
  const status = (occ.status ?? '').toUpperCase();
  return (
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
  );
}

/** When, due, how it repeats, where, and in which calendar: known from the occurrence, refined by the details. */
function WhenRows({ occ, details, tz, swatch }: { occ: Occurrence; details: Details | null; tz: string; swatch: string }): ReactElement {
  return (
    <>
      <Row icon="clock" label={occ.type === 'todo' && !details?.due ? t('event.due') : t('event.when')}>
        <div className={isCancelled(occ) ? 'dl-struck' : undefined} data-testid="event-when">
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
      <OptionalRow icon="repeat" label={t('event.repeats')} value={details?.recurrenceText} />
      <OptionalRow icon="pin" label={t('event.location')} value={occ.location} show={(text) => <LinkifiedText text={text} />} />
      <Row icon="calendar" label={t('event.calendar')}>
        <span className="dl-swatch" style={{ background: swatch }} aria-hidden="true" /> {occ.calendar}
      </Row>
    </>
  );
}

/** What only the details tell: people, alarms, privacy, link, categories, description. */
function DetailRows({ details }: { details: Details }): ReactElement {
  return (
    <>
      {details.organizer ? (
        <Row icon="user" label={t('event.organizer')}>
          <PersonLink a={details.organizer} />
        </Row>
      ) : null}
      {details.attendees.length ? <AttendeesRow attendees={details.attendees} /> : null}
      {details.alarms.length ? (
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
      <OptionalRow icon="lock" label={t('event.privacy')} value={details.privacy} show={(p) => tMaybe(`event.privacy.${p.toUpperCase()}`, p)} />
      <OptionalRow icon="link" label={t('event.url')} value={details.url} show={(url) => <ExternalLink href={url}>{url}</ExternalLink>} />
      <OptionalRow icon="tag" label={t('event.categories')} value={details.categories} show={(items) => <Chips items={items} />} />
      <OptionalRow
        icon="note"
        label={t('event.description')}
        value={details.description}
        show={(text) => <LinkifiedText text={text} className="dl-description" />}
      />
    </>
  );
}

function AttendeesRow({ attendees }: { attendees: Attendee[] }): ReactElement {
  return (
    <Row icon="users" label={t('event.attendees', { count: attendees.length })}>
      <ul className="dl-attendees">
        {attendees.map((a, i) => (
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
  );
}
