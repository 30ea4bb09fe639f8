// Adding an account: email + password (Advanced: user name, server URL, DNS server, plain HTTP), live
// discovery progress from the engine's trace events, and answers a person can act on: approve an off-domain
// host before the password goes there, trust a certificate by its fingerprint, fix a refused password.
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { AccountSummary, AddAccountOutcome, AddAccountRequest } from '../../../shared/api.ts';
import type { CertificateInfo, DavlensError } from '../../../shared/errors.ts';
import type { DiscoveryResult } from '../../../shared/discovery.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import { t } from '../i18n/messages.ts';
import { hostOf, triedPlaces } from '../lib/discovery.ts';
import { emailDomain, isEmail, providerHint } from '../lib/providers.ts';
import { useClient } from '../state/client.tsx';
import { CurlCommands, DiscoveryReport, StepList, TraceLog } from './DiscoveryTrace.tsx';
import { Icon } from './Icon.tsx';

export interface AddAccountProps {
  onAdded: (account: AccountSummary) => void;
  onCancel?: () => void;
  onDemo?: () => void;
  /** Tells a surrounding dialog that a request is running (Esc must not close it). */
  onBusyChange?: (busy: boolean) => void;
  /** True from the first Connect until the form shows again: the flow must stay on screen. */
  onActiveChange?: (active: boolean) => void;
}

interface FormValues {
  email: string;
  password: string;
  user: string;
  server: string;
  dns: string;
  insecureHttp: boolean;
}

type Phase = { kind: 'form' } | { kind: 'running' } | { kind: 'outcome'; outcome: AddAccountOutcome } | { kind: 'error'; error: DavlensError };

