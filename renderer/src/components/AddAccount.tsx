// Adding an account: email + password (Advanced: user name, server URL, DNS server, plain HTTP), live
// discovery progress from the engine's trace events, and answers a person can act on: approve an off-domain
// host before the password goes there, trust a certificate by its fingerprint, fix a refused password.
import { useId, useState } from 'react';
import type { ChangeEvent, FormEvent, InputHTMLAttributes, ReactElement, ReactNode } from 'react';
import type { AccountSummary, AddAccountOutcome } from '../../../shared/api.ts';
import type { CertificateInfo, DavlensError } from '../../../shared/errors.ts';
import type { DiscoveryResult } from '../../../shared/discovery.ts';
import { t } from '../i18n/messages.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { hostOf, triedPlaces } from '../lib/discovery.ts';
import { emailDomain, providerHint } from '../lib/providers.ts';
import type { ProviderHint } from '../lib/providers.ts';
import { EMPTY_ACCOUNT_FORM, useAddAccountFlow, validateAccountForm } from '../state/addAccount.ts';
import type { AccountFormValues, AddAccountFlow } from '../state/addAccount.ts';
import { CurlCommands, DiscoveryReport, StepList, TraceLog } from './DiscoveryTrace.tsx';
import { LabeledInput } from './Field.tsx';
import { Icon } from './Icon.tsx';
import { ErrorNotice } from './Notice.tsx';

export interface AddAccountProps {
  onAdded: (account: AccountSummary) => void;
  onCancel?: () => void;
  onDemo?: () => void;
  /** Tells a surrounding dialog that a request is running (Esc must not close it). */
  onBusyChange?: (busy: boolean) => void;
  /** True from the first Connect until the form shows again: the flow must stay on screen. */
  onActiveChange?: (active: boolean) => void;
}

type SetField = <K extends keyof AccountFormValues>(key: K, value: AccountFormValues[K]) => void;

export function AddAccount({ onAdded, onCancel, onDemo, onBusyChange, onActiveChange }: AddAccountProps): ReactElement {
  const form = useFormState();
  const flow = useAddAccountFlow(form.values, onBusyChange, onActiveChange);

  function submit(e: FormEvent): void {
    e.preventDefault();
    const problem = validateAccountForm(form.values);
    form.setFormError(problem);
    if (!problem) flow.start();
  }

  if (flow.phase.kind === 'form') return <AccountForm form={form} onSubmit={submit} onDemo={onDemo} onCancel={onCancel} />;
  return <DiscoveryProgress flow={flow} email={form.values.email} onAdded={onAdded} />;
}

/** The form's state, kept by AddAccount (not the form): after Back the form shows as it was left. */
function useFormState() {
  const [values, setValues] = useState<AccountFormValues>(EMPTY_ACCOUNT_FORM);
  const [formError, setFormError] = useState<string | null>(null);
  const [advanced, setAdvanced] = useState(false);
  const formId = useId();
  const set: SetField = (key, value) => setValues((v) => ({ ...v, [key]: value }));
  return { values, set, formError, setFormError, advanced, setAdvanced, formId };
}

function appPasswordText(hint: ProviderHint): string {
  return hint.kind === 'oauth' ? t('account.appPassword.google') : t('account.appPassword', { provider: hint.provider });
}

interface AccountFormProps {
  form: ReturnType<typeof useFormState>;
  onSubmit: (e: FormEvent) => void;
  onDemo?: () => void;
  onCancel?: () => void;
}

function AccountForm({ form, onSubmit, onDemo, onCancel }: AccountFormProps): ReactElement {
  const { values, set, advanced, setAdvanced, formId, formError } = form;
  const hint = providerHint(values.email);
  const bind = (name: 'email' | 'password') => ({ name, value: values[name], onChange: (e: ChangeEvent<HTMLInputElement>) => set(name, e.target.value) });
  return (
    <form className="dl-add-account" id={formId} onSubmit={onSubmit} noValidate aria-label={t('account.add.title')}>
      <LabeledInput
        label={t('account.email')}
        type="email"
        autoComplete="username"
        {...bind('email')}
        data-autofocus
        required
        spellCheck={false}
        placeholder="name@example.com"
      />
      {hint ? (
        <p className="dl-notice dl-notice-info" role="note">
          <Icon name="key" /> {appPasswordText(hint)}
        </p>
      ) : null}
      <LabeledInput label={t('account.password')} type="password" autoComplete="current-password" {...bind('password')} required />
      <button type="button" className="dl-disclosure" aria-expanded={advanced} onClick={() => setAdvanced((a) => !a)}>
        <Icon name={advanced ? 'chevron-down' : 'chevron-right'} /> {t('account.advanced')}
      </button>
      {advanced ? <AdvancedFields values={values} set={set} formId={formId} /> : null}
      <ErrorNotice message={formError} />
      <FormActions onDemo={onDemo} onCancel={onCancel} />
    </form>
  );
}

