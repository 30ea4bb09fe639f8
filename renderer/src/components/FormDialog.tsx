// Small dialogs that send one request: a form (fields, the error, Cancel and the action), the password form of an
// account or a feed, and a confirmation (a sentence, the error, Cancel and a dangerous action). Busy while the
// request runs; its error shown as text.
import { useState } from 'react';
import type { FormEvent, ReactElement, ReactNode } from 'react';
import type { Result } from '../../../shared/api.ts';
import { t } from '../i18n/messages.ts';
import { Dialog } from './Dialog.tsx';
import { LabeledInput } from './Field.tsx';
import { ErrorNotice } from './Notice.tsx';

/** One request at a time: busy while it runs, its error kept to show. */
export function useRequest() {
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
export function FormDialog({
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

/** Asks for a password again and sends it (`send`); a missing one is named before anything is sent. */
export function PasswordFormDialog<T>({
  title,
  body,
  label,
  submitLabel,
  send,
  onDone,
  onClose,
}: {
  title: string;
  body: string;
  label: string;
  submitLabel: string;
  send: (password: string) => Promise<Result<T>>;
  /** The answer; a message to show instead keeps the dialog open. */
  onDone: (value: T) => string | void;
  onClose: () => void;
}): ReactElement {
  const [password, setPassword] = useState('');
  const request = useRequest();
  const submit = (): void => {
    if (!password) request.setError(t('account.passwordMissing'));
    else
      void request.run(
        () => send(password),
        (value) => {
          const problem = onDone(value);
          if (problem) request.setError(problem);
        },
      );
  };
  return (
    <FormDialog title={title} busy={request.busy} error={request.error} submitLabel={submitLabel} onSubmit={submit} onClose={onClose}>
      <p>{body}</p>
      <LabeledInput
        label={label}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        data-autofocus
      />
    </FormDialog>
  );
}

/** Asks before something is removed: Cancel has the focus. */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  request,
  onConfirm,
  onClose,
}: {
  title: string;
  body: string;
  confirmLabel: string;
  request: { busy: boolean; error: string | null };
  onConfirm: () => void;
  onClose: () => void;
}): ReactElement {
  return (
    <Dialog title={title} onClose={onClose} size="small" busy={request.busy}>
      <p>{body}</p>
      <ErrorNotice message={request.error} />
      <div className="dl-actions">
        <button type="button" className="dl-button" onClick={onClose} disabled={request.busy} data-autofocus>
          {t('account.cancel')}
        </button>
        <button type="button" className="dl-button dl-button-danger" onClick={onConfirm} disabled={request.busy}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
