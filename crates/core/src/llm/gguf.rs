//! Reads a GGUF file's header, metadata and tensor table without loading any
//! weights, so that `models info`, the model picker and the engine's own
//! pre-load check can describe or reject a file in milliseconds.
//!
//! Every length read from the file is bounded before anything is allocated:
//! a hostile or truncated file yields a [`LlmError`] naming it, never a huge
//! allocation, a panic or an abort inside llama.cpp.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::arch;
use super::error::LlmError;

/// Longest metadata key accepted (the spec caps keys at 65535 bytes).
const MAX_KEY_LEN: u64 = 65_535;
/// Longest string value accepted; chat templates are a few KiB.
const MAX_STRING_LEN: u64 = 16 * 1024 * 1024;
/// More entries than any real model carries; guards the loops below.
const MAX_KV_COUNT: u64 = 1_000_000;
const MAX_TENSOR_COUNT: u64 = 10_000_000;
const MAX_ARRAY_LEN: u64 = 100_000_000;
/// ggml's GGML_MAX_DIMS.
const MAX_DIMS: u32 = 4;

/// One metadata value. Arrays are summarised (the tokenizer's vocabulary
/// alone holds tens of thousands of strings that no caller needs here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MetaValue {
    UInt(u64),
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    Array { len: u64 },
}

impl MetaValue {
    fn as_u64(&self) -> Option<u64> {
        match *self {
            MetaValue::UInt(v) => Some(v),
            MetaValue::Int(v) => u64::try_from(v).ok(),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            MetaValue::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// What a GGUF file says about itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelInfo {
    pub path: PathBuf,
    pub file_size: u64,
    pub gguf_version: u32,
    /// `general.name`, or the file stem when the file has none.
    pub name: String,
    /// The name to show people: `general.name` unless it is a training
    /// tag ("Smollm2 135M 8k Lc100K Mix1 Ep2"), else the file's name.
    #[serde(default)]
    pub display_name: String,
    pub architecture: String,
    /// Sum of the element counts of all tensors.
    pub parameters: u64,
    /// Quantization from `general.file_type`, else the most common tensor type.
    pub quantization: String,
    /// `<arch>.context_length`: the context the model was trained for.
    pub context_length: Option<u64>,
    pub embedding_length: Option<u64>,
    pub block_count: Option<u64>,
    pub vocab_size: Option<u64>,
    /// `tokenizer.chat_template` (Jinja), when the file carries one.
    pub chat_template: Option<String>,
    pub tensor_count: u64,
    /// Whether llama.cpp (the version built into this binary) knows the
    /// architecture.
    pub architecture_supported: bool,
    #[serde(skip)]
    pub metadata: BTreeMap<String, MetaValue>,
}

impl ModelInfo {
    /// A model served by a remote server: its name, and the server's URL
    /// where a file's path would be.
    pub fn remote(name: &str, url: &str) -> ModelInfo {
        ModelInfo {
            path: PathBuf::from(url),
            file_size: 0,
            gguf_version: 0,
            name: name.to_owned(),
            display_name: name.to_owned(),
            architecture: "remote".into(),
            parameters: 0,
            quantization: "remote".into(),
            context_length: None,
            embedding_length: None,
            block_count: None,
            vocab_size: None,
            chat_template: None,
            tensor_count: 0,
            architecture_supported: true,
            metadata: BTreeMap::new(),
        }
    }

    /// Parameters in a short human form: `135M`, `1.2B`.
    pub fn parameters_human(&self) -> String {
        let p = self.parameters as f64;
        if p >= 1e9 {
            format!("{:.1}B", p / 1e9)
        } else if p >= 1e6 {
            format!("{:.0}M", p / 1e6)
        } else {
            format!("{:.0}K", p / 1e3)
        }
    }

    /// Fails with [`LlmError::UnsupportedArchitecture`] when llama.cpp would
    /// refuse the file.
    pub fn ensure_supported(&self) -> Result<(), LlmError> {
        if self.architecture_supported {
            Ok(())
        } else {
            Err(LlmError::UnsupportedArchitecture {
                path: self.path.clone(),
                arch: self.architecture.clone(),
            })
        }
    }
}

/// The four bytes every GGUF file starts with.
const MAGIC: &[u8; 4] = b"GGUF";

/// Whether the file at `path` starts with the GGUF magic: a quick look
/// before offering a file as a model ([`inspect`] checks the rest).
pub fn has_magic(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && &magic == MAGIC
}

/// Reads and checks the file's header, metadata and tensor table, and checks
/// that every tensor's data lies inside the file (a cut-off download is the
/// commonest broken model).
pub fn inspect(path: &Path) -> Result<ModelInfo, LlmError> {
    let io = |source| LlmError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(LlmError::NotGguf {
            path: path.to_path_buf(),
            detail: "it is a folder".into(),
        });
    }
    let file_size = meta.len();
    let mut r = Reader {
        inner: BufReader::with_capacity(1 << 16, file),
        pos: 0,
        path,
        file_size,
    };

    let mut magic = [0u8; 4];
    r.read_exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(LlmError::NotGguf {
            path: path.to_path_buf(),
            detail: format!(
                "it starts with {:?}, not \"GGUF\"",
                String::from_utf8_lossy(&magic)
            ),
        });
    }
    let version = r.u32()?;
    if !(2..=3).contains(&version) {
        return Err(r.malformed(format!(
            "GGUF version {version} is not supported (2 and 3 are)"
        )));
    }
    let tensor_count = r.u64()?;
    let kv_count = r.u64()?;
    if tensor_count > MAX_TENSOR_COUNT || kv_count > MAX_KV_COUNT {
        return Err(r.malformed(format!(
            "implausible counts ({tensor_count} tensors, {kv_count} metadata entries)"
        )));
    }

