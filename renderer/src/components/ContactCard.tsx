// One contact: photo (or initials), names, organisation and title, every email/phone/address with its
// type, birthday (also without a year), notes, websites; mailto:/tel: links; export.
import { useEffect, useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import type { ContactDetails, ContactRef } from '../../../shared/api.ts';
import type { Contact } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import { addressLines, avatarColor, byPreference, displayName, initials, isPreferred, typeLabel } from '../lib/contacts.ts';
import { mailtoHref, safeHref, safeImageSrc, telHref } from '../lib/links.ts';
import { formatBirthday } from '../lib/time.ts';
import { useClient } from '../state/client.tsx';
import { Icon } from './Icon.tsx';
import type { IconName } from './Icon.tsx';
import { ExternalLink, LinkifiedText } from './LinkifiedText.tsx';

export function Avatar({ name, photo, size = 40 }: { name: string; photo: string | null; size?: number }): ReactElement {
  const src = safeImageSrc(photo);
  if (src) return <img className="dl-avatar" src={src} alt={t('contact.photo', { name })} width={size} height={size} style={{ width: size, height: size }} />;
  return (
    <span
      className="dl-avatar dl-avatar-initials"
      style={{ width: size, height: size, background: avatarColor(name), fontSize: Math.round(size * 0.4) }}
      aria-hidden="true"
    >
      {initials(name)}
    </span>
  );
}

function Section({ icon, label, children }: { icon: IconName; label: string; children: ReactNode }): ReactElement {
  return (
    <section className="dl-card-section" aria-label={label}>
      <h3>
        <Icon name={icon} size={14} /> {label}
      </h3>
      {children}
    </section>
  );
}

function TypeTag({ types, preferred }: { types: string[]; preferred: boolean }): ReactElement | null {
  const label = typeLabel(types);
  if (!label && !preferred) return null;
  return (
    <span className="dl-type">
      {label}
      {preferred ? (
        <span className="dl-pref" title={t('contact.preferred')}>
          {' '}
          ★<span className="dl-visually-hidden">{t('contact.preferred')}</span>
        </span>
      ) : null}
    </span>
  );
}

export interface ContactCardProps {
  contact: Contact;
  /** Where to fetch the details; without it (a local file) the card shows the contact alone. */
  contactRef?: ContactRef | null;
  onExport?: () => void;
  onClose?: () => void;
}

export function ContactCard({ contact, contactRef, onExport, onClose }: ContactCardProps): ReactElement {
  const client = useClient();
  const [details, setDetails] = useState<ContactDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refKey = contactRef ? `${contactRef.addressbookUrl}\n${contactRef.href}` : '';

  useEffect(() => {
    setDetails(null);
    setError(null);
    if (!contactRef) return;
    let live = true;
    void client.contactDetails(contactRef).then((r) => {
      if (!live) return;
      if (r.ok) setDetails(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
    // refKey stands for contactRef's content (a new object with the same content must not refetch).
  }, [client, refKey]);

  const c = details?.contact ?? contact;
  const name = displayName(c);
  const emails = byPreference(c.emails);
  const phones = byPreference(c.phones);
  const addresses = byPreference(details?.addresses.length ? details.addresses : c.addresses);
  const bday = c.bday ? formatBirthday(c.bday) : null;
  const otherNames = [c.n.prefix, c.n.given, c.n.additional, c.n.family, c.n.suffix].filter(Boolean).join(' ');
  const isGroup = c.kind === 'group';

  return (
    <article className="dl-contact-card" aria-label={t('contact.details')}>
      <header className="dl-card-header">
        <Avatar name={name} photo={details?.photo ?? null} size={88} />
        <div className="dl-card-names">
          <h2>{name}</h2>
          {otherNames && otherNames !== name ? <div className="dl-muted">{otherNames}</div> : null}
          {details?.nicknames.length ? <div className="dl-muted">“{details.nicknames.join('”, “')}”</div> : null}
          {c.title || c.org ? (
            <div className="dl-card-org">
              <Icon name="building" size={14} /> {[c.title, c.org].filter(Boolean).join(' · ')}
            </div>
          ) : null}
          {isGroup ? <span className="dl-badge">{t('contacts.group')}</span> : null}
        </div>
        {onClose ? (
          <button type="button" className="dl-icon-button dl-card-close" aria-label={t('event.close')} onClick={onClose}>
            <Icon name="close" />
          </button>
        ) : null}
      </header>
      {error ? (
        <p className="dl-notice dl-notice-error" role="alert">
          {error}
        </p>
      ) : null}
      {emails.length ? (
        <Section icon="mail" label={t('contact.email')}>
          <ul className="dl-values">
            {emails.map((e, i) => {
              const href = mailtoHref(e.value);
              return (
                <li key={`${e.value}-${i}`}>
                  {href ? (
                    <a href={href} aria-label={t('contact.writeTo', { value: e.value })}>
                      {e.value}
                    </a>
                  ) : (
                    e.value
                  )}
                  <TypeTag types={e.types} preferred={isPreferred(e, emails)} />
                </li>
              );
            })}
          </ul>
        </Section>
      ) : null}
      {phones.length ? (
        <Section icon="phone" label={t('contact.phone')}>
          <ul className="dl-values">
            {phones.map((p, i) => {
              const href = telHref(p.value);
              return (
                <li key={`${p.value}-${i}`}>
                  {href ? (
                    <a href={href} aria-label={t('contact.call', { value: p.value })}>
                      {p.value}
                    </a>
                  ) : (
                    p.value
                  )}
                  <TypeTag types={p.types} preferred={isPreferred(p, phones)} />
                </li>
              );
            })}
          </ul>
        </Section>
      ) : null}
      {addresses.length ? (
        <Section icon="pin" label={t('contact.address')}>
          <ul className="dl-values">
            {addresses.map((a, i) => (
              <li key={i} className="dl-address">
                <address>
                  {addressLines(a).map((line, j) => (
                    <div key={j}>{line}</div>
                  ))}
                </address>
                <TypeTag types={a.types} preferred={isPreferred(a, addresses)} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {bday ? (
        <Section icon="cake" label={t('contact.birthday')}>
          <p data-testid="contact-birthday">
            {bday.text}
            {bday.age !== null ? <span className="dl-muted"> · {t('contact.age', { age: bday.age })}</span> : null}
          </p>
        </Section>
      ) : null}
      {details?.impps.length ? (
        <Section icon="chat" label={t('contact.impp')}>
          <ul className="dl-values">
            {details.impps.map((x, i) => (
              <li key={i}>
                {x.value}
                <TypeTag types={x.types} preferred={false} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {c.urls.length ? (
        <Section icon="link" label={t('contact.urls')}>
          <ul className="dl-values">
            {c.urls.map((u) => (
              <li key={u}>{safeHref(u) ? <ExternalLink href={u}>{u}</ExternalLink> : u}</li>
            ))}
          </ul>
        </Section>
      ) : null}
      {c.note ? (
        <Section icon="note" label={t('contact.note')}>
          <LinkifiedText text={c.note} />
        </Section>
      ) : null}
      {c.categories.length ? (
        <Section icon="tag" label={t('contact.categories')}>
          <span className="dl-chips">
            {c.categories.map((x) => (
              <span key={x} className="dl-chip">
                {x}
              </span>
            ))}
          </span>
        </Section>
      ) : null}
      <Section icon="contacts" label={t('contact.addressbook')}>
        <p>{c.addressbook}</p>
      </Section>
      {onExport ? (
        <footer className="dl-card-footer">
          <button type="button" className="dl-button" onClick={onExport}>
            <Icon name="download" /> {t('contact.export')}
          </button>
        </footer>
      ) : null}
    </article>
  );
}
