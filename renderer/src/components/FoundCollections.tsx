// After "Account added": the calendars and address books the account holds, by name with their item counts,
// once the first sync has read them (the service report above it gives the URLs).
import type { ReactElement } from 'react';
import type { AccountSummary } from '../../../shared/api.ts';
import { t } from '../i18n/messages.ts';
import { useFirstSync } from '../state/firstSync.ts';
import { Icon } from './Icon.tsx';

interface Row {
  url: string;
  name: string;
  count: string;
  color?: string | null;
}

export function FoundCollections({ account }: { account: AccountSummary }): ReactElement {
  const sync = useFirstSync(account.id);
  return (
    <section className="dl-found" aria-label={t('account.report.title')} aria-busy={sync.state === 'syncing'}>
      <h4>{t('account.report.title')}</h4>
      {sync.state === 'syncing' ? (
        <p className="dl-muted" role="status">
          <span className="dl-spinner" aria-hidden="true" /> {t('account.report.syncing')}
        </p>
      ) : null}
      {sync.state === 'unknown' ? <p className="dl-found-error">{sync.error.message}</p> : null}
      {sync.state === 'done' ? (
        <>
          {sync.error ? <p className="dl-found-error">{t('account.report.syncError', { error: sync.error.message })}</p> : null}
          {account.caldav ? (
            <CollectionList
              kind="calendar"
              rows={sync.calendars.map((c) => ({
                url: c.url,
                name: c.displayName || c.url,
                color: c.color,
                count: c.count === undefined ? t('account.report.notStored') : t('account.report.items', { count: c.count }),
              }))}
            />
          ) : null}
          {account.carddav ? (
            <CollectionList
              kind="addressbook"
              rows={sync.addressbooks.map((b) => ({ url: b.url, name: b.displayName || b.url, count: t('account.report.contacts', { count: b.count }) }))}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function CollectionList({ kind, rows }: { kind: 'calendar' | 'addressbook'; rows: Row[] }): ReactElement {
  const title = t(kind === 'calendar' ? 'account.report.calendars' : 'account.report.addressbooks');
  return (
    <div className="dl-found-group">
      <h5>
        <Icon name={kind === 'calendar' ? 'calendar' : 'contacts'} /> {title}
      </h5>
      {rows.length === 0 ? (
        <p className="dl-muted">{t('account.report.none')}</p>
      ) : (
        <ul aria-label={title}>
          {rows.map((r) => (
            <li key={r.url} title={r.url}>
              {r.color ? <span className="dl-found-swatch" style={{ background: r.color }} aria-hidden="true" /> : null}
              <span className="dl-found-name">{r.name}</span>
              <span className="dl-found-count">{r.count}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
