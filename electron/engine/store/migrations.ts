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
  // 3: subscribed calendars (webcal and ICS feeds). A collection belongs to an account or to a subscription, so
  // collections is rebuilt with account_id nullable (SQLite cannot relax NOT NULL in place); Store.migrate runs
  // every migration with foreign keys off, as SQLite's table-rebuild procedure requires (a DROP TABLE with them on
  // would cascade to every item), and checks them before committing.
  `
  CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    -- The user's name for it (rename); null: the feed's own.
    name TEXT,
    -- The user's refresh interval; null: the feed's (REFRESH-INTERVAL, X-PUBLISHED-TTL), else a day.
    refresh_minutes INTEGER,
    feed_refresh_minutes INTEGER,
    etag TEXT,
    last_modified TEXT,
    -- How it is reached, never a password: { user, insecureHttp }.
    options TEXT NOT NULL DEFAULT '{}',
    added_at TEXT NOT NULL,
    -- The last refresh tried (the next is due an interval later), the last that reached the feed (200 or 304),
    -- and the last one's error.
    checked_at TEXT,
    synced_at TEXT,
    last_error TEXT
  ) STRICT;
  CREATE TABLE collections_v3 (
    id INTEGER PRIMARY KEY,
    account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    subscription_id INTEGER UNIQUE REFERENCES subscriptions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('calendar', 'addressbook')),
    url TEXT NOT NULL,
    props TEXT NOT NULL,
    ctag TEXT,
    sync_token TEXT,
    synced_at TEXT,
    CHECK ((account_id IS NULL) <> (subscription_id IS NULL)),
    UNIQUE (account_id, url)
  ) STRICT;
  INSERT INTO collections_v3 (id, account_id, kind, url, props, ctag, sync_token, synced_at)
    SELECT id, account_id, kind, url, props, ctag, sync_token, synced_at FROM collections;
  DROP TABLE collections;
  ALTER TABLE collections_v3 RENAME TO collections;
  `,
  // 4: group cards found without reading every card: each contact query resolves the groups of its page, and a
  // scan of 10,000 cards' JSON took 15-20 ms of every search keystroke. The expression is the one
  // Store.contactCards asks, so SQLite uses this partial index for it.
  `
  CREATE INDEX contacts_group_cards ON contacts (collection_id) WHERE json_extract(json, '$.kind') = 'group';
  `,
  // 5: what a subscription's last good copy breaks (feed-defect errors, as JSON), kept with it: a background
  // refresh or a restart must still show why events look mended. A 304 or a failed read leaves them.
  `
  ALTER TABLE subscriptions ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
  `,
  // 6: the items that could not be read, found without reading every item: each range of events the calendar asks
  // names those of its calendars (Store.unparsable), and a scan of a 3,333-event calendar's rows took 2.6-4.7 ms.
  `
  CREATE INDEX items_unparsable ON items (collection_id, href) WHERE parse_error IS NOT NULL;
  `,
];
