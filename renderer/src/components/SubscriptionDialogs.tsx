// The dialogs of a subscribed calendar's menu: rename it, choose how often it is refreshed, enter the password its
// feed asks for, confirm its removal. Each waits for the engine's answer and shows its error as text.
import { useState } from 'react';
import type { FormEvent, ReactElement, ReactNode } from 'react';
import type { Result, SubscriptionView } from '../../../shared/api.ts';
import { t } from '../i18n/messages.ts';
import { feedNotice, REFRESH_CHOICES, refreshText } from '../lib/subscriptions.ts';
import { useClient } from '../state/client.tsx';
import { useNotify } from '../state/toasts.tsx';
import { Dialog } from './Dialog.tsx';
import { LabeledInput } from './Field.tsx';
import { ErrorNotice } from './Notice.tsx';

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

/** One request at a time: busy while it runs, its error kept to show. */
function useRequest() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async <T,>(ask: () => Promise<Result<T>>, done: (value: T) => void): Promise<void> => {
    setError(null);
    setBusy(true);
    const r = await ask();
    setBusy(false);
    if (r.ok) done(r.value);
    else setError(r.error.message);
  };
  return { busy, error, setError, run };
}

/** A small form dialog: its fields, the error, Cancel and the action. */
function FormDialog({
  title,
  busy,
  error,
  submitLabel,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  busy: boolean;
  error: string | null;
  submitLabel: string;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}): ReactElement {
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <Dialog title={title} onClose={onClose} size="small" busy={busy}>
      <form className="dl-form" onSubmit={submit} noValidate>
        {children}
        <ErrorNotice message={error} />
        <div className="dl-actions">
          <button type="button" className="dl-button" onClick={onClose} disabled={busy}>
            {t('account.cancel')}
          </button>
          <button type="submit" className="dl-button dl-button-primary" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
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
  const [password, setPassword] = useState('');
  const request = useRequest();
  const submit = (): void => {
    if (!password) {
      request.setError(t('account.passwordMissing'));
      return;
    }
    void request.run(
      () => client.subscribe({ url: s.url, password }),
      (out) => {
        const refused = out.errors.find((e) => e.code === 'auth-failed');
        if (refused) {
          request.setError(refused.message);
          return;
        }
        const notice = feedNotice(out.subscription?.name ?? s.name, out.errors);
        if (notice) notify(notice.text, notice.tone);
        onChanged();
      },
    );
  };
  return (
    <FormDialog
      title={t('subscription.password.title', { name: s.name })}
      busy={request.busy}
      error={request.error}
      submitLabel={t('subscription.password.save')}
      onSubmit={submit}
      onClose={onClose}
    >
      <p>{t('subscription.password.body')}</p>
      <LabeledInput
        label={t('subscribe.password')}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        data-autofocus
      />
    </FormDialog>
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
    <Dialog title={t('subscription.remove.title', { name: s.name })} onClose={onClose} size="small" busy={request.busy}>
      <p>{t('subscription.remove.body')}</p>
      <ErrorNotice message={request.error} />
      <div className="dl-actions">
        <button type="button" className="dl-button" onClick={onClose} disabled={request.busy} data-autofocus>
          {t('account.cancel')}
        </button>
        <button type="button" className="dl-button dl-button-danger" onClick={remove} disabled={request.busy}>
          {t('subscription.remove.confirm')}
        </button>
      </div>
    </Dialog>
  );
}
