// Request bodies of the browser host's API, refused before they can hurt the one thread that serves every
// page: a size limit per method (openLocalFile carries a whole file; nothing else needs more than a few KB),
// and a nesting check before JSON.parse, whose recursion 40 MB of `[[[...` ran out of memory with and 30 MB of
// `[` kept busy for 9.5 s (issue 13 item 6).
import type { ApiMethod } from '../../shared/api.ts';

/** openLocalFile accepts 50 MB of content (api-schema.ts); JSON escaping may add some. */
const LOCAL_FILE_BYTES = 64 * 1024 * 1024;
/** Every other method: an account with a CA bundle is the largest (a few KB). */
const DEFAULT_BYTES = 1024 * 1024;
/** API arguments are objects of strings, arrays and small objects: three levels at most today. */
export const MAX_JSON_DEPTH = 16;

export function bodyLimit(method: ApiMethod): number {
  return method === 'openLocalFile' ? LOCAL_FILE_BYTES : DEFAULT_BYTES;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/** The deepest array/object nesting of a JSON text, in one pass over its bytes, stopping past `limit`. */
export function jsonDepth(bytes: Uint8Array, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
      depth--;
    }
  }
  return deepest;
}

/** The body as a value, or why it is refused (a sentence for a 400 answer). */
export function parseJsonBody(body: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (body.length === 0) return { ok: true, value: null };
  if (jsonDepth(body) > MAX_JSON_DEPTH) return { ok: false, reason: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.` };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false, reason: 'The request body is not JSON.' };
  }
}
