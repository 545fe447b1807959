-- Sessions, their messages, and the full-text index over them.
-- Times are Unix milliseconds (UTC).

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    title         TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    system_prompt TEXT,
    model         TEXT
);
CREATE INDEX sessions_by_update ON sessions (updated_at DESC, id DESC);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    session_id       INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    role             TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    text             TEXT    NOT NULL,
    status           TEXT    NOT NULL
                     CHECK (status IN ('complete', 'partial', 'cancelled', 'failed', 'interrupted')),
    model            TEXT,
    prompt_tokens    INTEGER,
    generated_tokens INTEGER,
    prompt_ms        REAL,
    generate_ms      REAL,
    error            TEXT,
    -- The process streaming a 'partial' reply (store/writers.rs); NULL once closed.
    writer           TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX messages_by_session ON messages (session_id, id);
CREATE INDEX messages_streaming ON messages (writer) WHERE status = 'partial';

-- What the search index holds: one row per searchable thing (kind 0
-- message, 1 document chunk, 2 draft). Its rowid is the index row's rowid
-- and grows with every (re)indexing, so walking the index by descending
-- rowid walks from the most recently written text back.
CREATE TABLE search_refs (
    rowid  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind   INTEGER NOT NULL,
    ref_id INTEGER NOT NULL,
    UNIQUE (kind, ref_id)
);

-- The text indexed is spaced out around CJK characters (store/search.rs),
-- so that unicode61 makes each one a token and a CJK word of any length is
-- a phrase. Contentless: the text itself lives in its own table; snippets
-- are cut from there.
CREATE VIRTUAL TABLE search_index USING fts5 (
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
