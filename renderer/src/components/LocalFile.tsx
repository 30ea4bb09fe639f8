// A local .ics or .vcf file shown read-only: the engine parses it (openLocalFile); nothing is stored. A calendar
// opens at its first event not over yet, shown beside the list, as the calendar itself opens on today.
import { useEffect, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import type { LocalFileView } from '../../../shared/api.ts';
import { nearNow } from '../../../shared/event-search.ts';
import type { Contact, Occurrence } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import { contactSubtitle, displayName } from '../lib/contacts.ts';
import { occurrenceKey } from '../lib/events.ts';
import { ymdInZone } from '../lib/time.ts';
import { Avatar, ContactCard } from './ContactCard.tsx';
import { Dialog } from './Dialog.tsx';
import { EventDetailsPanel } from './EventDetails.tsx';
import { EventList } from './EventList.tsx';

export const MAX_LOCAL_FILE_BYTES = 50 * 1024 * 1024;

export function isOpenableFile(name: string): boolean {
  return /\.(ics|ical|ifb|icalendar|vcf|vcard)$/i.test(name);
}

export function LocalFileDialog({ file, tz, onClose }: { file: LocalFileView; tz: string; onClose: () => void }): ReactElement {
  const [event, setEvent] = useState<Occurrence | null>(() => nearNow(file.events, { ms: Date.now(), today: ymdInZone(new Date(), tz) }));
  const [contact, setContact] = useState<Contact | null>(null);
  const list = useRef<HTMLDivElement>(null);
  // Once, on opening: the list scrolled to the day of the event shown.
  const startDay = useRef(event?.start.slice(0, 10));
  useEffect(() => {
    const box = list.current;
    const day = box?.querySelector(`[data-day="${startDay.current}"]`);
    if (box && day) box.scrollTop += day.getBoundingClientRect().top - box.getBoundingClientRect().top;
  }, []);
  const colors = new Map<string, string>();
  const counts = [
    file.events.length ? t('file.events', { count: file.events.length }) : null,
    file.contacts.length ? t('file.contacts', { count: file.contacts.length }) : null,
  ].filter(Boolean);
  return (
    <Dialog title={t('file.title', { name: file.name })} onClose={onClose} size="large" className="dl-local-file">
      <p className="dl-muted">
        <span className="dl-badge">{t('file.readOnly')}</span> {counts.join(', ')}
      </p>
      {file.errors.length ? (
        <ul className="dl-notice dl-notice-warn dl-error-list" role="note">
          {file.errors.slice(0, 5).map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
          {file.errors.length > 5 ? <li>{t('error.items', { count: file.errors.length })}</li> : null}
        </ul>
      ) : null}
      {!file.events.length && !file.contacts.length ? <p className="dl-empty-inline">{t('file.empty')}</p> : null}
      {/* The list takes the dialog's width until something is shown beside it. */}
      <div className={`dl-file-split${event || contact ? ' dl-file-split-open' : ''}`}>
        <div className="dl-file-list" ref={list}>
          {file.events.length ? (
            <EventList
              events={file.events}
              tz={tz}
              colors={colors}
              onSelect={(o) => {
                setEvent(o);
                setContact(null);
              }}
              selectedKey={event ? occurrenceKey(event) : null}
              label={t('file.events', { count: file.events.length })}
            />
          ) : null}
          {file.contacts.length ? (
            <ul className="dl-file-contacts" aria-label={t('file.contacts', { count: file.contacts.length })}>
              {file.contacts.map((c, i) => (
                <li key={`${c.uid}-${i}`}>
                  <button
                    type="button"
                    className={`dl-contact-row${contact === c ? ' dl-selected' : ''}`}
                    onClick={() => {
                      setContact(c);
                      setEvent(null);
                    }}
                  >
                    <Avatar name={displayName(c)} photo={null} size={32} />
                    <span className="dl-contact-text">
                      <span className="dl-contact-name">{displayName(c)}</span>
                      <span className="dl-contact-sub">{contactSubtitle(c)}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <div className="dl-file-detail" hidden={!event && !contact}>
          {event ? <EventDetailsPanel occurrence={event} tz={tz} color={null} local onClose={() => setEvent(null)} /> : null}
          {contact ? <ContactCard contact={contact} onClose={() => setContact(null)} /> : null}
        </div>
      </div>
    </Dialog>
  );
}
