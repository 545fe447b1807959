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

-- One row per searchable thing; rowid = id * 4 + kind (0 message, 1 chunk,
-- 2 draft), so a row is found and replaced without scanning. What is
-- indexed is the text with CJK characters spaced apart (store/search.rs),
-- so that unicode61 indexes each one and a CJK word of any length is a
-- phrase. Contentless: the text itself lives in its own table, snippets are
-- cut from there.
CREATE VIRTUAL TABLE search_index USING fts5 (
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
