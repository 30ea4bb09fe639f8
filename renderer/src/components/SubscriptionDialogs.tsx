// The dialogs of a subscribed calendar's menu: rename it, choose how often it is refreshed, enter the password its
// feed asks for, confirm its removal. Each waits for the engine's answer and shows its error as text.
import { useState } from 'react';
import type { ReactElement } from 'react';
import type { SubscriptionView } from '../../../shared/api.ts';
import { t } from '../i18n/messages.ts';
import { feedNotice, REFRESH_CHOICES, refreshText } from '../lib/subscriptions.ts';
import { useClient } from '../state/client.tsx';
import { useNotify } from '../state/toasts.tsx';
import { LabeledInput } from './Field.tsx';
import { ConfirmDialog, FormDialog, PasswordFormDialog, useRequest } from './FormDialog.tsx';

/** What the subscription's menu opens a dialog for. */
export type SubscriptionDialogAction = 'rename' | 'interval' | 'password' | 'remove';

export interface SubscriptionDialogProps {
  action: SubscriptionDialogAction;
  subscription: SubscriptionView;
  onClose: () => void;
  /** Done: the subscriptions are to be read again (`removed`: this one is gone). */
  onChanged: (removed?: boolean) => void;
}

export function SubscriptionDialog(p: SubscriptionDialogProps): ReactElement {
  switch (p.action) {
    case 'rename':
      return <RenameDialog {...p} />;
    case 'interval':
      return <IntervalDialog {...p} />;
    case 'password':
      return <PasswordDialog {...p} />;
    case 'remove':
      return <RemoveDialog {...p} />;
  }
}

function RenameDialog({ subscription: s, onClose, onChanged }: SubscriptionDialogProps): ReactElement {
  const client = useClient();
  const [name, setName] = useState(s.name);
  const request = useRequest();
  const submit = (): void => {
    if (!name.trim()) request.setError(t('subscription.nameMissing'));
    else
      void request.run(
        () => client.updateSubscription({ url: s.url, name: name.trim() }),
        () => onChanged(),
      );
  };
  return (
    <FormDialog
      title={t('subscription.rename.title', { name: s.name })}
      busy={request.busy}
      error={request.error}
      submitLabel={t('subscription.save')}
      onSubmit={submit}
      onClose={onClose}
    >
      <LabeledInput label={t('subscription.name')} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoComplete="off" data-autofocus />
    </FormDialog>
  );
}

function IntervalDialog({ subscription: s, onClose, onChanged }: SubscriptionDialogProps): ReactElement {
  const client = useClient();
  const [value, setValue] = useState(s.userRefreshMinutes === null ? '' : String(s.userRefreshMinutes));
  const request = useRequest();
  // The user's own interval stays on offer when it is none of the usual ones (set with the command line).
  const choices =
    s.userRefreshMinutes === null || REFRESH_CHOICES.includes(s.userRefreshMinutes) ? REFRESH_CHOICES : [...REFRESH_CHOICES, s.userRefreshMinutes];
  const feedLabel = s.userRefreshMinutes === null ? t('subscription.interval.feed', { every: refreshText(s.refreshMinutes) }) : t('subscribe.refresh.feed');
  const submit = (): void =>
    void request.run(
      () => client.updateSubscription({ url: s.url, refreshMinutes: value === '' ? null : Number(value) }),
      () => onChanged(),
    );
  return (
    <FormDialog
      title={t('subscription.interval.title', { name: s.name })}
      busy={request.busy}
      error={request.error}
      submitLabel={t('subscription.save')}
      onSubmit={submit}
      onClose={onClose}
    >
      <label className="dl-field">
        <span>{t('subscribe.refresh')}</span>
        <select value={value} onChange={(e) => setValue(e.target.value)} data-autofocus>
          <option value="">{feedLabel}</option>
          {[...choices]
            .sort((a, b) => a - b)
            .map((m) => (
              <option key={m} value={String(m)}>
                {refreshText(m)}
              </option>
            ))}
        </select>
      </label>
      <p className="dl-muted dl-small">{t('subscribe.refresh.hint')}</p>
    </FormDialog>
  );
}

/** The password a feed asks for: saved with the subscription, then the feed is fetched with it. */
function PasswordDialog({ subscription: s, onClose, onChanged }: SubscriptionDialogProps): ReactElement {
  const client = useClient();
  const notify = useNotify();
  return (
    <PasswordFormDialog
      title={t('subscription.password.title', { name: s.name })}
      body={t('subscription.password.body')}
      label={t('subscribe.password')}
      submitLabel={t('subscription.password.save')}
      send={(password) => client.subscribe({ url: s.url, password })}
      onDone={(out) => {
        const refused = out.errors.find((e) => e.code === 'auth-failed');
        if (refused) return refused.message;
        const notice = feedNotice(out.subscription?.name ?? s.name, out.errors);
        if (notice) notify(notice.text, notice.tone);
        onChanged();
      }}
      onClose={onClose}
    />
  );
}

function RemoveDialog({ subscription: s, onClose, onChanged }: SubscriptionDialogProps): ReactElement {
  const client = useClient();
  const notify = useNotify();
  const request = useRequest();
  const remove = (): void =>
    void request.run(
      () => client.unsubscribe({ url: s.url }),
      () => {
        notify(t('subscription.removed', { name: s.name }));
        onChanged(true);
      },
    );
  return (
    <ConfirmDialog
      title={t('subscription.remove.title', { name: s.name })}
      body={t('subscription.remove.body')}
      confirmLabel={t('subscription.remove.confirm')}
      request={request}
      onConfirm={remove}
      onClose={onClose}
    />
  );
}
