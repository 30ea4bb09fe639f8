// The small account dialogs: enter the password again, confirm removal, show how the account connects.
import { useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { AccountSummary } from '../../../shared/api.ts';
import type { ServiceResult } from '../../../shared/discovery.ts';
import { t } from '../i18n/messages.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { useClient } from '../state/client.tsx';
import { Dialog } from './Dialog.tsx';
import { Fact } from './DiscoveryTrace.tsx';
import { LabeledInput } from './Field.tsx';
import { ErrorNotice } from './Notice.tsx';

export function PasswordDialog({
  account,
  onDone,
  onClose,
}: {
  account: AccountSummary;
  onDone: (a: AccountSummary) => void;
  onClose: () => void;
}): ReactElement {
  const client = useClient();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!password) {
      setError(t('account.passwordMissing'));
      return;
    }
    setBusy(true);
    const r = await client.setPassword({ accountId: account.id, password });
    setBusy(false);
    if (r.ok) onDone(r.value);
    else setError(r.error.message);
  };
  return (
    <Dialog title={t('account.password.title', { email: account.email })} onClose={onClose} size="small" busy={busy}>
      <form onSubmit={(e) => void submit(e)} className="dl-form">
        <p>{t('account.password.body')}</p>
        <LabeledInput
          label={t('account.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-autofocus
        />
        <ErrorNotice message={error} />
        <div className="dl-actions">
          <button type="button" className="dl-button" onClick={onClose} disabled={busy}>
            {t('account.cancel')}
          </button>
          <button type="submit" className="dl-button dl-button-primary" disabled={busy}>
            {t('account.password.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function RemoveAccountDialog({ account, onRemoved, onClose }: { account: AccountSummary; onRemoved: () => void; onClose: () => void }): ReactElement {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async (): Promise<void> => {
    setBusy(true);
    const r = await client.removeAccount({ accountId: account.id });
    setBusy(false);
    if (r.ok) onRemoved();
    else setError(r.error.message);
  };
  return (
    <Dialog title={t('account.remove.title', { email: account.demo ? t('account.demo') : account.email })} onClose={onClose} size="small" busy={busy}>
      <p>{t('account.remove.body')}</p>
      <ErrorNotice message={error} />
      <div className="dl-actions">
        <button type="button" className="dl-button" onClick={onClose} disabled={busy} data-autofocus>
          {t('account.cancel')}
        </button>
        <button type="button" className="dl-button dl-button-danger" onClick={() => void remove()} disabled={busy}>
          {t('account.remove.confirm')}
        </button>
      </div>
    </Dialog>
  );
}

function ServiceFacts({ label, s }: { label: MessageKey; s: ServiceResult | null }): ReactElement {
  return (
    <section className="dl-service-report">
      <h4>{t(label)}</h4>
      {s ? (
        <dl className="dl-facts">
          <Fact label="discovery.context">
            {s.context} <span className="dl-muted">({t(`discovery.via.${s.via}` as MessageKey)})</span>
          </Fact>
          <Fact label="discovery.principal" show={!!s.principal}>
            {s.principal}
          </Fact>
          <Fact label="discovery.homeSets" show={s.homeSets.length > 0}>
            {s.homeSets.join('\n')}
          </Fact>
        </dl>
      ) : (
        <p className="dl-muted">{t('account.notFound')}</p>
      )}
    </section>
  );
}

export function AccountDetailsDialog({ account, onClose }: { account: AccountSummary; onClose: () => void }): ReactElement {
  return (
    <Dialog title={account.demo ? t('account.demo') : account.email} onClose={onClose} size="medium">
      {account.username ? (
        <p>
          {t('discovery.username')}: <strong>{account.username}</strong>
        </p>
      ) : null}
      <ServiceFacts label="account.caldav" s={account.caldav} />
      <ServiceFacts label="account.carddav" s={account.carddav} />
      {account.approvedHosts.length ? (
        <p>
          {t('account.approvedHosts')}: <span className="dl-mono">{account.approvedHosts.join(', ')}</span>
        </p>
      ) : null}
    </Dialog>
  );
}
