-- Opened documents (extraction cached by content hash), their chunks,
-- drafts with versions, spreadsheet analyses, settings, and citations on
-- messages.

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    sha256       TEXT    NOT NULL UNIQUE,
    format       TEXT    NOT NULL,
    title        TEXT,
    -- The reader's output (JSON array of blocks), so reopening skips parsing.
    blocks       TEXT    NOT NULL,
    warnings     TEXT    NOT NULL DEFAULT '[]',
    bytes        INTEGER NOT NULL,
    extracted_at INTEGER NOT NULL
);

CREATE TABLE session_documents (
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    path        TEXT    NOT NULL,
    opened_at   INTEGER NOT NULL,
    PRIMARY KEY (session_id, document_id)
);
CREATE INDEX session_documents_by_document ON session_documents (document_id);

CREATE TABLE chunks (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    -- What the chunks were cut for: tokenizer and token budget.
    chunker     TEXT    NOT NULL,
    idx         INTEGER NOT NULL,
    text        TEXT    NOT NULL,
    locs        TEXT    NOT NULL,
    tokens      INTEGER NOT NULL,
    UNIQUE (document_id, chunker, idx)
);

CREATE TABLE drafts (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER REFERENCES sessions (id) ON DELETE CASCADE,
    template   TEXT,
    title      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX drafts_by_session ON drafts (session_id);

CREATE TABLE draft_versions (
    id         INTEGER PRIMARY KEY,
    draft_id   INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    -- Template fields (JSON object) and what made this version ("generated",
    -- "edited", "shorten", ...).
    fields     TEXT    NOT NULL DEFAULT '{}',
    origin     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (draft_id, version)
);

CREATE TABLE analyses (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER REFERENCES sessions (id) ON DELETE CASCADE,
    document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
    file        TEXT    NOT NULL,
    question    TEXT    NOT NULL,
    plan        TEXT    NOT NULL,
    result      TEXT    NOT NULL,
    answer      TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX analyses_by_session ON analyses (session_id);

CREATE TABLE settings (
    key        TEXT    PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Sources a reply rests on: JSON array of {file, loc}.
ALTER TABLE messages ADD COLUMN citations TEXT NOT NULL DEFAULT '[]';