    let mut metadata = BTreeMap::new();
    for _ in 0..kv_count {
        let key = r.string(MAX_KEY_LEN)?;
        let ty = r.u32()?;
        let value = r.value(ty)?;
        metadata.insert(key, value);
    }

    let mut parameters: u64 = 0;
    let mut data_end: u64 = 0;
    let mut type_counts: BTreeMap<u32, u64> = BTreeMap::new();
    for _ in 0..tensor_count {
        let name = r.string(MAX_KEY_LEN)?;
        let n_dims = r.u32()?;
        if n_dims == 0 || n_dims > MAX_DIMS {
            return Err(r.malformed(format!("tensor '{name}' has {n_dims} dimensions")));
        }
        let mut elements: u64 = 1;
        for _ in 0..n_dims {
            elements = elements
                .checked_mul(r.u64()?)
                .ok_or_else(|| r.malformed(format!("tensor '{name}' is impossibly large")))?;
        }
        let ty = r.u32()?;
        let offset = r.u64()?;
        parameters = parameters.saturating_add(elements);
        *type_counts.entry(ty).or_default() += elements;
        if let Some(bytes) = tensor_bytes(ty, elements) {
            data_end = data_end.max(offset.saturating_add(bytes));
        } else {
            data_end = data_end.max(offset);
        }
    }

    let alignment = metadata
        .get("general.alignment")
        .and_then(MetaValue::as_u64)
        .filter(|a| *a > 0 && a.is_power_of_two())
        .unwrap_or(32);
    let data_start = r.pos.div_ceil(alignment) * alignment;
    let needed = data_start.saturating_add(data_end);
    if needed > file_size {
        return Err(LlmError::Truncated {
            path: path.to_path_buf(),
            detail: format!(
                "its tensors need {needed} bytes but the file has {file_size} (an incomplete download?)"
            ),
        });
    }

