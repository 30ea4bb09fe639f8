// Schema migrations, applied in order; PRAGMA user_version counts those applied. Never edit a released
// entry: add a new one.
export const MIGRATIONS: readonly string[] = [
  // 1: accounts, collections, items, contacts with FTS5 trigram search.
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    username TEXT,
    caldav TEXT NOT NULL,
    carddav TEXT NOT NULL,
    approved_hosts TEXT NOT NULL DEFAULT '[]',
    options TEXT NOT NULL DEFAULT '{}',
    synced_at TEXT,
    last_error TEXT,
    demo INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE TABLE collections (
    id INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('calendar', 'addressbook')),
    url TEXT NOT NULL,
    props TEXT NOT NULL,
    ctag TEXT,
    sync_token TEXT,
    synced_at TEXT,
    UNIQUE (account_id, url)
  ) STRICT;
  CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    href TEXT NOT NULL,
    etag TEXT,
    data TEXT NOT NULL,
    uid TEXT,
    span_start INTEGER,
    span_end INTEGER,
    search_text TEXT NOT NULL DEFAULT '',
    parse_error TEXT,
    UNIQUE (collection_id, href)
  ) STRICT;
  CREATE INDEX items_span ON items (collection_id, span_start, span_end);
  CREATE TABLE contacts (
    item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    sort_name TEXT NOT NULL,
    json TEXT NOT NULL
  ) STRICT;
  CREATE INDEX contacts_sort ON contacts (collection_id, sort_name);
  CREATE VIRTUAL TABLE contacts_fts USING fts5(search, tokenize = 'trigram');
  -- Also fires for rows removed by ON DELETE CASCADE (item, collection or account removed).
  CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contacts_fts WHERE rowid = old.item_id;
  END;
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  `,
  // 2: one spelling for every stored URL (href.ts canonicalUrl, registered as davlens_canonical_url), so rows
  // from before compare equal to what servers send now: collections, items, the UI's hidden calendars. Two rows
  // of one resource spelled two ways keep one.
  `
  UPDATE OR IGNORE collections SET url = davlens_canonical_url(url), props = json_set(props, '$.url', davlens_canonical_url(url));
  DELETE FROM collections WHERE url != davlens_canonical_url(url);
  UPDATE OR IGNORE items SET href = davlens_canonical_url(href);
  -- Which of two copies was current is unknown: their collection compares every ETag at its next sync.
  UPDATE collections SET ctag = NULL, sync_token = NULL WHERE id IN (SELECT collection_id FROM items WHERE href != davlens_canonical_url(href));
  DELETE FROM items WHERE href != davlens_canonical_url(href);
  UPDATE contacts SET json = json_set(json, '$.href', (SELECT href FROM items WHERE items.id = contacts.item_id));
  UPDATE settings SET value = json_set(value, '$.hiddenCalendars',
    json((SELECT json_group_array(davlens_canonical_url(h.value)) FROM json_each(settings.value, '$.hiddenCalendars') AS h)))
  WHERE key = 'ui' AND json_type(value, '$.hiddenCalendars') = 'array';
  `,
];
