// The store's rows for fetched items (store/item-rows.ts), made in slices between which the event loop turns: a
// sync's next answer keeps flowing in, and the engine keeps answering calls, while thousands of items are parsed.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CollectionKind, RawItem } from '../../../shared/models.ts';
import { calendarItemRow, contactItemRow } from '../store/item-rows.ts';
import type { ItemRow } from '../store/store.ts';

/** Longest stretch of parsing between two turns of the event loop. */
const SLICE_MS = 10;

/** The rows of `items`, parsed in slices. */
export async function rowsOf(items: RawItem[], kind: CollectionKind, collectionName: string): Promise<ItemRow[]> {
  const rows: ItemRow[] = [];
  let sliceStart = performance.now();
  for (const item of items) {
    rows.push(kind === 'calendar' ? calendarItemRow(item) : contactItemRow(item, collectionName));
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return rows;
}
