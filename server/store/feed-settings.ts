/** Feed settings as the store keeps them: the settings JSON and where they come from. */
import type Database from 'better-sqlite3';

export interface StoredFeedSettings {
  id: string;
  /** The settings JSON, as last validated (the registry validates it again when it reads it). */
  settings: unknown;
  origin: 'file' | 'console';
  /** Hash of the config file's entry when it was last applied (null for console-made feeds). */
  fileHash: string | null;
  /** When the file's entry last replaced settings the console had changed (ms), or null. */
  fileAppliedMs: number | null;
  updatedMs: number;
  updatedBy: string;
}

interface Row {
  id: string;
  settings: string;
  origin: 'file' | 'console';
  file_hash: string | null;
  file_applied_ms: number | null;
  updated_ms: number;
  updated_by: string;
}

export class FeedSettingsTable {
  readonly #stmt;
  readonly #read: (json: string, where: Record<string, string>) => unknown;

  constructor(db: Database.Database, read: (json: string, where: Record<string, string>) => unknown) {
    this.#read = read;
    const columns = 'id, settings, origin, file_hash, file_applied_ms, updated_ms, updated_by';
    this.#stmt = {
      get: db.prepare(`SELECT ${columns} FROM feed_settings WHERE id = ?`),
      list: db.prepare(`SELECT ${columns} FROM feed_settings ORDER BY id`),
      put: db.prepare(
        `INSERT INTO feed_settings (id, settings, origin, file_hash, file_applied_ms, updated_ms, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, origin = excluded.origin,
           file_hash = excluded.file_hash, file_applied_ms = excluded.file_applied_ms,
           updated_ms = excluded.updated_ms, updated_by = excluded.updated_by`,
      ),
    };
  }

  #record(row: Row): StoredFeedSettings | undefined {
    const settings = this.#read(row.settings, { table: 'feed_settings', feed: row.id });
    if (settings === undefined) return undefined;
    return {
      id: row.id,
      settings,
      origin: row.origin,
      fileHash: row.file_hash,
      fileAppliedMs: row.file_applied_ms,
      updatedMs: row.updated_ms,
      updatedBy: row.updated_by,
    };
  }

  get(id: string): StoredFeedSettings | undefined {
    const row = this.#stmt.get.get(id) as Row | undefined;
    return row && this.#record(row);
  }

  list(): StoredFeedSettings[] {
    return (this.#stmt.list.all() as Row[]).flatMap((row) => this.#record(row) ?? []);
  }

  put(record: StoredFeedSettings): void {
    this.#stmt.put.run(
      record.id,
      JSON.stringify(record.settings),
      record.origin,
      record.fileHash,
      record.fileAppliedMs,
      record.updatedMs,
      record.updatedBy,
    );
  }
}
