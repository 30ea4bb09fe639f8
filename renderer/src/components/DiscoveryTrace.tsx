// Discovery as it happens and afterwards: the checklist of steps (and what each did), every DNS query and HTTP exchange as a
// line, the found services, and "Copy as curl" for the whole walk-through (the protocol inspector).
import { useMemo, useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { traceToCommands } from '../../../shared/curl.ts';
import type { DiscoveryResult, DiscoveryStepRecord, ServiceResult } from '../../../shared/discovery.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import { t } from '../i18n/messages.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { entryLine, liveSteps, recordedSteps } from '../lib/discovery.ts';
import type { StepState } from '../lib/discovery.ts';
import { Icon } from './Icon.tsx';

/**
 * The checklist of discovery's steps: live from the trace while it runs, then as the engine recorded them (what
 * each step did, or why it did not run). `manual`: a server URL was given, so its request is a step of its own.
 */
export function StepList({
  trace,
  running,
  records,
  manual,
}: {
  trace: TraceEntry[];
  running: boolean;
  records: DiscoveryStepRecord[] | null;
  manual: boolean;
}): ReactElement {
  const steps = !running && records?.length ? recordedSteps(records) : liveSteps(trace, running, manual);
  return (
    <ol className="dl-steps" aria-label={t('discovery.title')}>
      {steps.map(({ step, state, details }) => (
        <li key={step} className={`dl-step dl-step-${state}`} data-step={step} data-state={state}>
          <span className="dl-step-mark" aria-hidden="true">
            <StepMark state={state} />
          </span>
          <span className="dl-step-text">
            <span className="dl-step-label">{t(`discovery.step.${step}` as MessageKey)}</span>
            <span className="dl-visually-hidden">, {t(`discovery.state.${state}` as MessageKey)}</span>
            {details.map((d) => (
              <small key={`${d.service ?? ''} ${d.text}`} className="dl-step-detail">
                {d.service ? `${t(d.service === 'caldav' ? 'account.caldav' : 'account.carddav')}: ` : ''}
                {d.text}
              </small>
            ))}
          </span>
        </li>
      ))}
    </ol>
  );
}

function StepMark({ state }: { state: StepState }): ReactElement | null {
  switch (state) {
    case 'done':
      return <Icon name="check" size={14} />;
    case 'failed':
      return <Icon name="alert" size={14} />;
    case 'not-found':
      return <Icon name="close" size={12} />;
    case 'waiting':
      return <Icon name="lock" size={12} />;
    case 'active':
      return <span className="dl-spinner" />;
    default:
      return null;
  }
}

export function TraceLog({ trace }: { trace: TraceEntry[] }): ReactElement {
  return (
    <ol className="dl-trace" aria-live="polite" aria-relevant="additions">
      {trace.length === 0 ? <li className="dl-muted">{t('discovery.none')}</li> : null}
      {trace.map((e, i) => (
        <li key={i} className={`dl-trace-${e.kind}`}>
          <span className="dl-trace-step">{e.kind === 'note' ? '›' : e.kind === 'dns' ? 'DNS' : 'HTTP'}</span>
          <span className="dl-trace-text">{entryLine(e)}</span>
        </li>
      ))}
    </ol>
  );
}

/** One <dt>/<dd> pair of a service's facts, left out when there is nothing to say. */
export function Fact({
  label,
  show = true,
  mono = true,
  children,
}: {
  label: MessageKey;
  show?: boolean;
  mono?: boolean;
  children: ReactNode;
}): ReactElement | null {
  if (!show) return null;
  return (
    <>
      <dt>{t(label)}</dt>
      <dd className={mono ? 'dl-mono' : undefined}>{children}</dd>
    </>
  );
}

function ServiceReport({ kind, service, domain }: { kind: 'caldav' | 'carddav'; service: ServiceResult | null; domain: string }): ReactElement {
  return (
    <section className="dl-service-report" aria-label={t(kind === 'caldav' ? 'account.caldav' : 'account.carddav')}>
      <h4>
        <Icon name={kind === 'caldav' ? 'calendar' : 'contacts'} /> {t(kind === 'caldav' ? 'account.caldav' : 'account.carddav')}
        {service ? (
          <span className="dl-badge dl-badge-ok">{t(`discovery.via.${service.via}` as MessageKey)}</span>
        ) : (
          <span className="dl-badge">{t('account.notFound')}</span>
        )}
      </h4>
      {service ? (
        <dl className="dl-facts">
          <dt>{t('discovery.context')}</dt>
          <dd className="dl-mono">
            {service.context}
            {service.offDomain ? <span className="dl-badge dl-badge-warn">{t('discovery.offDomain', { domain })}</span> : null}
          </dd>
          <Fact label="discovery.principal" show={!!service.principal}>
            {service.principal}
          </Fact>
          <Fact label="discovery.homeSets" show={service.homeSets.length > 0}>
            {service.homeSets.map((h) => (
              <div key={h}>{h}</div>
            ))}
          </Fact>
          <Fact label="discovery.username" show={!!service.username} mono={false}>
            {service.username}
          </Fact>
        </dl>
      ) : null}
    </section>
  );
}

export function DiscoveryReport({ discovery, domain }: { discovery: DiscoveryResult; domain: string }): ReactElement {
  return (
    <div className="dl-report">
      <ServiceReport kind="caldav" service={discovery.caldav} domain={domain} />
      <ServiceReport kind="carddav" service={discovery.carddav} domain={domain} />
    </div>
  );
}

/** "Copy as curl" plus the commands themselves, folded. */
export function CurlCommands({ trace }: { trace: TraceEntry[] }): ReactElement {
  const commands = useMemo(() => traceToCommands(trace), [trace]);
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const count = trace.filter((e) => e.kind !== 'note').length;
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(commands);
      setStatus(t('discovery.copied', { count }));
    } catch {
      setOpen(true);
      setStatus(t('discovery.copyFailed'));
    }
  };
  return (
    <div className="dl-curl">
      <div className="dl-row">
        <button type="button" className="dl-button" onClick={() => void copy()} disabled={trace.length === 0}>
          <Icon name="copy" /> {t('discovery.copyCurl')}
        </button>
        <button type="button" className="dl-button dl-button-quiet" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? t('discovery.hideCommands') : t('discovery.showCommands')}
        </button>
        <span className="dl-muted" role="status">
          {status}
        </span>
      </div>
      {open ? (
        <pre className="dl-commands" tabIndex={0} aria-label={t('discovery.copyCurl')}>
          {commands}
        </pre>
      ) : null}
    </div>
  );
}
