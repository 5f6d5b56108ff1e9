-- Users, their roles in programs, sessions, API tokens, login throttling,
-- setup codes and the result cache. Times are UTC text of one fixed width
-- (`2026-01-02T03:04:05.000006Z`), so comparing them as text compares
-- them as times. Audit rows about users carry an empty program_id.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name = lower(name)),
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    server_admin INTEGER NOT NULL,
    disabled INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    program_id TEXT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    PRIMARY KEY (program_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id, last_seen);
CREATE INDEX sessions_last_seen ON sessions (last_seen);
CREATE INDEX sessions_created ON sessions (created_at);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    -- A JSON array of program ids, or NULL for every program.
    programs TEXT,
    can_write INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    last_used TEXT,
    revoked_at TEXT
);
CREATE INDEX tokens_user ON tokens (user_id, created_at);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);
CREATE INDEX login_failures_at ON login_failures (at);

CREATE TABLE setup_codes (
    hash TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE result_cache (
    program_id TEXT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    key TEXT NOT NULL,
    bytes BLOB NOT NULL,
    size INTEGER NOT NULL,
    stored_at TEXT NOT NULL,
    PRIMARY KEY (program_id, version, key)
);
CREATE INDEX result_cache_age ON result_cache (program_id, stored_at);
