// The app's dialogs, one at a time: add an account, its password, removal and details, subscribe to a calendar
// and what a subscription's menu asks, settings, sync, an opened local file, the keyboard shortcuts, the choice of
// a calendar or address book to export.
import type { ReactElement } from 'react';
import type { AccountSummary, ExportTarget, LocalFileView, SubscriptionView } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import { t } from '../i18n/messages.ts';
import { feedNotice } from '../lib/subscriptions.ts';
import type { AppActions, AppData } from '../state/appData.ts';
import { useNotify } from '../state/toasts.tsx';
import { AccountDetailsDialog, PasswordDialog, RemoveAccountDialog } from './AccountDialogs.tsx';
import { AddAccount } from './AddAccount.tsx';
import { Dialog } from './Dialog.tsx';
import { ExportDialog, exportChoices } from './ExportDialog.tsx';
import type { ExportKind } from './ExportDialog.tsx';
import { LocalFileDialog } from './LocalFile.tsx';
import { KeyboardShortcuts, SettingsDialog } from './SettingsDialog.tsx';
import { SubscribeDialog } from './SubscribeDialog.tsx';
import { SubscriptionDialog } from './SubscriptionDialogs.tsx';
import type { SubscriptionDialogAction } from './SubscriptionDialogs.tsx';
import { SyncDetailsDialog } from './SyncStatus.tsx';

export type DialogState =
  | null
  | { kind: 'add' }
  | { kind: 'password'; account: AccountSummary }
  | { kind: 'remove'; account: AccountSummary }
  | { kind: 'account'; account: AccountSummary }
  | { kind: 'subscribe' }
  | { kind: 'subscription'; action: SubscriptionDialogAction; subscription: SubscriptionView }
  | { kind: 'settings' }
  | { kind: 'sync' }
  | { kind: 'file'; file: LocalFileView }
  | { kind: 'keys' }
  | { kind: 'export'; what: ExportKind };

export interface AppDialogsProps {
  dialog: DialogState;
  setDialog: (dialog: DialogState) => void;
  data: AppData;
  actions: AppActions;
  tz: string;
  /** Adding an account is running: Esc must not close its dialog. */
  addBusy: boolean;
  setAddBusy: (busy: boolean) => void;
  onAccountAdded: (account: AccountSummary) => void;
  onAccountRemoved: () => void;
  /** A subscription was added, changed or removed (its URL): the dialog is closed, the data is to be read again. */
  onSubscriptionsChanged: (removedUrl?: string) => void;
  onExport: (target: ExportTarget) => void;
}

export function AppDialogs({
  dialog,
  setDialog,
  data,
  actions,
  tz,
  addBusy,
  setAddBusy,
  onAccountAdded,
  onAccountRemoved,
  onSubscriptionsChanged,
  onExport,
}: AppDialogsProps): ReactElement | null {
  const notify = useNotify();
  const close = (): void => setDialog(null);
  const subscribed = (s: SubscriptionView, problems: DavlensError[]): void => {
    notify(t('subscribe.added', { name: s.name }));
    const notice = feedNotice(s.name, problems);
    if (notice) notify(notice.text, notice.tone);
    onSubscriptionsChanged();
  };
  switch (dialog?.kind) {
    case 'add':
      return (
        <Dialog title={t('account.add.title')} onClose={close} busy={addBusy} size="medium">
          <AddAccount onAdded={onAccountAdded} onCancel={close} onBusyChange={setAddBusy} tz={tz} />
        </Dialog>
      );
    case 'password':
      return (
        <PasswordDialog
          account={dialog.account}
          onClose={close}
          onDone={(a) => {
            close();
            void actions.refreshAccounts();
            void actions.syncNow(a.id);
          }}
        />
      );
    case 'remove':
      return <RemoveAccountDialog account={dialog.account} onClose={close} onRemoved={onAccountRemoved} />;
    case 'account':
      return <AccountDetailsDialog account={dialog.account} onClose={close} />;
    case 'subscribe':
      return <SubscribeDialog onClose={close} onSubscribed={subscribed} />;
    case 'subscription': {
      const { action, subscription } = dialog;
      const changed = (removed?: boolean): void => onSubscriptionsChanged(removed ? subscription.url : undefined);
      return <SubscriptionDialog action={action} subscription={subscription} onClose={close} onChanged={changed} />;
    }
    case 'settings':
      return data.settings ? <SettingsDialog settings={data.settings} onChange={(p) => void actions.updateSettings(p)} onClose={close} /> : null;
    case 'sync':
      return (
        <SyncDetailsDialog
          accounts={data.accounts ?? []}
          sync={data.sync}
          onClose={close}
          onEnterPassword={(account) => setDialog({ kind: 'password', account })}
          onSyncNow={() => void actions.syncNow()}
        />
      );
    case 'file':
      return <LocalFileDialog file={dialog.file} tz={tz} onClose={close} />;
    case 'keys':
      return (
        <Dialog title={t('keys.title')} onClose={close} size="small">
          <KeyboardShortcuts />
        </Dialog>
      );
    case 'export':
      return (
        <ExportDialog kind={dialog.what} choices={exportChoices(dialog.what, data.collections, data.accounts ?? [])} onExport={onExport} onClose={close} />
      );
    default:
      return null;
  }
}
