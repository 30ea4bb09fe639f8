// What a new account holds once its first sync has ended: its calendars and address books with their item
// counts, for the report after "Account added". The sync runs in the engine after the account is added; its
// end is heard as a sync event (or read from the status, when it ended before anyone listened).
import { useEffect, useState } from 'react';
import type { AddressBookView, CalendarView, SyncStatus } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import { useClient } from './client.tsx';

export type FirstSync =
  | { state: 'syncing' }
  | { state: 'done'; calendars: CalendarView[]; addressbooks: AddressBookView[]; error: DavlensError | null }
  /** The collections could not be listed (the sync itself may have worked). */
  | { state: 'unknown'; error: DavlensError };

/** The account's sync has ended when no run is going and the account has synced, or failed, at least once. */
function ended(status: SyncStatus, accountId: string): { error: DavlensError | null } | null {
  const mine = status.accounts.find((a) => a.accountId === accountId);
  if (status.running || !mine || (mine.syncedAt === null && mine.error === null)) return null;
  return { error: mine.error };
}

export function useFirstSync(accountId: string): FirstSync {
  const client = useClient();
  const [report, setReport] = useState<FirstSync>({ state: 'syncing' });
  useEffect(() => {
    let live = true;
    let asked = false;
    const check = async (status: SyncStatus): Promise<void> => {
      const end = ended(status, accountId);
      if (!end || asked) return;
      asked = true;
      const r = await client.listCollections();
      if (!live) return;
      if (!r.ok) {
        setReport({ state: 'unknown', error: r.error });
        return;
      }
      // The server's calendars only: the Birthdays calendar is made here, from the address books.
      const calendars = r.value.calendars.filter((c) => c.accountId === accountId && c.kind === 'calendar');
      const addressbooks = r.value.addressbooks.filter((b) => b.accountId === accountId);
      setReport({ state: 'done', calendars, addressbooks, error: end.error });
    };
    const off = client.onProgress((e) => {
      if (e.type === 'sync') void check(e.status);
    });
    void client.syncStatus().then((r) => (r.ok ? check(r.value) : undefined));
    return () => {
      live = false;
      off();
    };
  }, [client, accountId]);
  return report;
}
