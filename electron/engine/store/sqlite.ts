// node:sqlite is built into Node 22.5+ (and the Node 24 that Electron 45 embeds): no native module to
// rebuild. Check at start that it and the features the store uses are present, and say so clearly if not.
import { createRequire } from 'node:module';
import type * as NodeSqlite from 'node:sqlite';
import type { DatabaseSync as DatabaseSyncType } from 'node:sqlite';
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';

export type Database = DatabaseSyncType;

/** Bytes per page of a store created now. */
const PAGE_SIZE = 16_384;

const require = createRequire(import.meta.url);

export function openDatabase(file: string): Database {
  let sqlite: typeof NodeSqlite;
  try {
    sqlite = require('node:sqlite') as typeof NodeSqlite;
  } catch {
    throw unavailable(
      `The local store needs node:sqlite, which this Node (${process.version}) lacks. Run Davlens with Node 24 or later: npm scripts and bin/davlens use the one in node_modules/.bin.`,
    );
  }
  const db = new sqlite.DatabaseSync(file);
  // The API the store uses beyond the first node:sqlite releases: isTransaction (Node 22.16 / 24) and
  // user-defined functions (a migration uses one).
  const lacking = [
    typeof (db as { isTransaction?: unknown }).isTransaction !== 'boolean' && 'DatabaseSync.isTransaction',
    typeof db.function !== 'function' && 'DatabaseSync.function',
  ].filter(Boolean);
  if (lacking.length) {
    db.close();
    throw unavailable(
      `The local store needs ${lacking.join(' and ')} of node:sqlite, which this Node (${process.version}) lacks. Run Davlens with Node 24 or later: npm scripts and bin/davlens use the one in node_modules/.bin.`,
    );
  }
  try {
    db.exec("CREATE VIRTUAL TABLE temp.davlens_check USING fts5(x, tokenize='trigram'); DROP TABLE temp.davlens_check;");
  } catch (e) {
    db.close();
    throw unavailable(`The local store needs SQLite's FTS5 with the trigram tokenizer, which this Node's SQLite lacks (${(e as Error).message}).`);
  }
  // 16 KB pages for a new store (an existing one keeps its own: SQLite ignores this once the file has tables). An
  // initial sync writes every page twice, to the WAL and at the checkpoint, one pwrite per page. bench:sync's 15,000
  // items: 222 -> 181 ms in SQLite (the checkpoints 104 -> 53 ms), the file 8% smaller, the sync's wall 1.56 -> 1.52
  // s (medians of 7 interleaved runs on Radicale); a month's rows read in 4.3 ms instead of 3.9.
  db.exec(`PRAGMA page_size = ${String(PAGE_SIZE)}`);
  // WAL: the CLI and the app may use one profile at the same time; readers never block the writer.
  db.exec('PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;');
  const mode = (db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode?: string } | undefined)?.journal_mode;
  if (mode !== 'wal') {
    db.close();
    // Without WAL the CLI and the app could not share the profile safely (a network file system, say).
    throw unavailable(
      `The local store needs SQLite's WAL mode, which ${file} refused (journal mode "${mode}"): put the profile on a local disk (--profile DIR).`,
    );
  }
  return db;
}

export function unavailable(message: string): DavlensFailure {
  return new DavlensFailure(davlensError('store-unavailable', message, 'store'));
}
