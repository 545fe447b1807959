-- Embeddings of stored chunks, per model: computed once, when a question
-- first ranks the chunk, and reused by every later question. Little-endian
-- f32 values of unit length.
CREATE TABLE chunk_vectors (
    chunk_id INTEGER NOT NULL REFERENCES chunks (id) ON DELETE CASCADE,
    model    TEXT    NOT NULL,
    vector   BLOB    NOT NULL,
    PRIMARY KEY (chunk_id, model)
);
