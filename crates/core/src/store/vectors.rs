//! Chunk embeddings kept per model (`chunk_vectors`), so a passage is
//! embedded once and every later question about its file only embeds the
//! question.

use std::collections::HashMap;

use super::{Store, StoreError};

impl Store {
    /// The stored embeddings of `chunks` under `model`, by chunk id.
    pub async fn chunk_vectors(
        &self,
        chunks: &[i64],
        model: &str,
    ) -> Result<HashMap<i64, Vec<f32>>, StoreError> {
        let mut out = HashMap::new();
        // Bounded IN lists: SQLite caps the number of parameters.
        for part in chunks.chunks(500) {
            let marks = vec!["?"; part.len()].join(",");
            let sql = format!(
                "SELECT chunk_id, vector FROM chunk_vectors \
                 WHERE model = ? AND chunk_id IN ({marks})"
            );
            let mut q = sqlx::query_as::<_, (i64, Vec<u8>)>(&sql).bind(model);
            for id in part {
                q = q.bind(id);
            }
            for (id, blob) in q.fetch_all(&self.pool).await.map_err(|e| self.sql(e))? {
                if blob.len() % 4 != 0 {
                    return Err(
                        self.bad_data(format!("vector of chunk {id}: {} bytes", blob.len()))
                    );
                }
                let v = blob
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect();
                out.insert(id, v);
            }
        }
        Ok(out)
    }

    /// Stores embeddings of chunks under `model` (replacing older ones).
    pub async fn save_chunk_vectors(
        &self,
        model: &str,
        vectors: &[(i64, Vec<f32>)],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(|e| self.sql(e))?;
        for (id, v) in vectors {
            let blob: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
            sqlx::query(
                "INSERT OR REPLACE INTO chunk_vectors (chunk_id, model, vector) VALUES (?, ?, ?)",
            )
            .bind(id)
            .bind(model)
            .bind(blob)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.sql(e))?;
        }
        tx.commit().await.map_err(|e| self.sql(e))
    }
}
