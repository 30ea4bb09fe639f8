// The app's dialogs, one at a time: add an account, its password, removal and details, settings, sync,
// an opened local file, the keyboard shortcuts.
import type { ReactElement } from 'react';
import type { AccountSummary, LocalFileView } from '../../../shared/api.ts';
import { t } from '../i18n/messages.ts';
import type { AppActions, AppData } from '../state/appData.ts';
import { AccountDetailsDialog, PasswordDialog, RemoveAccountDialog } from './AccountDialogs.tsx';
import { AddAccount } from './AddAccount.tsx';
import { Dialog } from './Dialog.tsx';
import { LocalFileDialog } from './LocalFile.tsx';
import { KeyboardShortcuts, SettingsDialog } from './SettingsDialog.tsx';
import { SyncDetailsDialog } from './SyncStatus.tsx';

export type DialogState =
  | null
  | { kind: 'add' }
  | { kind: 'password'; account: AccountSummary }
  | { kind: 'remove'; account: AccountSummary }
  | { kind: 'account'; account: AccountSummary }
  | { kind: 'settings' }
  | { kind: 'sync' }
  | { kind: 'file'; file: LocalFileView }
  | { kind: 'keys' };

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
}: AppDialogsProps): ReactElement | null {
  const close = (): void => setDialog(null);
  switch (dialog?.kind) {
    case 'add':
      return (
        <Dialog title={t('account.add.title')} onClose={close} busy={addBusy} size="medium">
          <AddAccount onAdded={onAccountAdded} onCancel={close} onBusyChange={setAddBusy} />
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
    default:
      return null;
  }
}