function AdvancedFields({ values, set, formId }: { values: AccountFormValues; set: SetField; formId: string }): ReactElement {
  return (
    <div className="dl-advanced">
      <HintedInput name="user" value={values.user} set={set} />
      <HintedInput name="server" value={values.server} set={set} />
      <HintedInput name="dns" value={values.dns} set={set} />
      <div className="dl-check">
        <input
          type="checkbox"
          id={`${formId}-insecure`}
          name="insecureHttp"
          checked={values.insecureHttp}
          onChange={(e) => set('insecureHttp', e.target.checked)}
          aria-describedby={`${formId}-insecure-hint`}
        />
        <span>
          <label htmlFor={`${formId}-insecure`}>{t('account.insecure')}</label>
          <small id={`${formId}-insecure-hint`}>{t('account.insecure.hint')}</small>
        </span>
      </div>
    </div>
  );
}

// The advanced text fields: names, URLs and addresses (no spell check), each with a hint below it.
const HINTED_FIELDS = {
  user: { label: 'account.user', hint: 'account.user.hint', input: { autoComplete: 'off' } },
  server: { label: 'account.server', hint: 'account.server.hint', input: { type: 'url', placeholder: 'https://dav.example.com/' } },
  dns: { label: 'account.dns', hint: 'account.dns.hint', input: { placeholder: '192.168.1.1:53' } },
} satisfies Record<string, { label: MessageKey; hint: MessageKey; input: InputHTMLAttributes<HTMLInputElement> }>;

function HintedInput({ name, value, set }: { name: keyof typeof HINTED_FIELDS; value: string; set: SetField }): ReactElement {
  const id = useId();
  const field = HINTED_FIELDS[name];
  return (
    <div className="dl-field">
      <label>
        <span>{t(field.label)}</span>
        <input name={name} {...field.input} value={value} onChange={(e) => set(name, e.target.value)} spellCheck={false} aria-describedby={id} />
      </label>
      <small id={id}>{t(field.hint)}</small>
    </div>
  );
}

function FormActions({ onDemo, onCancel }: { onDemo?: () => void; onCancel?: () => void }): ReactElement {
  return (
    <div className="dl-actions">
      {onDemo ? (
        <button type="button" className="dl-button dl-button-quiet dl-push-left" onClick={onDemo}>
          {t('welcome.demo')}
        </button>
      ) : null}
      {onCancel ? (
        <button type="button" className="dl-button" onClick={onCancel}>
          {t('account.cancel')}
        </button>
      ) : null}
      <button type="submit" className="dl-button dl-button-primary">
        {t('account.connect')}
      </button>
    </div>
  );
}

function DiscoveryProgress({ flow, email, onAdded }: { flow: AddAccountFlow; email: string; onAdded: (account: AccountSummary) => void }): ReactElement {
  const { phase, trace } = flow;
  const running = phase.kind === 'running';
  const domain = emailDomain(email) ?? '';
  const discovery: DiscoveryResult | null = phase.kind === 'outcome' ? phase.outcome.discovery : null;
  return (
    <div className="dl-discovery" aria-busy={running}>
      <p className="dl-discovery-for">
        {running ? <span className="dl-spinner" aria-hidden="true" /> : null} {running ? t('account.adding') : email}
      </p>
      {phase.kind === 'outcome' ? <OutcomePanel outcome={phase.outcome} domain={domain} flow={flow} onDone={onAdded} /> : null}
      {phase.kind === 'error' ? <RequestFailed error={phase.error} onBack={flow.back} onRetry={flow.retry} /> : null}
      <StepList trace={trace} running={running} />
      {discovery && (discovery.caldav || discovery.carddav) ? <DiscoveryReport discovery={discovery} domain={domain} /> : null}
      <details className="dl-log" open={running}>
        <summary>{t('discovery.log', { count: trace.filter((e) => e.kind !== 'note').length })}</summary>
        <TraceLog trace={trace} />
      </details>
      {!running ? <CurlCommands trace={trace} /> : null}
    </div>
  );
}

