// Adding an account: email + password (Advanced: user name, server URL, DNS server, plain HTTP), live
// discovery progress from the engine's trace events, and answers a person can act on: approve an off-domain
// host before the password goes there, trust a certificate by its fingerprint, fix a refused password.
import { useEffect, useId, useRef, useState } from 'react';
import type { ChangeEvent, FormEvent, InputHTMLAttributes, ReactElement, ReactNode } from 'react';
import type { AccountSummary, AddAccountOutcome } from '../../../shared/api.ts';
import type { CertificateInfo, DavlensError } from '../../../shared/errors.ts';
import type { DiscoveryResult, DiscoveryStepRecord } from '../../../shared/discovery.ts';
import { t } from '../i18n/messages.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { hostOf, triedPlaces } from '../lib/discovery.ts';
import { emailDomain, providerHint } from '../lib/providers.ts';
import type { ProviderHint } from '../lib/providers.ts';
import { EMPTY_ACCOUNT_FORM, useAddAccountFlow, validateAccountForm } from '../state/addAccount.ts';
import type { AccountFormValues, AddAccountFlow } from '../state/addAccount.ts';
import { CurlCommands, DiscoveryReport, StepList, TraceLog } from './DiscoveryTrace.tsx';
import { LabeledInput } from './Field.tsx';
import { FoundCollections } from './FoundCollections.tsx';
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
  /** The zone the calendar shows (its first days are asked for with the account). */
  tz: string;
}

type SetField = <K extends keyof AccountFormValues>(key: K, value: AccountFormValues[K]) => void;

