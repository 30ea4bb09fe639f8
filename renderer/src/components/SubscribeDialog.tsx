// Subscribing to a calendar by its link: the URL (webcal, webcals, https; plain http only when allowed), an
// optional name, how often to refresh it, and a login for a feed that asks for one. The first fetch runs while the
// dialog waits; what went wrong is told as text, and a feed that was added with problems says so in a notice.
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, InputHTMLAttributes, ReactElement } from 'react';
import type { SubscriptionView } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import { t } from '../i18n/messages.ts';
import { EMPTY_SUBSCRIBE_FORM, isPlainHttp, REFRESH_CHOICES, refreshText, subscribeRequest, validateSubscribeForm } from '../lib/subscriptions.ts';
import type { SubscribeFormValues } from '../lib/subscriptions.ts';
import { useClient } from '../state/client.tsx';
import { Dialog } from './Dialog.tsx';
import { LabeledInput } from './Field.tsx';
import { Icon } from './Icon.tsx';
import { ErrorNotice } from './Notice.tsx';

export interface SubscribeDialogProps {
  onClose: () => void;
  /**
   * Added (or, for a URL subscribed already, updated): the subscription, and what its feed breaks (feed-defect,
   * unreadable items) or, for one subscribed already, why this fetch failed (its last copy stays).
   */
  onSubscribed: (subscription: SubscriptionView, problems: DavlensError[]) => void;
}

type SetField = <K extends keyof SubscribeFormValues>(key: K, value: SubscribeFormValues[K]) => void;

/** The first fetch: running, or the errors of the one that failed (nothing was added). */
function useSubscribe(values: SubscribeFormValues, onSubscribed: SubscribeDialogProps['onSubscribed'], set: SetField) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<DavlensError[] | null>(null);
  const start = async (): Promise<void> => {
    setFailure(null);
    setBusy(true);
    const r = await client.subscribe(subscribeRequest(values));
    setBusy(false);
    if (!r.ok) setFailure([r.error]);
    else if (r.value.subscription) onSubscribed(r.value.subscription, r.value.errors);
    else {
      setFailure(r.value.errors);
      // The feed asked for a login: show where it goes.
      if (r.value.errors.some((e) => e.code === 'auth-failed')) set('login', true);
    }
  };
  return { busy, failure, start };
}

export function SubscribeDialog({ onClose, onSubscribed }: SubscribeDialogProps): ReactElement {
  const [values, setValues] = useState<SubscribeFormValues>(EMPTY_SUBSCRIBE_FORM);
  const [problem, setProblem] = useState<string | null>(null);
  const set: SetField = (key, value) => setValues((v) => ({ ...v, [key]: value }));
  const run = useSubscribe(values, onSubscribed, set);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const bad = validateSubscribeForm(values);
    setProblem(bad);
    if (!bad) void run.start();
  };
  return (
    <Dialog title={t('subscribe.title')} onClose={onClose} busy={run.busy} size="medium">
      <form className="dl-form dl-subscribe" onSubmit={submit} noValidate aria-label={t('subscribe.title')} aria-busy={run.busy}>
        <p className="dl-muted">{t('subscribe.intro')}</p>
        <fieldset className="dl-plain-fieldset" disabled={run.busy}>
          <SubscribeFields values={values} set={set} />
        </fieldset>
        <ErrorNotice message={problem} />
        {run.failure ? <SubscribeFailure errors={run.failure} /> : null}
        {run.busy ? <BusyStatus /> : null}
        <div className="dl-actions">
          <button type="button" className="dl-button" onClick={onClose} disabled={run.busy}>
            {t('account.cancel')}
          </button>
          <button type="submit" className="dl-button dl-button-primary" disabled={run.busy}>
            {t('subscribe.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function SubscribeFields({ values, set }: { values: SubscribeFormValues; set: SetField }): ReactElement {
  const refreshHint = useId();
  return (
    <>
      <HintedInput
        label={t('subscribe.url')}
        hint={t('subscribe.url.hint')}
        type="url"
        name="url"
        value={values.url}
        onChange={(e) => set('url', e.target.value)}
        placeholder="webcal://example.com/calendar.ics"
        maxLength={4096}
        autoComplete="off"
        spellCheck={false}
        required
        data-autofocus
      />
      {isPlainHttp(values.url) ? <InsecureCheck checked={values.insecureHttp} onChange={(v) => set('insecureHttp', v)} /> : null}
      <HintedInput
        label={t('subscribe.name')}
        hint={t('subscribe.name.hint')}
        name="name"
        maxLength={200}
        value={values.name}
        onChange={(e) => set('name', e.target.value)}
      />
      <div className="dl-field">
        <label>
          <span>{t('subscribe.refresh')}</span>
          <select name="refresh" value={values.refresh} onChange={(e) => set('refresh', e.target.value)} aria-describedby={refreshHint}>
            <option value="">{t('subscribe.refresh.feed')}</option>
            {REFRESH_CHOICES.map((m) => (
              <option key={m} value={String(m)}>
                {refreshText(m)}
              </option>
            ))}
          </select>
        </label>
        <small id={refreshHint}>{t('subscribe.refresh.hint')}</small>
      </div>
      <button type="button" className="dl-disclosure" aria-expanded={values.login} onClick={() => set('login', !values.login)}>
        <Icon name={values.login ? 'chevron-down' : 'chevron-right'} /> {t('subscribe.login')}
      </button>
      {values.login ? (
        <div className="dl-advanced">
          <LabeledInput
            label={t('subscribe.user')}
            name="user"
            autoComplete="off"
            spellCheck={false}
            value={values.user}
            onChange={(e) => set('user', e.target.value)}
          />
          <LabeledInput
            label={t('subscribe.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            value={values.password}
            onChange={(e) => set('password', e.target.value)}
          />
        </div>
      ) : null}
    </>
  );
}

/** The first fetch is running: said, and focused (the field or button that had the focus is disabled meanwhile). */
function BusyStatus(): ReactElement {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <p className="dl-muted dl-busy-status" role="status" tabIndex={-1} ref={ref}>
      <span className="dl-spinner" aria-hidden="true" /> {t('subscribe.busy')}
    </p>
  );
}

/** A text field with a hint below it that describes it. */
function HintedInput({ label, hint, ...input }: { label: string; hint: string } & InputHTMLAttributes<HTMLInputElement>): ReactElement {
  const id = useId();
  return (
    <div className="dl-field">
      <label>
        <span>{label}</span>
        <input {...input} aria-describedby={id} />
      </label>
      <small id={id}>{hint}</small>
    </div>
  );
}

function InsecureCheck({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }): ReactElement {
  const id = useId();
  return (
    <div className="dl-check">
      <input type="checkbox" id={id} name="insecureHttp" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={`${id}-hint`} />
      <span>
        <label htmlFor={id}>{t('subscribe.insecure')}</label>
        <small id={`${id}-hint`}>{t('subscribe.insecure.hint')}</small>
      </span>
    </div>
  );
}

/** Why the calendar was not added: each error's message, as text. Focused, so it is read first. */
function SubscribeFailure({ errors }: { errors: DavlensError[] }): ReactElement {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [errors]);
  const messages = [...new Set(errors.map((e) => e.message))];
  return (
    <div className="dl-outcome dl-outcome-error" role="alert" tabIndex={-1} ref={ref}>
      <h3>
        <Icon name="alert" /> {t('subscribe.failed')}
      </h3>
      {errors.some((e) => e.code === 'auth-failed') ? <p>{t('subscribe.failed.auth')}</p> : null}
      <ul className="dl-error-list">
        {messages.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  );
}
