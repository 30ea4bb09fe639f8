// The sidebar's subscribed calendars: each with its colour and a checkbox (hidden like an account's calendar), its
// name, a read-only mark, how often it is refreshed and when it last was, its last error as text, what its feed
// breaks (a count, the sentences on opening it), and a menu (refresh now, rename, refresh interval, export, remove).
import { useState } from 'react';
import type { ReactElement } from 'react';
import type { SubscriptionView } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import { t } from '../i18n/messages.ts';
import { normaliseColor } from '../lib/events.ts';
import { subscriptionStatus } from '../lib/subscriptions.ts';
import { useTick } from '../state/hooks.ts';
import { Icon } from './Icon.tsx';
import { MenuButton } from './Menu.tsx';
import type { MenuItem } from './Menu.tsx';
import type { SubscriptionDialogAction } from './SubscriptionDialogs.tsx';

export type SubscriptionAction = SubscriptionDialogAction | 'refresh' | 'export';

export interface SubscriptionListProps {
  subscriptions: SubscriptionView[];
  hidden: Set<string>;
  /** URLs whose refresh is running. */
  refreshing: ReadonlySet<string>;
  onToggle: (url: string, visible: boolean) => void;
  onAction: (action: SubscriptionAction, subscription: SubscriptionView) => void;
}

export function SubscriptionList({ subscriptions, hidden, refreshing, onToggle, onAction }: SubscriptionListProps): ReactElement {
  // "refreshed 5 minutes ago" stays true.
  useTick(30_000);
  const sorted = [...subscriptions].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="dl-account dl-subscriptions" aria-label={t('subscription.group')}>
      <header className="dl-account-header">
        <Icon name="feed" />
        <h3>{t('subscription.group')}</h3>
      </header>
      <ul className="dl-sources">
        {sorted.map((s) => (
          <SubscriptionRow key={s.url} s={s} visible={!hidden.has(s.url)} refreshing={refreshing.has(s.url)} onToggle={onToggle} onAction={onAction} />
        ))}
      </ul>
    </section>
  );
}

function SubscriptionRow({
  s,
  visible,
  refreshing,
  onToggle,
  onAction,
}: {
  s: SubscriptionView;
  visible: boolean;
  refreshing: boolean;
  onToggle: SubscriptionListProps['onToggle'];
  onAction: SubscriptionListProps['onAction'];
}): ReactElement {
  const color = normaliseColor(s.color);
  // A right-click on the row opens its menu too.
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <li className="dl-subscription" data-subscription={s.name}>
      <div
        className="dl-source-row dl-calendar-row"
        onContextMenu={(e) => {
          e.preventDefault();
          setMenuOpen(true);
        }}
      >
        <label className="dl-calendar-toggle" title={s.url}>
          <input type="checkbox" checked={visible} onChange={(e) => onToggle(s.url, e.target.checked)} style={{ accentColor: color }} />
          <span className="dl-swatch" style={{ background: color }} aria-hidden="true" />
          <span className="dl-source-name">{s.name}</span>
        </label>
        <span className="dl-read-only" role="img" aria-label={t('subscription.readOnly')} title={t('subscription.readOnly')}>
          <Icon name="lock" size={12} />
        </span>
        <MenuButton
          label={t('subscription.menu', { name: s.name })}
          items={subscriptionMenu(s, onAction)}
          className="dl-row-menu"
          open={menuOpen}
          onOpenChange={setMenuOpen}
        >
          <Icon name="more" size={14} />
        </MenuButton>
      </div>
      <div className="dl-subscription-status dl-muted">
        {refreshing ? <span className="dl-spinner" aria-hidden="true" /> : null} {refreshing ? t('subscription.refreshing') : subscriptionStatus(s)}
      </div>
      <SubscriptionProblem s={s} onAction={onAction} />
      <FeedNotes notes={s.notes} />
    </li>
  );
}

/** A password to enter, or the last refresh's error (the last good copy is still shown). */
function SubscriptionProblem({ s, onAction }: { s: SubscriptionView; onAction: SubscriptionListProps['onAction'] }): ReactElement | null {
  if (s.needsPassword) {
    return (
      <div className="dl-subscription-problem dl-status-error" role="alert">
        <Icon name="key" size={14} /> {t('subscription.needsPassword')}{' '}
        <button type="button" className="dl-link-button" onClick={() => onAction('password', s)}>
          {t('account.enterPassword')}
        </button>
      </div>
    );
  }
  if (!s.lastError) return null;
  return (
    <div className="dl-subscription-problem dl-status-error" role="alert" title={s.lastError.message}>
      <Icon name="alert" size={14} /> {s.lastError.message}{' '}
      <button type="button" className="dl-link-button" onClick={() => onAction('refresh', s)}>
        {t('error.action.retry')}
      </button>
    </div>
  );
}

/**
 * What the feed's last copy breaks and how it is shown instead (kept by the engine until another copy is read, so a
 * background refresh's are told too): a count, the sentences when opened. Text from the feed, never markup.
 */
function FeedNotes({ notes }: { notes: DavlensError[] }): ReactElement | null {
  if (notes.length === 0) return null;
  return (
    <details className="dl-subscription-notes">
      <summary>
        <Icon name="alert" size={14} /> {t('subscription.notes', { count: notes.length })}
      </summary>
      <ul className="dl-error-list">
        {notes.map((n, i) => (
          <li key={i}>{n.message}</li>
        ))}
      </ul>
    </details>
  );
}

function subscriptionMenu(s: SubscriptionView, onAction: SubscriptionListProps['onAction']): MenuItem[] {
  const item = (label: string, action: SubscriptionAction, danger = false): MenuItem => ({ label, onSelect: () => onAction(action, s), danger });
  return [
    item(t('subscription.refreshNow'), 'refresh'),
    ...(s.needsPassword ? [item(t('account.enterPassword'), 'password')] : []),
    item(t('subscription.rename'), 'rename'),
    item(t('subscription.interval'), 'interval'),
    item(t('subscription.export'), 'export'),
    item(t('subscription.remove'), 'remove', true),
  ];
}
