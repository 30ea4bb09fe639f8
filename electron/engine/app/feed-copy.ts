// A feed's new copy read into the rows its calendar stores: each item named by a fragment of the feed's URL
// (its UID, see formats/ical/feed.ts), with an ETag of its own text so a refresh counts what changed. A large copy
// is read off the engine's thread (off-thread.ts), a small one here in slices (as a sync parses).
import { createHash } from 'node:crypto';
import type { RawItem } from '../../../shared/models.ts';
import { FeedError, readFeed, type Feed } from '../formats/ical/feed.ts';
import { calendarItemRow } from '../store/item-rows.ts';
import type { ItemRow } from '../store/store.ts';
import { OFF_THREAD_CHARS, readOffThread } from './off-thread.ts';
import { rowsOf } from './rows.ts';

export interface FeedCopy {
  feed: Omit<Feed, 'items'>;
  rows: ItemRow[];
}

/** The copy's rows, read at once (the worker's way); a text that is no calendar throws a FeedError. */
export function readFeedCopy(url: string, text: string): FeedCopy {
  const { items, ...feed } = readFeed(text);
  return { feed, rows: itemsAt(url, items).map(calendarItemRow) };
}

/** The copy's rows, without holding the engine's thread: off it when large, else in slices. */
export async function feedCopy(url: string, text: string, worker?: string | URL): Promise<FeedCopy> {
  if (text.length > OFF_THREAD_CHARS) {
    const answer = await readOffThread({ kind: 'feed', url, text }, worker);
    if ('feedError' in answer) throw new FeedError(answer.feedError);
    return answer;
  }
  const { items, ...feed } = readFeed(text);
  return { feed, rows: await rowsOf(itemsAt(url, items), 'calendar', '') };
}

function itemsAt(url: string, items: Feed['items']): RawItem[] {
  return items.map((item) => ({
    href: `${url}#${encodeURIComponent(item.key)}`,
    etag: createHash('sha256').update(item.data).digest('base64url').slice(0, 22),
    data: item.data,
  }));
}
