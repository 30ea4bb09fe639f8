// The first run: add an account, subscribe to a calendar, try the demo, or open a file; and the splash while the
// data loads.
import type { ReactElement, ReactNode } from 'react';
import type { AccountSummary } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import { t } from '../i18n/messages.ts';
import type { LocalFiles } from '../state/shell.ts';
import { AddAccount } from './AddAccount.tsx';
import { Icon } from './Icon.tsx';
import { Logo } from './Logo.tsx';
import { ErrorNotice } from './Notice.tsx';

export function Splash(): ReactElement {
  return (
    <div className="dl-splash" role="status" aria-live="polite">
      <span className="dl-spinner dl-spinner-lg" aria-hidden="true" /> {t('app.loading')}
    </div>
  );
}

export interface WelcomeProps {
  loadError: DavlensError | null;
  files: LocalFiles;
  onAdded: (account: AccountSummary) => void;
  onBusyChange: (busy: boolean) => void;
  /** The first account's discovery report stays on screen until closed: true while it shows. */
  onActiveChange: (active: boolean) => void;
  onDemo: () => void;
  onOpenFile: () => void;
  onSubscribe: () => void;
  /** The zone the calendar will show. */
  tz: string;
  /** The file input, the dialogs and the drop hint, as in the main window. */
  children: ReactNode;
}

export function Welcome({
  loadError,
  files,
  onAdded,
  onBusyChange,
  onActiveChange,
  onDemo,
  onOpenFile,
  onSubscribe,
  tz,
  children,
}: WelcomeProps): ReactElement {
  return (
    <main className={`dl-welcome${files.dragging ? ' dl-dragging' : ''}`} {...files.dragProps}>
      <div className="dl-welcome-card">
        <div className="dl-welcome-brand">
          <Logo size={48} />
          <div>
            <h1>{t('welcome.title')}</h1>
            <p className="dl-muted">{t('welcome.body')}</p>
          </div>
        </div>
        <ErrorNotice message={loadError?.message} />
        <AddAccount onAdded={onAdded} onBusyChange={onBusyChange} onActiveChange={onActiveChange} tz={tz} />
        <div className="dl-welcome-alt">
          <button type="button" className="dl-button dl-button-large" onClick={onDemo}>
            <Icon name="eye" /> {t('welcome.demo')}
          </button>
          <span className="dl-muted">{t('welcome.demoHint')}</span>
          <button type="button" className="dl-button dl-button-quiet" onClick={onSubscribe}>
            <Icon name="feed" /> {t('subscribe.open')}
          </button>
          <button type="button" className="dl-button dl-button-quiet" onClick={onOpenFile}>
            <Icon name="file" /> {t('welcome.openFile')}
          </button>
        </div>
      </div>
      {children}
    </main>
  );
}