    let architecture = metadata
        .get("general.architecture")
        .and_then(MetaValue::as_str)
        .map(str::to_owned)
        .ok_or_else(|| r.malformed("no general.architecture entry".into()))?;
    let arch_u64 = |suffix: &str| {
        metadata
            .get(&format!("{architecture}.{suffix}"))
            .and_then(MetaValue::as_u64)
    };
    let general_name = metadata.get("general.name").and_then(MetaValue::as_str);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let display_name = super::names::readable_name(general_name, &stem);
    let name = general_name.map_or(stem, str::to_owned);
    let quantization = metadata
        .get("general.file_type")
        .and_then(MetaValue::as_u64)
        .and_then(file_type_name)
        .map(str::to_owned)
        .or_else(|| {
            type_counts
                .iter()
                .max_by_key(|(_, n)| **n)
                .map(|(ty, _)| tensor_type_name(*ty).to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let vocab_size = match metadata.get("tokenizer.ggml.tokens") {
        Some(MetaValue::Array { len }) => Some(*len),
        _ => None,
    };

    Ok(ModelInfo {
        path: path.to_path_buf(),
        file_size,
        gguf_version: version,
        name,
        display_name,
        architecture_supported: arch::is_supported(&architecture),
        context_length: arch_u64("context_length"),
        embedding_length: arch_u64("embedding_length"),
        block_count: arch_u64("block_count"),
        architecture,
        parameters,
        quantization,
        vocab_size,
        chat_template: metadata
            .get("tokenizer.chat_template")
            .and_then(MetaValue::as_str)
            .map(str::to_owned),
        tensor_count,
        metadata,
    })
}

/// A counting reader: every read checks the file still has the bytes, so a
/// cut-off header reports "truncated" instead of a bare I/O error.
struct Reader<'a> {
    inner: BufReader<File>,
    pos: u64,
    path: &'a Path,
    file_size: u64,
}

impl Reader<'_> {
    fn truncated(&self, want: u64) -> LlmError {
        LlmError::Truncated {
            path: self.path.to_path_buf(),
            detail: format!(
                "the header needs {} more bytes at offset {} but the file ends at {}",
                want, self.pos, self.file_size
            ),
        }
    }

    fn malformed(&self, detail: String) -> LlmError {
        LlmError::Malformed {
            path: self.path.to_path_buf(),
            detail,
        }
    }

    fn read_exact(&mut self, buf: &mut [u8]) -> Result<(), LlmError> {
        let want = buf.len() as u64;
        if self.pos.saturating_add(want) > self.file_size {
            return Err(self.truncated(want));
        }
        self.inner.read_exact(buf).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                self.truncated(want)
            } else {
                LlmError::Io {
                    path: self.path.to_path_buf(),
                    source: e,
                }
            }
        })?;
        self.pos += want;
        Ok(())
    }

    fn skip(&mut self, n: u64) -> Result<(), LlmError> {
        if self.pos.saturating_add(n) > self.file_size {
            return Err(self.truncated(n));
        }
        let copied = std::io::copy(&mut (&mut self.inner).take(n), &mut std::io::sink()).map_err(
            |source| LlmError::Io {
                path: self.path.to_path_buf(),
                source,
            },
        )?;
        if copied != n {
            return Err(self.truncated(n - copied));
        }
        self.pos += n;
        Ok(())
    }

    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], LlmError> {
        let mut b = [0u8; N];
        self.read_exact(&mut b)?;
        Ok(b)
    }

    fn u32(&mut self) -> Result<u32, LlmError> {
        Ok(u32::from_le_bytes(self.bytes()?))
    }

    fn u64(&mut self) -> Result<u64, LlmError> {
        Ok(u64::from_le_bytes(self.bytes()?))
    }

    fn string(&mut self, max: u64) -> Result<String, LlmError> {
        let len = self.u64()?;
        if len > max {
            return Err(self.malformed(format!(
                "a string of {len} bytes at offset {} (limit {max})",
                self.pos
            )));
        }
        if self.pos.saturating_add(len) > self.file_size {
            return Err(self.truncated(len));
        }
        let mut buf = vec![0u8; len as usize];
        self.read_exact(&mut buf)?;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    fn value(&mut self, ty: u32) -> Result<MetaValue, LlmError> {
        Ok(match ty {
            0 => MetaValue::UInt(u8::from_le_bytes(self.bytes()?).into()),
            1 => MetaValue::Int(i8::from_le_bytes(self.bytes()?).into()),
            2 => MetaValue::UInt(u16::from_le_bytes(self.bytes()?).into()),
            3 => MetaValue::Int(i16::from_le_bytes(self.bytes()?).into()),
            4 => MetaValue::UInt(self.u32()?.into()),
            5 => MetaValue::Int(i32::from_le_bytes(self.bytes()?).into()),
            6 => MetaValue::Float(f32::from_le_bytes(self.bytes()?).into()),
            7 => MetaValue::Bool(self.bytes::<1>()?[0] != 0),
            8 => MetaValue::Str(self.string(MAX_STRING_LEN)?),
            9 => {
                let elem = self.u32()?;
                let len = self.u64()?;
                if len > MAX_ARRAY_LEN {
                    return Err(self.malformed(format!("an array of {len} entries")));
                }
                match fixed_size(elem) {
                    Some(size) => self.skip(len.saturating_mul(size))?,
                    None if elem == 8 => {
                        for _ in 0..len {
                            let n = self.u64()?;
                            if n > MAX_STRING_LEN {
                                return Err(
                                    self.malformed(format!("a string of {n} bytes in an array"))
                                );
                            }
                            self.skip(n)?;
                        }
                    }
                    None => {
                        return Err(self.malformed(format!("an array of value type {elem}")));
                    }
                }
                MetaValue::Array { len }
            }
            10 => MetaValue::UInt(self.u64()?),
            11 => MetaValue::Int(i64::from_le_bytes(self.bytes()?)),
            12 => MetaValue::Float(f64::from_le_bytes(self.bytes()?)),
            other => return Err(self.malformed(format!("unknown metadata value type {other}"))),
        })
    }
}

