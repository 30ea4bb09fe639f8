// The header's sync state: "Synced 5 minutes ago" / "Syncing…" / "Sync failed", and "Sync now" (which refreshes the
// subscribed calendars too). The details dialog lists each account's error with what to do and the last run's
// collections.
import type { ReactElement } from 'react';
import type { AccountSummary, SubscriptionView, SyncStatus } from '../../../shared/api.ts';
import { t } from '../i18n/messages.ts';
import { relativeTime } from '../lib/time.ts';
import { useTick } from '../state/hooks.ts';
import { Dialog } from './Dialog.tsx';
import { Icon } from './Icon.tsx';
import { accountError, accountSyncedAt, syncErrorText } from './Sidebar.tsx';

export function lastSynced(accounts: AccountSummary[], sync: SyncStatus | null, subscriptions: Pick<SubscriptionView, 'syncedAt'>[] = []): string | null {
  let latest: string | null = null;
  const times = [...accounts.filter((a) => !a.demo).map((a) => accountSyncedAt(a, sync)), ...subscriptions.map((s) => s.syncedAt)];
  for (const at of times) if (at && (!latest || at > latest)) latest = at;
  return latest;
}

export function SyncIndicator({
  accounts,
  subscriptions = [],
  sync,
  onSyncNow,
  onShowDetails,
}: {
  accounts: AccountSummary[];
  /** Refreshed by the same runs; each shows its own error in the sidebar. */
  subscriptions?: SubscriptionView[];
  sync: SyncStatus | null;
  onSyncNow: () => void;
  onShowDetails: () => void;
}): ReactElement | null {
  useTick(30_000);
  const real = accounts.filter((a) => !a.demo);
  if (real.length === 0 && subscriptions.length === 0) return null;
  const running = sync?.running ?? false;
  const failing = real.filter((a) => a.needsPassword || accountError(a, sync));
  const at = lastSynced(real, sync, subscriptions);
  let text: string;
  if (running) text = t('sync.running');
  else if (failing.length) text = t('sync.failed');
  else text = at ? t('sync.last', { when: relativeTime(at) }) : t('sync.never');
  return (
    <div className="dl-sync">
      <button
        type="button"
        className={`dl-sync-status${failing.length && !running ? ' dl-status-error' : ''}`}
        onClick={onShowDetails}
        title={t('sync.details')}
        data-testid="sync-status"
      >
        {failing.length && !running ? <Icon name="alert" size={14} /> : null}
        <span role="status" aria-live="polite">
          {text}
        </span>
      </button>
      <button type="button" className="dl-icon-button" onClick={onSyncNow} disabled={running} aria-label={t('sync.now')} title={t('sync.now')}>
        <Icon name="sync" className={running ? 'dl-spin' : undefined} />
      </button>
    </div>
  );
}

export function SyncDetailsDialog({
  accounts,
  sync,
  onClose,
  onEnterPassword,
  onSyncNow,
}: {
  accounts: AccountSummary[];
  sync: SyncStatus | null;
  onClose: () => void;
  onEnterPassword: (a: AccountSummary) => void;
  onSyncNow: () => void;
}): ReactElement {
  return (
    <Dialog title={t('sync.details')} onClose={onClose} size="medium">
      <ul className="dl-sync-accounts">
        {accounts
          .filter((a) => !a.demo)
          .map((a) => {
            const error = accountError(a, sync);
            const at = accountSyncedAt(a, sync);
            return (
              <li key={a.id}>
                <strong>{a.email}</strong> <span className="dl-muted">{at ? t('sync.last', { when: relativeTime(at) }) : t('sync.never')}</span>
                {a.needsPassword || error?.code === 'auth-failed' ? (
                  <p className="dl-status-error">
                    {t('sync.error.auth', { email: a.email })}{' '}
                    <button type="button" className="dl-link-button" onClick={() => onEnterPassword(a)}>
                      {t('error.action.password')}
                    </button>
                  </p>
                ) : error ? (
                  <p className="dl-status-error">{syncErrorText(a, error)}</p>
                ) : null}
              </li>
            );
          })}
      </ul>
      {sync?.collections.length ? (
        <table className="dl-table">
          <tbody>
            {sync.collections.map((c) => (
              <tr key={c.url}>
                <td>
                  <Icon name={c.kind === 'calendar' ? 'calendar' : 'contacts'} size={14} /> {c.displayName}
                </td>
                <td className="dl-muted">{c.error ? c.error.message : t('sync.collections', { added: c.added, changed: c.changed, deleted: c.deleted })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="dl-actions">
        <button type="button" className="dl-button dl-button-primary" onClick={onSyncNow} disabled={sync?.running}>
          <Icon name="sync" /> {t('sync.now')}
        </button>
      </div>
    </Dialog>
  );
}
