/** Versioned schema migrations, applied in order; `PRAGMA user_version` records the last one applied. */
export const migrations: readonly string[] = [
  // 1: posts, feed revisions, cursors, source state, moderation decisions, tombstones.
  `
  CREATE TABLE feeds (
    id TEXT PRIMARY KEY,
    revision INTEGER NOT NULL DEFAULT 0,
    last_success_ms INTEGER,
    last_change_ms INTEGER
  );
  CREATE TABLE posts (
    feed_id TEXT NOT NULL,
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    body TEXT NOT NULL,
    revision INTEGER NOT NULL,
    stored_ms INTEGER NOT NULL,
    PRIMARY KEY (feed_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX posts_by_time ON posts (feed_id, created_ms DESC);
  CREATE INDEX posts_by_age ON posts (created_ms);
  CREATE TABLE cursors (
    feed_id TEXT NOT NULL,
    source TEXT NOT NULL,
    cursor TEXT,
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (feed_id, source)
  ) WITHOUT ROWID;
  CREATE TABLE source_state (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (scope, key)
  ) WITHOUT ROWID;
  CREATE TABLE removed_posts (
    feed_id TEXT NOT NULL,
    id TEXT NOT NULL,
    removed_ms INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (feed_id, id)
  ) WITHOUT ROWID;
  CREATE TABLE moderation (
    feed_id TEXT NOT NULL,
    post_id TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('approved', 'hidden', 'pinned')),
    decided_by TEXT,
    decided_ms INTEGER NOT NULL,
    note TEXT,
    PRIMARY KEY (feed_id, post_id)
  ) WITHOUT ROWID;
  `,
  // 2: organisers' accounts and their sessions (server/auth/account-store.ts).
  `
  CREATE TABLE users (
    username TEXT PRIMARY KEY COLLATE NOCASE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'moderator')),
    password_hash TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    disabled_ms INTEGER
  );
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL COLLATE NOCASE REFERENCES users (username) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    user_agent TEXT
  ) WITHOUT ROWID;
  CREATE INDEX sessions_by_user ON sessions (username, created_ms);
  `,
];