/// Byte size of fixed-size GGUF value types (not strings or arrays).
fn fixed_size(ty: u32) -> Option<u64> {
    match ty {
        0 | 1 | 7 => Some(1),
        2 | 3 => Some(2),
        4..=6 => Some(4),
        10..=12 => Some(8),
        _ => None,
    }
}

/// (block size, bytes per block) of ggml tensor types, from ggml.c's
/// type_traits. Unknown types are not size-checked.
fn tensor_layout(ty: u32) -> Option<(u64, u64)> {
    Some(match ty {
        0 => (1, 4),       // F32
        1 => (1, 2),       // F16
        2 => (32, 18),     // Q4_0
        3 => (32, 20),     // Q4_1
        6 => (32, 22),     // Q5_0
        7 => (32, 24),     // Q5_1
        8 => (32, 34),     // Q8_0
        9 => (32, 36),     // Q8_1
        10 => (256, 84),   // Q2_K
        11 => (256, 110),  // Q3_K
        12 => (256, 144),  // Q4_K
        13 => (256, 176),  // Q5_K
        14 => (256, 210),  // Q6_K
        15 => (256, 292),  // Q8_K
        16 => (256, 66),   // IQ2_XXS
        17 => (256, 74),   // IQ2_XS
        18 => (256, 98),   // IQ3_XXS
        19 => (256, 50),   // IQ1_S
        20 => (32, 18),    // IQ4_NL
        21 => (256, 110),  // IQ3_S
        22 => (256, 82),   // IQ2_S
        23 => (256, 136),  // IQ4_XS
        24 => (1, 1),      // I8
        25 => (1, 2),      // I16
        26 => (1, 4),      // I32
        27 | 28 => (1, 8), // I64, F64
        29 => (256, 56),   // IQ1_M
        30 => (1, 2),      // BF16
        34 => (256, 54),   // TQ1_0
        35 => (256, 66),   // TQ2_0
        39 => (32, 17),    // MXFP4
        _ => return None,
    })
}

fn tensor_bytes(ty: u32, elements: u64) -> Option<u64> {
    let (block, size) = tensor_layout(ty)?;
    Some(elements.div_ceil(block).saturating_mul(size))
}

fn tensor_type_name(ty: u32) -> &'static str {
    match ty {
        0 => "F32",
        1 => "F16",
        2 => "Q4_0",
        3 => "Q4_1",
        6 => "Q5_0",
        7 => "Q5_1",
        8 => "Q8_0",
        10 => "Q2_K",
        11 => "Q3_K",
        12 => "Q4_K",
        13 => "Q5_K",
        14 => "Q6_K",
        20 => "IQ4_NL",
        23 => "IQ4_XS",
        30 => "BF16",
        39 => "MXFP4",
        _ => "other",
    }
}

