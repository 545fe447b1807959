//! The catalog of recommended models, compiled in from
//! `assets/models/catalog.json`: for each, where it is on Hugging Face,
//! its size class, quantization, context, licence, languages and what it
//! is good at, plus the attention shape that sizes its KV cache.

use serde::{Deserialize, Serialize};

const CATALOG_JSON: &str = include_str!("../../../../assets/models/catalog.json");

/// One recommended model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogEntry {
    /// Short id for `models pull ID` and the like.
    pub id: String,
    pub family: String,
    pub name: String,
    /// Hugging Face repository and file.
    pub repo: String,
    pub file: String,
    /// Parameters in billions.
    pub parameters_b: f64,
    pub quantization: String,
    /// Context the model was trained for, in tokens.
    pub context: u32,
    pub layers: u32,
    pub kv_heads: u32,
    pub head_dim: u32,
    pub licence: String,
    /// Language codes, strongest first.
    pub languages: Vec<String>,
    pub good_at: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("assets/models/catalog.json: {0}")]
    Invalid(String),
}

#[derive(Deserialize)]
struct CatalogFile {
    models: Vec<CatalogEntry>,
}

/// The catalog, in its file's order.
pub fn catalog() -> Result<Vec<CatalogEntry>, CatalogError> {
    let file: CatalogFile =
        serde_json::from_str(CATALOG_JSON).map_err(|e| CatalogError::Invalid(e.to_string()))?;
    for m in &file.models {
        if m.id.is_empty() || m.repo.split('/').count() != 2 || !m.file.ends_with(".gguf") {
            return Err(CatalogError::Invalid(format!(
                "entry '{}' needs an id, an owner/name repository and a .gguf file",
                m.id
            )));
        }
    }
    Ok(file.models)
}

impl CatalogEntry {
    /// The file's download address on Hugging Face (or `$HF_ENDPOINT`).
    pub fn url(&self, endpoint: &str) -> String {
        format!(
            "{}/{}/resolve/main/{}",
            endpoint.trim_end_matches('/'),
            self.repo,
            self.file
        )
    }

    /// The name the file gets in the models folder: its own name, without
    /// the repository's folders.
    pub fn file_name(&self) -> &str {
        self.file.rsplit('/').next().unwrap_or(&self.file)
    }

    /// Bits per weight of the quantization, averaged over a whole file
    /// (llama.cpp's quantize reports these).
    fn bits_per_weight(&self) -> f64 {
        match self.quantization.to_ascii_uppercase().as_str() {
            "Q2_K" => 3.35,
            "Q3_K_M" => 3.91,
            "Q4_0" => 4.55,
            "Q4_1" => 5.0,
            "Q4_K_S" => 4.58,
            "Q4_K_M" => 4.85,
            "Q5_K_M" => 5.69,
            "Q6_K" => 6.56,
            "Q8_0" => 8.5,
            "F16" | "BF16" => 16.0,
            _ => 8.5,
        }
    }

    /// The file's estimated size in bytes.
    pub fn estimated_bytes(&self) -> u64 {
        (self.parameters_b * 1e9 * self.bits_per_weight() / 8.0) as u64
    }

    /// The KV cache at `n_ctx` tokens (f16 keys and values, llama.cpp's
    /// default).
    pub fn kv_bytes(&self, n_ctx: u32) -> u64 {
        2 * u64::from(self.layers)
            * u64::from(self.kv_heads)
            * u64::from(self.head_dim)
            * u64::from(n_ctx)
            * 2
    }

    /// Memory to run it at `n_ctx`: weights, KV cache, and llama.cpp's
    /// compute buffers and runtime (estimated as 5% of the weights plus
    /// 256 MiB).
    pub fn memory_needed(&self, n_ctx: u32) -> u64 {
        let weights = self.estimated_bytes();
        weights + self.kv_bytes(n_ctx) + weights / 20 + 256 * 1024 * 1024
    }
}