/** The request itself failed (no discovery outcome to show). */
function RequestFailed({ error, onBack, onRetry }: { error: DavlensError; onBack: () => void; onRetry: () => void }): ReactElement {
  return (
    <ErrorOutcome title={t('error.generic.title')} body={error.message}>
      <RetryActions onBack={onBack} onRetry={onRetry} />
    </ErrorOutcome>
  );
}

function ErrorOutcome({ title, body, children }: { title: string; body: string; children: ReactNode }): ReactElement {
  return (
    <div className="dl-outcome dl-outcome-error" role="alert">
      <h3>
        <Icon name="alert" /> {title}
      </h3>
      <p>{body}</p>
      {children}
    </div>
  );
}

function RetryActions({ onBack, onRetry, focusBack = false }: { onBack: () => void; onRetry: () => void; focusBack?: boolean }): ReactElement {
  return (
    <div className="dl-actions">
      <button type="button" className="dl-button" onClick={onBack} data-autofocus={focusBack || undefined}>
        {t('account.back')}
      </button>
      <button type="button" className="dl-button dl-button-primary" onClick={onRetry}>
        {t('account.tryAgain')}
      </button>
    </div>
  );
}

interface OutcomeProps {
  outcome: AddAccountOutcome;
  domain: string;
  flow: AddAccountFlow;
  onDone: (account: AccountSummary) => void;
}

function OutcomePanel({ outcome, domain, flow, onDone }: OutcomeProps): ReactElement {
  const { approveHost: onApprove, trustCertificate: onTrust, back: onBack, retry: onRetry } = flow;
  if (outcome.status === 'added') {
    return (
      <div className="dl-outcome dl-outcome-ok" role="status">
        <h3>
          <Icon name="check" /> {t('account.added')}
        </h3>
        <div className="dl-actions">
          <button type="button" className="dl-button dl-button-primary" data-autofocus onClick={() => onDone(outcome.account)}>
            {t('account.done')}
          </button>
        </div>
      </div>
    );
  }
  if (outcome.status === 'needs-approval') {
    const host = outcome.host;
    return (
      <div className="dl-outcome dl-outcome-warn" role="alertdialog" aria-label={t('error.approval.title', { host })}>
        <h3>
          <Icon name="alert" /> {t('error.approval.title', { host })}
        </h3>
        <p>{t('error.approval.body', { host, domain })}</p>
        <div className="dl-actions">
          <button type="button" className="dl-button" onClick={onBack}>
            {t('account.cancel')}
          </button>
          <button type="button" className="dl-button dl-button-primary" data-autofocus onClick={() => onApprove(host)}>
            {t('error.approval.send', { host })}
          </button>
        </div>
      </div>
    );
  }
  if (outcome.status === 'untrusted-certificate') {
    return (
      <CertificatePanel
        cert={outcome.certificate}
        onTrust={onTrust}
        onBack={onBack}
        mismatch={outcome.discovery.errors.some((e) => e.code === 'tls-pin-mismatch')}
      />
    );
  }
  return <FailurePanel discovery={outcome.discovery} domain={domain} onBack={onBack} onRetry={onRetry} onTrust={onTrust} />;
}