/// llama.h's `llama_ftype` values.
fn file_type_name(ft: u64) -> Option<&'static str> {
    Some(match ft {
        0 => "F32",
        1 => "F16",
        2 => "Q4_0",
        3 => "Q4_1",
        7 => "Q8_0",
        8 => "Q5_0",
        9 => "Q5_1",
        10 => "Q2_K",
        11 => "Q3_K_S",
        12 => "Q3_K_M",
        13 => "Q3_K_L",
        14 => "Q4_K_S",
        15 => "Q4_K_M",
        16 => "Q5_K_S",
        17 => "Q5_K_M",
        18 => "Q6_K",
        19 => "IQ2_XXS",
        20 => "IQ2_XS",
        21 => "Q2_K_S",
        22 => "IQ3_XS",
        23 => "IQ3_XXS",
        24 => "IQ1_S",
        25 => "IQ4_NL",
        26 => "IQ3_S",
        27 => "IQ3_M",
        28 => "IQ2_S",
        29 => "IQ2_M",
        30 => "IQ4_XS",
        31 => "IQ1_M",
        32 => "BF16",
        36 => "TQ1_0",
        37 => "TQ2_0",
        38 => "MXFP4_MOE",
        39 => "NVFP4",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal GGUF writer, enough to build hostile and odd files.
    pub(crate) struct GgufBuilder {
        kv: Vec<(String, u32, Vec<u8>)>,
        tensors: Vec<(String, Vec<u64>, u32, u64)>,
        data_len: u64,
    }

    fn gstr(s: &str) -> Vec<u8> {
        let mut v = (s.len() as u64).to_le_bytes().to_vec();
        v.extend_from_slice(s.as_bytes());
        v
    }

    impl GgufBuilder {
        pub(crate) fn new(arch: &str) -> Self {
            let mut b = GgufBuilder {
                kv: vec![],
                tensors: vec![],
                data_len: 0,
            };
            b.kv.push(("general.architecture".into(), 8, gstr(arch)));
            b
        }
        fn u32(mut self, k: &str, v: u32) -> Self {
            self.kv.push((k.into(), 4, v.to_le_bytes().to_vec()));
            self
        }
        fn tensor(mut self, name: &str, dims: &[u64], ty: u32, data_len: u64) -> Self {
            let offset = self.data_len;
            self.tensors.push((name.into(), dims.to_vec(), ty, offset));
            self.data_len += data_len.div_ceil(32) * 32;
            self
        }
        fn bytes(&self, with_data: bool) -> Vec<u8> {
            let mut out = b"GGUF".to_vec();
            out.extend_from_slice(&3u32.to_le_bytes());
            out.extend_from_slice(&(self.tensors.len() as u64).to_le_bytes());
            out.extend_from_slice(&(self.kv.len() as u64).to_le_bytes());
            for (k, ty, v) in &self.kv {
                out.extend(gstr(k));
                out.extend_from_slice(&ty.to_le_bytes());
                out.extend_from_slice(v);
            }
            for (name, dims, ty, off) in &self.tensors {
                out.extend(gstr(name));
                out.extend_from_slice(&(dims.len() as u32).to_le_bytes());
                for d in dims {
                    out.extend_from_slice(&d.to_le_bytes());
                }
                out.extend_from_slice(&ty.to_le_bytes());
                out.extend_from_slice(&off.to_le_bytes());
            }
            while !out.len().is_multiple_of(32) {
                out.push(0);
            }
            if with_data {
                out.resize(out.len() + self.data_len as usize, 0);
            }
            out
        }
    }

    fn write(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn reads_architecture_parameters_and_quantization() {
        let b = GgufBuilder::new("llama")
            .u32("general.file_type", 3)
            .u32("llama.context_length", 2048)
            .tensor("a", &[64, 4], 0, 64 * 4 * 4)
            .tensor("b", &[32], 3, 20);
        let f = write(&b.bytes(true));
        let info = inspect(f.path()).unwrap();
        assert_eq!(info.architecture, "llama");
        assert_eq!(info.parameters, 64 * 4 + 32);
        assert_eq!(info.quantization, "Q4_1");
        assert_eq!(info.context_length, Some(2048));
        assert!(info.architecture_supported);
        assert!(info.chat_template.is_none());
    }

    #[test]
    fn missing_tensor_data_is_reported_as_truncated() {
        let b = GgufBuilder::new("llama").tensor("a", &[1024], 0, 4096);
        let f = write(&b.bytes(false));
        let err = inspect(f.path()).unwrap_err();
        assert!(matches!(err, LlmError::Truncated { .. }), "{err}");
    }

    #[test]
    fn a_cut_header_is_reported_as_truncated() {
        let b = GgufBuilder::new("llama").u32("llama.context_length", 2048);
        let bytes = b.bytes(true);
        let f = write(&bytes[..bytes.len() - 40]);
        let err = inspect(f.path()).unwrap_err();
        assert!(matches!(err, LlmError::Truncated { .. }), "{err}");
    }

    #[test]
    fn text_is_not_gguf() {
        let f = write(b"hello, this is not a model");
        let err = inspect(f.path()).unwrap_err();
        assert!(matches!(err, LlmError::NotGguf { .. }), "{err}");
        assert!(err.to_string().contains(&f.path().display().to_string()));
    }

    #[test]
    fn an_unknown_architecture_is_flagged() {
        let f = write(&GgufBuilder::new("no-such-arch").bytes(true));
        let info = inspect(f.path()).unwrap();
        assert!(!info.architecture_supported);
        let err = info.ensure_supported().unwrap_err();
        assert!(err.to_string().contains("no-such-arch"), "{err}");
    }

    #[test]
    fn a_huge_string_length_is_refused_without_allocating() {
        let mut bytes = b"GGUF".to_vec();
        bytes.extend_from_slice(&3u32.to_le_bytes());
        bytes.extend_from_slice(&0u64.to_le_bytes());
        bytes.extend_from_slice(&1u64.to_le_bytes());
        bytes.extend_from_slice(&u64::MAX.to_le_bytes());
        let f = write(&bytes);
        let err = inspect(f.path()).unwrap_err();
        assert!(matches!(err, LlmError::Malformed { .. }), "{err}");
    }
}
