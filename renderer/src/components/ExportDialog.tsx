// "Export calendar…" and "Export address book…" from the app menu: pick one of them, then the usual export
// (exporting.ts: a save dialog on the desktop, a download in the browser).
import { useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { AccountSummary, CollectionsView, ExportTarget } from '../../../shared/api.ts';
import { t } from '../i18n/messages.ts';
import { Dialog } from './Dialog.tsx';

export type ExportKind = 'calendar' | 'addressbook';

interface Choice {
  url: string;
  name: string;
}

/** What can be exported of a kind: the accounts' calendars (not the Birthdays calendar, which holds no items) and the subscriptions, or the address books; each named with its account. */
export function exportChoices(kind: ExportKind, collections: CollectionsView | null, accounts: AccountSummary[]): Choice[] {
  const email = (id: string): string => accounts.find((a) => a.id === id)?.email ?? '';
  const named = (name: string, accountId: string): string => (email(accountId) ? `${name} (${email(accountId)})` : name);
  if (!collections) return [];
  if (kind === 'addressbook') return collections.addressbooks.map((ab) => ({ url: ab.url, name: named(ab.displayName, ab.accountId) }));
  return [
    ...collections.calendars.filter((c) => c.kind !== 'birthdays').map((c) => ({ url: c.url, name: named(c.displayName, c.accountId) })),
    ...collections.subscriptions.map((s) => ({ url: s.url, name: s.name })),
  ];
}

export function ExportDialog({
  kind,
  choices,
  onExport,
  onClose,
}: {
  kind: ExportKind;
  choices: Choice[];
  onExport: (target: ExportTarget) => void;
  onClose: () => void;
}): ReactElement {
  const [url, setUrl] = useState(choices[0]?.url ?? '');
  const title = kind === 'calendar' ? t('calendar.exportPick') : t('contacts.exportPick');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!url) return;
    onClose();
    onExport(kind === 'calendar' ? { kind: 'calendar', calendarUrl: url } : { kind: 'addressbook', addressbookUrl: url });
  };
  return (
    <Dialog title={title} onClose={onClose} size="small">
      <form className="dl-form" onSubmit={submit}>
        <label className="dl-field">
          <span>{kind === 'calendar' ? t('calendar.calendars') : t('contacts.addressbooks')}</span>
          <select value={url} onChange={(e) => setUrl(e.target.value)} data-autofocus>
            {choices.map((c) => (
              <option key={c.url} value={c.url}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <div className="dl-actions">
          <button type="button" className="dl-button" onClick={onClose}>
            {t('account.cancel')}
          </button>
          <button type="submit" className="dl-button dl-button-primary" disabled={!url}>
            {t('export.choose')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