export function CertificatePanel({
  cert,
  onTrust,
  onBack,
  mismatch = false,
}: {
  cert: CertificateInfo;
  onTrust: (c: CertificateInfo) => void;
  onBack: () => void;
  mismatch?: boolean;
}): ReactElement {
  const host = cert.port === 443 ? cert.host : `${cert.host}:${cert.port}`;
  return (
    <div className="dl-outcome dl-outcome-warn" role="alertdialog" aria-label={t(mismatch ? 'error.cert.pinMismatch.title' : 'error.cert.title', { host })}>
      <h3>
        <Icon name="lock" /> {t(mismatch ? 'error.cert.pinMismatch.title' : 'error.cert.title', { host })}
      </h3>
      <p>{t(mismatch ? 'error.cert.pinMismatch.body' : 'error.cert.body')}</p>
      <dl className="dl-facts dl-cert">
        <dt>{t('error.cert.fingerprint')}</dt>
        <dd className="dl-mono dl-fingerprint" data-testid="cert-fingerprint">
          {cert.fingerprint256}
        </dd>
        <dt>{t('error.cert.subject')}</dt>
        <dd className="dl-mono">{cert.subject}</dd>
        <dt>{t('error.cert.issuer')}</dt>
        <dd className="dl-mono">{cert.issuer}</dd>
        <dt>{t('error.cert.valid')}</dt>
        <dd>{t('error.cert.validRange', { from: cert.validFrom, to: cert.validTo })}</dd>
        <dt>{t('error.cert.reason')}</dt>
        <dd className="dl-mono">{cert.reason}</dd>
      </dl>
      <div className="dl-actions">
        <button type="button" className="dl-button" onClick={onBack}>
          {t('account.cancel')}
        </button>
        <button type="button" className="dl-button dl-button-danger" onClick={() => onTrust(cert)}>
          {t('error.cert.trust')}
        </button>
      </div>
    </div>
  );
}

interface Failure {
  title: string;
  body: string;
  /** The places discovery looked, when it found nothing. */
  tried: string[] | null;
  /** The errors the title and body do not already tell. */
  others: DavlensError[];
}

/** What to say when discovery ended without an account: the most telling error first. */
function describeFailure(discovery: DiscoveryResult, domain: string): Failure {
  const errors = discovery.errors;
  const auth = errors.find((e) => e.code === 'auth-failed');
  const insecure = errors.find((e) => e.code === 'insecure-refused');
  const notFound = errors.find((e) => e.code === 'service-not-found' || e.code === 'service-not-offered' || e.code === 'dns-failed');
  const network = errors.find((e) => e.code === 'network' || e.code === 'timeout');
  const others = errors.filter((e) => e !== auth && e !== insecure && e !== notFound && e !== network);
  if (auth) {
    const hint = providerHint(`x@${domain}`);
    const body = t('error.auth.body', { host: hostOf(auth.url) || domain });
    return { title: t('error.auth.title'), body: hint ? `${body} ${appPasswordText(hint)}` : body, tried: null, others };
  }
  if (insecure) return { title: t('error.insecure.title'), body: t('error.insecure.body'), tried: null, others };
  if (notFound || (!network && !discovery.caldav && !discovery.carddav)) {
    return { title: t('error.notFound.title', { domain }), body: t('error.notFound.body'), tried: triedPlaces(discovery.trace), others };
  }
  if (network) return { title: t(network.code === 'timeout' ? 'error.timeout.title' : 'error.network.title'), body: network.message, tried: null, others };
  return { title: t('error.generic.title'), body: errors[0]?.message ?? '', tried: null, others };
}

function FailurePanel({
  discovery,
  domain,
  onBack,
  onRetry,
  onTrust,
}: {
  discovery: DiscoveryResult;
  domain: string;
  onBack: () => void;
  onRetry: () => void;
  onTrust: (c: CertificateInfo) => void;
}): ReactElement {
  const cert = discovery.errors.find((e) => (e.code === 'tls-untrusted' || e.code === 'tls-pin-mismatch') && e.certificate);
  if (cert?.certificate) return <CertificatePanel cert={cert.certificate} onTrust={onTrust} onBack={onBack} mismatch={cert.code === 'tls-pin-mismatch'} />;
  const { title, body, tried, others } = describeFailure(discovery, domain);
  return (
    <ErrorOutcome title={title} body={body}>
      {tried ? <TriedPlaces tried={tried} /> : null}
      {others.length ? (
        <ul className="dl-error-list">
          {[...new Set(others.map((e) => e.message))].map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
      <RetryActions onBack={onBack} onRetry={onRetry} focusBack />
    </ErrorOutcome>
  );
}

function TriedPlaces({ tried }: { tried: string[] }): ReactElement {
  return (
    <div className="dl-tried">
      <h4>{t('error.notFound.tried')}</h4>
      <ul>
        {tried.map((line) => (
          <li key={line} className="dl-mono">
            {line}
          </li>
        ))}
      </ul>
    </div>
  );
}
