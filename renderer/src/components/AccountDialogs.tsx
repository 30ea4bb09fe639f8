// The small account dialogs: enter the password again, confirm removal, show how the account connects.
import type { ReactElement } from 'react';
import type { AccountSummary } from '../../../shared/api.ts';
import type { ServiceResult } from '../../../shared/discovery.ts';
import { t } from '../i18n/messages.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { useClient } from '../state/client.tsx';
import { Dialog } from './Dialog.tsx';
import { Fact } from './DiscoveryTrace.tsx';
import { ConfirmDialog, PasswordFormDialog, useRequest } from './FormDialog.tsx';

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
  return (
    <PasswordFormDialog
      title={t('account.password.title', { email: account.email })}
      body={t('account.password.body')}
      label={t('account.password')}
      submitLabel={t('account.password.save')}
      send={(password) => client.setPassword({ accountId: account.id, password })}
      onDone={onDone}
      onClose={onClose}
    />
  );
}

export function RemoveAccountDialog({ account, onRemoved, onClose }: { account: AccountSummary; onRemoved: () => void; onClose: () => void }): ReactElement {
  const client = useClient();
  const request = useRequest();
  return (
    <ConfirmDialog
      title={t('account.remove.title', { email: account.demo ? t('account.demo') : account.email })}
      body={t('account.remove.body')}
      confirmLabel={t('account.remove.confirm')}
      request={request}
      onConfirm={() => void request.run(() => client.removeAccount({ accountId: account.id }), onRemoved)}
      onClose={onClose}
    />
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
