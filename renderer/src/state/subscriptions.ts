// "Refresh now" for one subscribed calendar: its feed fetched again (subscribe on a known URL keeps its name,
// interval and login, and costs one 304 when the feed is unchanged), with the subscriptions being refreshed known.
import { useCallback, useState } from 'react';
import type { SubscriptionView } from '../../../shared/api.ts';
import { t } from '../i18n/messages.ts';
import { feedNotice } from '../lib/subscriptions.ts';
import { useClient } from './client.tsx';
import { useNotify } from './toasts.tsx';

export interface SubscriptionRefresh {
  /** URLs of the subscriptions whose refresh is running. */
  refreshing: ReadonlySet<string>;
  refresh: (s: SubscriptionView) => Promise<void>;
}

/** `onChanged` reads the subscriptions and their events again once the refresh is done. */
export function useSubscriptionRefresh(onChanged: () => void): SubscriptionRefresh {
  const client = useClient();
  const notify = useNotify();
  const [refreshing, setRefreshing] = useState<ReadonlySet<string>>(new Set());
  const refresh = useCallback(
    async (s: SubscriptionView) => {
      setRefreshing((r) => new Set([...r, s.url]));
      const r = await client.subscribe({ url: s.url });
      setRefreshing((now) => new Set([...now].filter((u) => u !== s.url)));
      onChanged();
      if (!r.ok) {
        notify(t('subscription.refreshFailed', { name: s.name, message: r.error.message }), 'error');
        return;
      }
      const name = r.value.subscription?.name ?? s.name;
      // A refresh that failed keeps the last good copy: its error shows in the sidebar too.
      const notice = feedNotice(name, r.value.errors);
      if (notice) notify(notice.text, notice.tone);
      else notify(t('subscription.upToDate', { name }));
    },
    [client, notify, onChanged],
  );
  return { refreshing, refresh };
}