export function AddAccount({ onAdded, onCancel, onDemo, onBusyChange, onActiveChange, tz }: AddAccountProps): ReactElement {
  const form = useFormState();
  const flow = useAddAccountFlow(form.values, tz, onBusyChange, onActiveChange);

  function submit(e: FormEvent): void {
    e.preventDefault();
    const problem = validateAccountForm(form.values);
    form.setFormError(problem);
    if (!problem) flow.start();
  }

  if (flow.phase.kind === 'form') return <AccountForm form={form} onSubmit={submit} onDemo={onDemo} onCancel={onCancel} />;
  // A password asked again after a refusal becomes the form's too (Back shows it, the next retry sends it).
  const retryWithPassword = (password: string): void => {
    form.set('password', password);
    flow.retry(password);
  };
  return (
    <DiscoveryProgress flow={flow} email={form.values.email} manual={form.values.server.trim() !== ''} onAdded={onAdded} onRetryPassword={retryWithPassword} />
  );
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

interface ProgressProps {
  flow: AddAccountFlow;
  email: string;
  /** A server URL was given: its request is a step of its own. */
  manual: boolean;
  onAdded: (account: AccountSummary) => void;
  onRetryPassword: (password: string) => void;
}

function DiscoveryProgress({ flow, email, manual, onAdded, onRetryPassword }: ProgressProps): ReactElement {
  const { phase, trace } = flow;
  const running = phase.kind === 'running';
  const domain = emailDomain(email) ?? '';
  const discovery: DiscoveryResult | null = phase.kind === 'outcome' ? phase.outcome.discovery : null;
  return (
    <div className="dl-discovery" aria-busy={running}>
      <p className="dl-discovery-for">
        {running ? <span className="dl-spinner" aria-hidden="true" /> : null} {running ? t('account.adding') : email}
      </p>
      {phase.kind === 'outcome' ? (
        <OutcomePanel outcome={phase.outcome} domain={domain} manual={manual} flow={flow} onDone={onAdded} onRetryPassword={onRetryPassword} />
      ) : null}
      {phase.kind === 'error' ? <RequestFailed error={phase.error} onBack={flow.back} onRetry={() => flow.retry()} /> : null}
      <StepList trace={trace} running={running} records={discovery?.steps ?? null} manual={manual} />
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
  manual: boolean;
  flow: AddAccountFlow;
  onDone: (account: AccountSummary) => void;
  onRetryPassword: (password: string) => void;
}

function OutcomePanel({ outcome, domain, manual, flow, onDone, onRetryPassword }: OutcomeProps): ReactElement {
  const { approveHost: onApprove, trustCertificate: onTrust, back: onBack } = flow;
  if (outcome.status === 'added') {
    return (
      <div className="dl-outcome dl-outcome-ok">
        <h3 role="status">
          <Icon name="check" /> {t('account.added')}
        </h3>
        <FoundCollections account={outcome.account} />
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
  return (
    <FailurePanel
      discovery={outcome.discovery}
      domain={domain}
      manual={manual}
      onBack={onBack}
      onRetry={() => flow.retry()}
      onRetryPassword={onRetryPassword}
      onTrust={onTrust}
    />
  );
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
  /** The password was refused: ask for it again. */
  askPassword: boolean;
  /** The places discovery looked, when it found nothing. */
  tried: string[] | null;
  /** The errors the title and body do not already tell. */
  others: DavlensError[];
}

/** The steps that ran, each as what it did (one line per service where they differ); the trace's requests before steps were recorded. */
function triedSteps(discovery: DiscoveryResult): string[] {
  const ran = discovery.steps.filter((s: DiscoveryStepRecord) => s.outcome !== 'skipped');
  if (ran.length === 0) return triedPlaces(discovery.trace);
  return [...new Set(ran.map((s) => s.detail))];
}

/** What to say when discovery ended without an account: the most telling error first. */
function describeFailure(discovery: DiscoveryResult, domain: string, manual: boolean): Failure {
  const errors = discovery.errors;
  const auth = errors.find((e) => e.code === 'auth-failed');
  const insecure = errors.find((e) => e.code === 'insecure-refused');
  const unresolved = errors.find((e) => e.code === 'dns-failed');
  const notFound = errors.find((e) => e.code === 'service-not-found' || e.code === 'service-not-offered');
  const network = errors.find((e) => e.code === 'network' || e.code === 'timeout');
  const told = [auth, insecure, unresolved, notFound, network];
  const others = errors.filter((e) => !told.includes(e));
  const failure = { askPassword: false, tried: null, others };
  if (auth) {
    const hint = providerHint(`x@${domain}`);
    const body = t('error.auth.body', { host: hostOf(auth.url) || domain });
    return { ...failure, title: t('error.auth.title'), body: hint ? `${body} ${appPasswordText(hint)}` : body, askPassword: true };
  }
  if (insecure) return { ...failure, title: t('error.insecure.title'), body: t('error.insecure.body') };
  if (unresolved) {
    const host = new URL(unresolved.url ?? `https://${domain}/`).hostname;
    return { ...failure, title: t('error.dns.title', { host }), body: t(manual ? 'error.dns.body.server' : 'error.dns.body', { host }) };
  }
  if (notFound || (!network && !discovery.caldav && !discovery.carddav)) {
    // The list of steps says what each "not found" error says, attempt by attempt: those are not repeated below it.
    const rest = others.filter((e) => e.code !== 'service-not-found' && e.code !== 'service-not-offered');
    return { ...failure, title: t('error.notFound.title', { domain }), body: t('error.notFound.body'), tried: triedSteps(discovery), others: rest };
  }
  if (network) return { ...failure, title: t(network.code === 'timeout' ? 'error.timeout.title' : 'error.network.title'), body: network.message };
  return { ...failure, title: t('error.generic.title'), body: errors[0]?.message ?? '' };
}

function FailurePanel({
  discovery,
  domain,
  manual,
  onBack,
  onRetry,
  onRetryPassword,
  onTrust,
}: {
  discovery: DiscoveryResult;
  domain: string;
  manual: boolean;
  onBack: () => void;
  onRetry: () => void;
  onRetryPassword: (password: string) => void;
  onTrust: (c: CertificateInfo) => void;
}): ReactElement {
  const cert = discovery.errors.find((e) => (e.code === 'tls-untrusted' || e.code === 'tls-pin-mismatch') && e.certificate);
  if (cert?.certificate) return <CertificatePanel cert={cert.certificate} onTrust={onTrust} onBack={onBack} mismatch={cert.code === 'tls-pin-mismatch'} />;
  const { title, body, askPassword, tried, others } = describeFailure(discovery, domain, manual);
  if (askPassword) {
    return (
      <ErrorOutcome title={title} body={body}>
        <PasswordRetry onBack={onBack} onRetry={onRetryPassword} />
      </ErrorOutcome>
    );
  }
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

/** After a refused password: the password again (focused, empty), and Try again sends it. */
function PasswordRetry({ onBack, onRetry }: { onBack: () => void; onRetry: (password: string) => void }): ReactElement {
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  function submit(e: FormEvent): void {
    e.preventDefault();
    if (!password) {
      setMissing(true);
      input.current?.focus();
      return;
    }
    onRetry(password);
  }
  return (
    <form className="dl-password-retry" onSubmit={submit} noValidate>
      <p>{t('account.retryPassword')}</p>
      <LabeledInput
        ref={input}
        label={t('account.password')}
        type="password"
        name="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => {
          setPassword(e.target.value);
          setMissing(false);
        }}
        required
      />
      <ErrorNotice message={missing ? t('account.passwordMissing') : null} />
      <div className="dl-actions">
        <button type="button" className="dl-button" onClick={onBack}>
          {t('account.back')}
        </button>
        <button type="submit" className="dl-button dl-button-primary">
          {t('account.tryAgain')}
        </button>
      </div>
    </form>
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
