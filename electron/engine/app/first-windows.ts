// For the long-lived hosts: a new account's first window (window.ts), held in memory while its full sync runs,
// so the calendar shows the days on screen in about the time of one query per calendar. Its calendars join the
// store's in the listing and its events join the store's answers, marked partial, until the sync has stored
// each calendar (then the store answers for it). Days outside what was fetched are asked of the servers again.
// Nothing of it is ever written to the store.
import type { CalendarView, OccurrenceQuery, OccurrencesResult } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import type { Occurrence } from '../../../shared/models.ts';
import type { StoredAccount } from '../store/store.ts';
import type { Engine, HostConnection } from './engine.ts';
import type { PasswordVault } from './types.ts';
import { byStart, type OccurrenceWindow } from './queries.ts';
import { covers, windowEvents, type FetchedWindow } from './window.ts';

type Days = Omit<OccurrenceWindow, 'search'>;

export interface FirstWindows {
  /** Fetches the account's first window and holds it; resolves when it is in. */
  start(account: StoredAccount, password: string, days: Days): Promise<void>;
  /** Calendars of accounts still unsynced that the store does not hold yet. */
  calendars(hidden: Set<string>): CalendarView[];
  /** Their occurrences for `q` (only those of `q.calendarUrls` when given, else the visible ones). */
  occurrences(q: OccurrenceQuery, hidden: Set<string>): Promise<OccurrencesResult>;
  forget(accountId: string): void;
  /** The view has drawn the windows it read: their accounts' full syncs may start (see handedOver). */
  drawn(): void;
  /**
   * Resolves once the view has drawn the account's window (an answer of occurrences included it, then `drawn` was
   * called), or after `graceMs` when it has not.
   */
  handedOver(accountId: string, graceMs: number): Promise<void>;
}

export function firstWindows(engine: Engine, vault: PasswordVault, host: HostConnection): FirstWindows {
  const held = new Map<string, FetchedWindow>();
  const handovers = handoverWaits();

  /** The held window, while the account is unsynced; the calendars the store does not hold synced. */
  const live = (accountId: string): { f: FetchedWindow; urls: Set<string> } | null => {
    const f = held.get(accountId);
    if (!f) return null;
    if (engine.account(accountId)?.syncedAt !== null) {
      held.delete(accountId);
      return null;
    }
    const stored = new Set(
      engine.store
        .listCollections(accountId, 'calendar')
        .filter((c) => c.syncedAt !== null)
        .map((c) => c.url),
    );
    return { f, urls: new Set(f.calendars.map((c) => c.url).filter((u) => !stored.has(u))) };
  };

  /** The window `q` asks of one account: from what is held, or from the servers (then held instead). */
  async function answer(
    accountId: string,
    q: OccurrenceQuery,
    wanted: (url: string) => boolean,
  ): Promise<{ events: Occurrence[]; errors: DavlensError[] } | null> {
    const now = live(accountId);
    if (!now || ![...now.urls].some(wanted)) return null;
    const days = { from: q.from, to: q.to, tz: q.tz };
    let f = now.f;
    if (!covers(f, days)) {
      const account = engine.account(accountId);
      const password = await vault.get(accountId);
      if (!account || password === null) return null;
      // Other days: from what their queries answer; a calendar needing to be fetched whole waits for the sync.
      f = await engine.fetchWindow(account, password, host, days, { wholeCalendars: 0 });
      if (held.has(accountId)) held.set(accountId, f);
    }
    const fetched = f.fetched.filter((x) => now.urls.has(x.calendar.url) && wanted(x.calendar.url));
    const out = windowEvents(fetched, { ...days, search: q.search });
    return { events: out.events, errors: [...f.errors, ...out.errors] };
  }

  return {
    async start(account, password, days) {
      held.set(account.id, await engine.fetchWindow(account, password, host, days, { wholeCalendars: 1 }));
    },

    calendars(hidden) {
      const out: CalendarView[] = [];
      for (const accountId of held.keys()) {
        const now = live(accountId);
        for (const c of now?.f.calendars ?? []) if (now!.urls.has(c.url)) out.push({ ...c, accountId, kind: 'calendar', hidden: hidden.has(c.url) });
      }
      return out;
    },

    async occurrences(q, hidden) {
      const asked = q.calendarUrls ? new Set(q.calendarUrls) : null;
      const wanted = (url: string) => (asked ? asked.has(url) : !hidden.has(url));
      const events: Occurrence[] = [];
      const errors: DavlensError[] = [];
      let partial = false;
      for (const accountId of [...held.keys()]) {
        const got = await answer(accountId, q, wanted);
        if (!got) continue;
        handovers.read(accountId);
        partial = true;
        for (const e of got.events) events.push(e);
        errors.push(...got.errors);
      }
      events.sort(byStart);
      return { events, errors, partial };
    },

    forget(accountId) {
      held.delete(accountId);
      handovers.end(accountId);
    },

    drawn: () => handovers.drawn(),

    handedOver: (accountId, graceMs) => handovers.wait(accountId, graceMs),
  };
}

/** Per account, a wait that ends once its window was read and then drawn, when it is ended, or after its grace. */
function handoverWaits(): {
  wait(accountId: string, graceMs: number): Promise<void>;
  read(accountId: string): void;
  drawn(): void;
  end(accountId: string): void;
} {
  const waiting = new Map<string, { end: () => void; read: boolean }>();
  return {
    wait: (accountId, graceMs) =>
      new Promise<void>((resolve) => {
        const end = () => {
          clearTimeout(timer);
          waiting.delete(accountId);
          resolve();
        };
        const timer = setTimeout(end, graceMs);
        waiting.set(accountId, { end, read: false });
      }),
    read: (accountId) => {
      const w = waiting.get(accountId);
      if (w) w.read = true;
    },
    drawn: () => {
      for (const w of [...waiting.values()]) if (w.read) w.end();
    },
    end: (accountId) => waiting.get(accountId)?.end(),
  };
}
