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
  // 2: feeds at run time, moderation (visibility, decisions, audit log), announcements and alerts.
  `
  CREATE TABLE feed_settings (
    id TEXT PRIMARY KEY,
    settings TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('file', 'console')),
    file_hash TEXT,
    file_applied_ms INTEGER,
    updated_ms INTEGER NOT NULL,
    updated_by TEXT NOT NULL
  ) WITHOUT ROWID;
  ALTER TABLE posts ADD COLUMN visibility TEXT NOT NULL DEFAULT 'shown'
    CHECK (visibility IN ('shown', 'held', 'hidden', 'filtered'));
  ALTER TABLE posts ADD COLUMN reason TEXT;
  ALTER TABLE posts ADD COLUMN pinned_ms INTEGER;
  ALTER TABLE posts ADD COLUMN expires_ms INTEGER;
  CREATE INDEX posts_public ON posts
    (feed_id, visibility, pinned_ms IS NULL, pinned_ms DESC, created_ms DESC, length(id) DESC, id DESC);
  DROP TABLE moderation;
  CREATE TABLE moderation (
    feed_id TEXT NOT NULL,
    post_id TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('approved', 'hidden')),
    pinned_ms INTEGER,
    decided_by TEXT NOT NULL,
    decided_ms INTEGER NOT NULL,
    reason TEXT,
    PRIMARY KEY (feed_id, post_id)
  ) WITHOUT ROWID;
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    feed_id TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    post_id TEXT,
    reason TEXT,
    summary TEXT NOT NULL DEFAULT '',
    before TEXT,
    after TEXT,
    undone_by INTEGER
  );
  CREATE INDEX audit_by_feed ON audit_log (feed_id, id);
  CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    feed_id TEXT NOT NULL,
    text TEXT NOT NULL,
    lang TEXT,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER,
    withdrawn_ms INTEGER,
    withdrawn_by TEXT,
    created_by TEXT NOT NULL
  );
  CREATE INDEX alerts_by_feed ON alerts (feed_id, withdrawn_ms);
  `,
  // 3: organisers' accounts and their sessions (server/auth/account-store.ts).
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
