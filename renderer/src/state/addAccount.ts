// The state of adding an account: the form's values, and the run against the engine with the answers a
// person gave on the way (hosts approved, certificates trusted), which accumulate across retries.
import { useEffect, useRef, useState } from 'react';
import type { AddAccountOutcome, AddAccountRequest } from '../../../shared/api.ts';
import type { CertificateInfo, DavlensError } from '../../../shared/errors.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import { t } from '../i18n/messages.ts';
import { isEmail } from '../lib/providers.ts';
import { firstWindow } from '../lib/ranges.ts';
import { ymdInZone } from '../lib/time.ts';
import { useClient } from './client.tsx';

export interface AccountFormValues {
  email: string;
  password: string;
  user: string;
  server: string;
  dns: string;
  insecureHttp: boolean;
}

export const EMPTY_ACCOUNT_FORM: AccountFormValues = { email: '', password: '', user: '', server: '', dns: '', insecureHttp: false };

export type AddPhase = { kind: 'form' } | { kind: 'running' } | { kind: 'outcome'; outcome: AddAccountOutcome } | { kind: 'error'; error: DavlensError };

interface Answers {
  trustHosts: string[];
  pins: Record<string, string>;
}

/** The message for the first thing wrong with the form, or null. */
export function validateAccountForm(values: AccountFormValues): string | null {
  if (!isEmail(values.email)) return t('account.emailInvalid');
  if (!values.password) return t('account.passwordMissing');
  const server = values.server.trim();
  if (server && !/^https:\/\//i.test(server) && !(values.insecureHttp && /^http:\/\//i.test(server))) return t('account.serverInvalid');
  return null;
}

function newOperationId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  return `op-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function addRequest(values: AccountFormValues, answers: Answers, operationId: string, window: AddAccountRequest['window']): AddAccountRequest {
  const req: AddAccountRequest = { email: values.email.trim(), password: values.password, operationId, window };
  if (values.user.trim()) req.user = values.user.trim();
  if (values.server.trim()) req.server = values.server.trim();
  if (values.dns.trim()) req.dns = values.dns.trim();
  if (values.insecureHttp) req.insecureHttp = true;
  if (answers.trustHosts.length) req.trustHosts = [...answers.trustHosts];
  if (Object.keys(answers.pins).length) req.pins = { ...answers.pins };
  return req;
}

/** False once the component is gone: a late answer must not set its state. */
function useMounted(): { readonly current: boolean } {
  const mounted = useRef(true);
  useEffect(() => {
    // Set here too: React's StrictMode runs effects twice (mount, cleanup, mount) in development.
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  return mounted;
}

export interface AddAccountFlow {
  phase: AddPhase;
  trace: TraceEntry[];
  /** A fresh start from the form: earlier answers are forgotten. */
  start: () => void;
  /** Runs again with the answers given so far; `password` replaces the form's (asked again after a refusal). */
  retry: (password?: string) => void;
  approveHost: (host: string) => void;
  trustCertificate: (cert: CertificateInfo) => void;
  back: () => void;
}

export function useAddAccountFlow(
  values: AccountFormValues,
  /** The zone the calendar will open in (the settings' or the system's): the engine asks for its days first. */
  tz: string,
  onBusyChange?: (busy: boolean) => void,
  onActiveChange?: (active: boolean) => void,
): AddAccountFlow {
  const client = useClient();
  const [phase, setPhase] = useState<AddPhase>({ kind: 'form' });
  const [trace, setTrace] = useState<TraceEntry[]>([]);
  const answers = useRef<Answers>({ trustHosts: [], pins: {} });
  const mounted = useMounted();
  useEffect(() => onBusyChange?.(phase.kind === 'running'), [phase.kind, onBusyChange]);
  useEffect(() => onActiveChange?.(phase.kind !== 'form'), [phase.kind, onActiveChange]);

  async function run(asked: AccountFormValues = values): Promise<void> {
    const operationId = newOperationId();
    setTrace([]);
    setPhase({ kind: 'running' });
    // The days the calendar will open on, in its zone: the engine asks the servers for them first.
    const req = addRequest(asked, answers.current, operationId, { ...firstWindow(ymdInZone(new Date(), tz)), tz });
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

  return {
    phase,
    trace,
    start: () => {
      answers.current = { trustHosts: [], pins: {} };
      void run();
    },
    retry: (password) => void run(password === undefined ? values : { ...values, password }),
    approveHost: (host) => {
      const { trustHosts, pins } = answers.current;
      answers.current = { pins, trustHosts: [...new Set([...trustHosts, host])] };
      void run();
    },
    trustCertificate: (cert) => {
      const { trustHosts, pins } = answers.current;
      answers.current = { trustHosts, pins: { ...pins, [`${cert.host}:${cert.port}`]: cert.spkiPin } };
      void run();
    },
    back: () => setPhase({ kind: 'form' }),
  };
}