function newOperationId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  return `op-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export function AddAccount({ onAdded, onCancel, onDemo, onBusyChange, onActiveChange }: AddAccountProps): ReactElement {
  const client = useClient();
  const [values, setValues] = useState<FormValues>({ email: '', password: '', user: '', server: '', dns: '', insecureHttp: false });
  const [advanced, setAdvanced] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });
  const [trace, setTrace] = useState<TraceEntry[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  // Answers accumulate across retries: a host approved and a certificate trusted stay so.
  const trustHosts = useRef<string[]>([]);
  const pins = useRef<Record<string, string>>({});
  const mounted = useRef(true);
  const formId = useId();
  useEffect(() => {
    // Set here too: React's StrictMode runs effects twice (mount, cleanup, mount) in development.
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => onBusyChange?.(phase.kind === 'running'), [phase.kind, onBusyChange]);
  useEffect(() => onActiveChange?.(phase.kind !== 'form'), [phase.kind, onActiveChange]);

  const hint = providerHint(values.email);
  const domain = emailDomain(values.email) ?? '';

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]): void => setValues((v) => ({ ...v, [key]: value }));

  function validate(): string | null {
    if (!isEmail(values.email)) return t('account.emailInvalid');
    if (!values.password) return t('account.passwordMissing');
    const server = values.server.trim();
    if (server && !/^https:\/\//i.test(server) && !(values.insecureHttp && /^http:\/\//i.test(server))) return t('account.serverInvalid');
    return null;
  }

  async function run(): Promise<void> {
    const operationId = newOperationId();
    const req: AddAccountRequest = { email: values.email.trim(), password: values.password, operationId };
    if (values.user.trim()) req.user = values.user.trim();
    if (values.server.trim()) req.server = values.server.trim();
    if (values.dns.trim()) req.dns = values.dns.trim();
    if (values.insecureHttp) req.insecureHttp = true;
    if (trustHosts.current.length) req.trustHosts = [...trustHosts.current];
    if (Object.keys(pins.current).length) req.pins = { ...pins.current };
    setTrace([]);
    setPhase({ kind: 'running' });
    const live: TraceEntry[] = [];
    const off = client.onProgress((e) => {
      if (e.type === 'trace' && e.operationId === operationId && mounted.current) {
        live.push(e.entry);
        setTrace([...live]);
      }
    });
    let r;
    try {
      r = await client.addAccount(req);
    } finally {
      off();
    }
    if (!mounted.current) return;
    if (!r.ok) {
      setPhase({ kind: 'error', error: r.error });
      return;
    }
    // The final trace is authoritative (progress events may arrive late or not at all).
    if (r.value.discovery.trace.length >= live.length) setTrace(r.value.discovery.trace);
    setPhase({ kind: 'outcome', outcome: r.value });
  }

  function submit(e: FormEvent): void {
    e.preventDefault();
    const problem = validate();
    setFormError(problem);
    if (problem) return;
    trustHosts.current = [];
    pins.current = {};
    void run();
  }

  function approveHost(host: string): void {
    trustHosts.current = [...new Set([...trustHosts.current, host])];
    void run();
  }

  function trustCertificate(cert: CertificateInfo): void {
    pins.current = { ...pins.current, [`${cert.host}:${cert.port}`]: cert.spkiPin };
    void run();
  }

  if (phase.kind === 'form') {
    return (
      <form className="dl-add-account" id={formId} onSubmit={submit} noValidate aria-label={t('account.add.title')}>
        <label className="dl-field">
          <span>{t('account.email')}</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            value={values.email}
            onChange={(e) => set('email', e.target.value)}
            data-autofocus
            required
            spellCheck={false}
            placeholder="name@example.com"
          />
        </label>
        {hint ? (
          <p className="dl-notice dl-notice-info" role="note">
            <Icon name="key" /> {hint.kind === 'oauth' ? t('account.appPassword.google') : t('account.appPassword', { provider: hint.provider })}
          </p>
        ) : null}
        <label className="dl-field">
          <span>{t('account.password')}</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            value={values.password}
            onChange={(e) => set('password', e.target.value)}
            required
          />
        </label>
        <button type="button" className="dl-disclosure" aria-expanded={advanced} onClick={() => setAdvanced((a) => !a)}>
          <Icon name={advanced ? 'chevron-down' : 'chevron-right'} /> {t('account.advanced')}
        </button>
        {advanced ? (
          <div className="dl-advanced">
            <Field label={t('account.user')} hint={t('account.user.hint')}>
              {(hintId) => (
                <input
                  name="user"
                  value={values.user}
                  onChange={(e) => set('user', e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  aria-describedby={hintId}
                />
              )}
            </Field>
            <Field label={t('account.server')} hint={t('account.server.hint')}>
              {(hintId) => (
                <input
                  name="server"
                  type="url"
                  value={values.server}
                  onChange={(e) => set('server', e.target.value)}
                  placeholder="https://dav.example.com/"
                  spellCheck={false}
                  aria-describedby={hintId}
                />
              )}
            </Field>
            <Field label={t('account.dns')} hint={t('account.dns.hint')}>
              {(hintId) => (
                <input
                  name="dns"
                  value={values.dns}
                  onChange={(e) => set('dns', e.target.value)}
                  placeholder="192.168.1.1:53"
                  spellCheck={false}
                  aria-describedby={hintId}
                />
              )}
            </Field>
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
        ) : null}
        {formError ? (
          <p className="dl-notice dl-notice-error" role="alert">
            {formError}
          </p>
        ) : null}
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
      </form>
    );
  }

  const running = phase.kind === 'running';
  const discovery: DiscoveryResult | null = phase.kind === 'outcome' ? phase.outcome.discovery : null;
  return (
    <div className="dl-discovery" aria-busy={running}>
      <p className="dl-discovery-for">
        {running ? <span className="dl-spinner" aria-hidden="true" /> : null} {running ? t('account.adding') : values.email}
      </p>
      {phase.kind === 'outcome' ? (
        <OutcomePanel
          outcome={phase.outcome}
          domain={domain}
          onApprove={approveHost}
          onTrust={trustCertificate}
          onBack={() => setPhase({ kind: 'form' })}
          onRetry={() => void run()}
          onDone={onAdded}
        />
      ) : null}
      {phase.kind === 'error' ? (
        <div className="dl-outcome dl-outcome-error" role="alert">
          <h3>
            <Icon name="alert" /> {t('error.generic.title')}
          </h3>
          <p>{phase.error.message}</p>
          <div className="dl-actions">
            <button type="button" className="dl-button" onClick={() => setPhase({ kind: 'form' })}>
              {t('account.back')}
            </button>
            <button type="button" className="dl-button dl-button-primary" onClick={() => void run()}>
              {t('account.tryAgain')}
            </button>
          </div>
        </div>
      ) : null}
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

function Field({ label, hint, children }: { label: string; hint: string; children: (hintId: string) => ReactElement }): ReactElement {
  const id = useId();
  return (
    <div className="dl-field">
      <label>
        <span>{label}</span>
        {children(id)}
      </label>
      <small id={id}>{hint}</small>
    </div>
  );
}

interface OutcomeProps {
  outcome: AddAccountOutcome;
  domain: string;
  onApprove: (host: string) => void;
  onTrust: (cert: CertificateInfo) => void;
  onBack: () => void;
  onRetry: () => void;
  onDone: (account: AccountSummary) => void;
}

function OutcomePanel({ outcome, domain, onApprove, onTrust, onBack, onRetry, onDone }: OutcomeProps): ReactElement {
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
  const errors = discovery.errors;
  const auth = errors.find((e) => e.code === 'auth-failed');
  const cert = errors.find((e) => (e.code === 'tls-untrusted' || e.code === 'tls-pin-mismatch') && e.certificate);
  const insecure = errors.find((e) => e.code === 'insecure-refused');
  const notFound = errors.find((e) => e.code === 'service-not-found' || e.code === 'service-not-offered' || e.code === 'dns-failed');
  const network = errors.find((e) => e.code === 'network' || e.code === 'timeout');
  const actions = (
    <div className="dl-actions">
      <button type="button" className="dl-button" onClick={onBack} data-autofocus>
        {t('account.back')}
      </button>
      <button type="button" className="dl-button dl-button-primary" onClick={onRetry}>
        {t('account.tryAgain')}
      </button>
    </div>
  );
  if (cert?.certificate) return <CertificatePanel cert={cert.certificate} onTrust={onTrust} onBack={onBack} mismatch={cert.code === 'tls-pin-mismatch'} />;
  let title: string;
  let body: string;
  let extra: ReactElement | null = null;
  if (auth) {
    title = t('error.auth.title');
    body = t('error.auth.body', { host: hostOf(auth.url) || domain });
    const hint = providerHint(`x@${domain}`);
    if (hint) body += ` ${hint.kind === 'oauth' ? t('account.appPassword.google') : t('account.appPassword', { provider: hint.provider })}`;
  } else if (insecure) {
    title = t('error.insecure.title');
    body = t('error.insecure.body');
  } else if (notFound || (!network && !discovery.caldav && !discovery.carddav)) {
    title = t('error.notFound.title', { domain });
    body = t('error.notFound.body');
    const tried = triedPlaces(discovery.trace);
    extra = (
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
  } else if (network) {
    title = t(network.code === 'timeout' ? 'error.timeout.title' : 'error.network.title');
    body = network.message;
  } else {
    title = t('error.generic.title');
    body = errors[0]?.message ?? '';
  }
  const others = errors.filter((e) => e !== auth && e !== insecure && e !== notFound && e !== network);
  return (
    <div className="dl-outcome dl-outcome-error" role="alert">
      <h3>
        <Icon name="alert" /> {title}
      </h3>
      <p>{body}</p>
      {extra}
      {others.length ? (
        <ul className="dl-error-list">
          {[...new Set(others.map((e) => e.message))].map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
      {actions}
    </div>
  );
}
