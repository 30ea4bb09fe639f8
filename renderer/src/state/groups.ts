// The contact groups of the address book shown (every book when none is chosen), asked again when synced data
// changes as the contact list is; the last answer stays on screen while the next one loads.
import { useEffect, useState } from 'react';
import type { ContactGroup } from '../../../shared/models.ts';
import { useClient } from './client.tsx';

export interface Groups {
  /** Null until the first answer (and when not asked). */
  groups: ContactGroup[] | null;
  /** The answer is for the address book and data version asked for (not a previous one). */
  fresh: boolean;
}

export function useGroups(addressbookUrl: string | null, dataVersion: number, active: boolean): Groups {
  const client = useClient();
  const key = JSON.stringify([addressbookUrl, dataVersion]);
  const [answer, setAnswer] = useState<{ key: string; groups: ContactGroup[] } | null>(null);
  useEffect(() => {
    if (!active) return;
    let live = true;
    const [url] = JSON.parse(key) as [string | null, number];
    void client.groups(url ? { addressbookUrls: [url] } : {}).then((r) => {
      // A failed answer leaves the groups out (the contact list says what went wrong).
      if (live) setAnswer({ key, groups: r.ok ? r.value.groups : [] });
    });
    return () => {
      live = false;
    };
  }, [client, key, active]);
  return { groups: active ? (answer?.groups ?? null) : null, fresh: active && answer?.key === key };
}
