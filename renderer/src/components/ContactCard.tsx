// One contact: photo (or initials), names, organisation and title, every email/phone/address with its
// type, birthday and anniversary (also without a year), the groups it is in, notes, websites; mailto:/tel: links;
// export.
import type { ReactElement, ReactNode } from 'react';
import type { ContactDetails, ContactRef } from '../../../shared/api.ts';
import type { Contact, TypedValue } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { addressLines, avatarColors, byPreference, displayName, initials, isPreferred, typeLabel } from '../lib/contacts.ts';
import { mailtoHref, safeHref, safeImageSrc, telHref } from '../lib/links.ts';
import { formatBirthday } from '../lib/time.ts';
import { useEngineAnswer } from '../state/hooks.ts';
import { Chips, ExportFooter } from './CardParts.tsx';
import { Icon } from './Icon.tsx';
import type { IconName } from './Icon.tsx';
import { ExternalLink, LinkifiedText } from './LinkifiedText.tsx';
import { ErrorNotice } from './Notice.tsx';

export function Avatar({ name, photo, size = 40 }: { name: string; photo: string | null; size?: number }): ReactElement {
  const src = safeImageSrc(photo);
  if (src) return <img className="dl-avatar" src={src} alt={t('contact.photo', { name })} width={size} height={size} style={{ width: size, height: size }} />;
  const { fill, text } = avatarColors(name);
  return (
    <span
      className="dl-avatar dl-avatar-initials"
      style={{ width: size, height: size, background: fill, color: text, fontSize: Math.round(size * 0.4) }}
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
  /** The contact as the list has it; null when it is opened by reference alone (from a birthday): the details fill it. */
  contact: Contact | null;
  /** Where to fetch the details; without it (a local file) the card shows the contact alone. */
  contactRef?: ContactRef | null;
  onExport?: (contact: Contact) => void;
  onClose?: () => void;
}

export function ContactCard({ contact, contactRef, onExport, onClose }: ContactCardProps): ReactElement {
  // The key stands for contactRef's content (a new object with the same content must not refetch).
  const refKey = contactRef ? `${contactRef.addressbookUrl}\n${contactRef.href}` : '';
  const { value: details, error } = useEngineAnswer(contactRef ? (client) => client.contactDetails(contactRef) : null, refKey);
  const c = withListGroups(details?.contact ?? contact, contact);
  if (!c) {
    return (
      <article className="dl-contact-card" aria-label={t('contact.details')} aria-busy={error ? undefined : true}>
        {error ? <ErrorNotice message={error} /> : <p className="dl-muted">{t('contact.loading')}</p>}
      </article>
    );
  }
  return (
    <article className="dl-contact-card" aria-label={t('contact.details')}>
      <ContactHeader c={c} details={details} onClose={onClose} />
      <ErrorNotice message={error} />
      <ReachSections c={c} details={details} />
      <AboutSections c={c} details={details} />
      <Section icon="contacts" label={t('contact.addressbook')}>
        <p>{c.addressbook}</p>
      </Section>
      <ExportFooter className="dl-card-footer" label={t('contact.export')} onExport={onExport ? () => onExport(c) : undefined} />
    </article>
  );
}

/**
 * The groups a contact is in are known where it is listed (the group cards naming it are other cards): the card read
 * alone keeps the list's when it has none of its own.
 */
function withListGroups(c: Contact | null, listed: Contact | null): Contact | null {
  if (!c || !listed || c === listed || c.groups.length > 0) return c;
  return { ...c, groups: listed.groups };
}

interface ContactParts {
  c: Contact;
  details: ContactDetails | null;
}

function ContactHeader({ c, details, onClose }: ContactParts & { onClose?: () => void }): ReactElement {
  const name = displayName(c);
  const otherNames = [c.n.prefix, c.n.given, c.n.additional, c.n.family, c.n.suffix].filter(Boolean).join(' ');
  return (
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
        {c.kind === 'group' ? <span className="dl-badge">{t('contacts.group')}</span> : null}
      </div>
      {onClose ? (
        <button type="button" className="dl-icon-button dl-card-close" aria-label={t('event.close')} onClick={onClose}>
          <Icon name="close" />
        </button>
      ) : null}
    </header>
  );
}

/** How to reach the contact: emails, phones, addresses. */
function ReachSections({ c, details }: ContactParts): ReactElement {
  const addresses = byPreference(details?.addresses.length ? details.addresses : c.addresses);
  return (
    <>
      <LinkedValues kind="email" values={byPreference(c.emails)} />
      <LinkedValues kind="phone" values={byPreference(c.phones)} />
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
    </>
  );
}

// Emails are written to, phones called: the section's icon and label, the link and what it says it does.
const LINKED = {
  email: { icon: 'mail', label: 'contact.email', href: mailtoHref, does: 'contact.writeTo' },
  phone: { icon: 'phone', label: 'contact.phone', href: telHref, does: 'contact.call' },
} satisfies Record<string, { icon: IconName; label: MessageKey; href: (value: string) => string | null; does: MessageKey }>;

/** Emails or phones, most preferred first, each a link where it makes a safe one. */
function LinkedValues({ kind, values }: { kind: keyof typeof LINKED; values: TypedValue[] }): ReactElement | null {
  const { icon, label, href, does } = LINKED[kind];
  if (!values.length) return null;
  return (
    <Section icon={icon} label={t(label)}>
      <ul className="dl-values">
        {values.map((v, i) => {
          const link = href(v.value);
          return (
            <li key={`${v.value}-${i}`}>
              {link ? (
                <a href={link} aria-label={t(does, { value: v.value })}>
                  {v.value}
                </a>
              ) : (
                v.value
              )}
              <TypeTag types={v.types} preferred={isPreferred(v, values)} />
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

/** The groups to show: those the contact is in (group cards and categories), else its categories (a local file). */
function groupNames(c: Contact): string[] {
  return c.groups.length > 0 ? c.groups : c.categories;
}

/** Birthday and anniversary: the date (without a year when it is unknown) and the years since, when known. */
function Dates({ c }: { c: Contact }): ReactElement {
  const bday = c.bday ? formatBirthday(c.bday) : null;
  const anniversary = c.anniversary ? formatBirthday(c.anniversary) : null;
  return (
    <>
      {bday ? (
        <Section icon="cake" label={t('contact.birthday')}>
          <p data-testid="contact-birthday">
            {bday.text}
            {bday.age !== null ? <span className="dl-muted"> · {t('contact.age', { age: bday.age })}</span> : null}
          </p>
        </Section>
      ) : null}
      {anniversary ? (
        <Section icon="heart" label={t('contact.anniversary')}>
          <p data-testid="contact-anniversary">
            {anniversary.text}
            {anniversary.age !== null ? <span className="dl-muted"> · {t('contact.years', { count: anniversary.age })}</span> : null}
          </p>
        </Section>
      ) : null}
    </>
  );
}

/** About the contact: birthday, anniversary, chat, websites, note, groups. */
function AboutSections({ c, details }: ContactParts): ReactElement {
  const groups = groupNames(c);
  return (
    <>
      <Dates c={c} />
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
      {groups.length ? (
        <Section icon="users" label={t('contact.groups')}>
          <span data-testid="contact-groups">
            <Chips items={groups} />
          </span>
        </Section>
      ) : null}
    </>
  );
}
