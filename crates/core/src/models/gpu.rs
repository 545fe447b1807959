//! The GPUs this computer has and their free memory, for judging which
//! models fit when this build offloads to a GPU (the `cuda`, `vulkan` or
//! `metal` feature): NVIDIA's read from `nvidia-smi`, AMD's from the amdgpu
//! driver's files under /sys. A CPU build, or a computer without one of
//! these, judges by RAM alone.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

/// One GPU and its memory, in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gpu {
    pub name: String,
    pub total: u64,
    pub free: u64,
}

/// Whether this build can put a model's layers on a GPU.
pub fn build_offloads() -> bool {
    cfg!(any(feature = "cuda", feature = "vulkan", feature = "metal"))
}

/// The GPUs found, largest free memory first (NVIDIA, then AMD).
pub fn detect() -> Vec<Gpu> {
    let mut gpus = nvidia_smi()
        .map(|t| parse_nvidia_smi(&t))
        .unwrap_or_default();
    gpus.extend(amd(Path::new("/sys/class/drm")));
    gpus.sort_by_key(|g| std::cmp::Reverse(g.free));
    gpus
}

/// The GPU a model would be put on when this build offloads: the one with
/// the most free memory.
pub fn for_models() -> Option<Gpu> {
    if !build_offloads() {
        return None;
    }
    detect().into_iter().next()
}

/// `nvidia-smi`'s CSV of name, total and free memory (MiB), or None when
/// it is missing or takes more than three seconds (a hung driver must not
/// hang `models catalog`).
fn nvidia_smi() -> Option<String> {
    let mut child = Command::new("nvidia-smi")
        .args([
            "--query-gpu=name,memory.total,memory.free",
            "--format=csv,noheader,nounits",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(Some(_)) | Err(_) => return None,
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take()?, &mut out).ok()?;
    Some(out)
}

/// Lines of `name, total MiB, free MiB`; lines that do not read so are
/// left out.
pub fn parse_nvidia_smi(text: &str) -> Vec<Gpu> {
    const MIB: u64 = 1024 * 1024;
    text.lines()
        .filter_map(|line| {
            let mut parts = line.rsplitn(3, ',').map(str::trim);
            let free: u64 = parts.next()?.parse().ok()?;
            let total: u64 = parts.next()?.parse().ok()?;
            let name = parts.next()?.to_owned();
            (!name.is_empty()).then(|| Gpu {
                name,
                total: total * MIB,
                free: free.min(total) * MIB,
            })
        })
        .collect()
}

/// AMD GPUs: `cardN/device/mem_info_vram_total` and `..._used` (bytes),
/// under `drm` (normally /sys/class/drm).
pub fn amd(drm: &Path) -> Vec<Gpu> {
    let Ok(entries) = std::fs::read_dir(drm) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // `card0`, not its outputs (`card0-DP-1`).
        .filter(|n| {
            n.strip_prefix("card")
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();
    names.sort();
    let read = |p: &Path| -> Option<u64> { std::fs::read_to_string(p).ok()?.trim().parse().ok() };
    names
        .into_iter()
        .filter_map(|card| {
            let dev = drm.join(&card).join("device");
            let total = read(&dev.join("mem_info_vram_total"))?;
            let used = read(&dev.join("mem_info_vram_used")).unwrap_or(0);
            let name = std::fs::read_to_string(dev.join("product_name"))
                .ok()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("AMD GPU ({card})"));
            Some(Gpu {
                name,
                total,
                free: total.saturating_sub(used),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nvidia_smi_lines_are_read_with_commas_in_the_name_and_bad_lines_left_out() {
        let gpus = parse_nvidia_smi(
            "NVIDIA H100 80GB HBM3, 81559, 81002\nNVIDIA GeForce RTX 4090, Founders, 24564, 1024\n\nNo devices were found\n",
        );
        assert_eq!(gpus.len(), 2, "{gpus:?}");
        assert_eq!(gpus[0].name, "NVIDIA H100 80GB HBM3");
        assert_eq!(gpus[0].free, 81002 * 1024 * 1024);
        assert_eq!(gpus[1].name, "NVIDIA GeForce RTX 4090, Founders");
        assert_eq!(gpus[1].total, 24564 * 1024 * 1024);
    }

    #[test]
    fn amd_cards_are_read_from_the_drivers_files_and_their_outputs_skipped() {
        let drm = tempfile::tempdir().unwrap();
        let dev = drm.path().join("card1/device");
        std::fs::create_dir_all(&dev).unwrap();
        std::fs::write(dev.join("mem_info_vram_total"), "17163091968\n").unwrap();
        std::fs::write(dev.join("mem_info_vram_used"), "1163091968\n").unwrap();
        std::fs::write(dev.join("product_name"), "Radeon RX 7800 XT\n").unwrap();
        // An output of the card, and a card without VRAM files (Intel).
        std::fs::create_dir_all(drm.path().join("card1-DP-1")).unwrap();
        std::fs::create_dir_all(drm.path().join("card0/device")).unwrap();
        let gpus = amd(drm.path());
        assert_eq!(
            gpus,
            vec![Gpu {
                name: "Radeon RX 7800 XT".into(),
                total: 17163091968,
                free: 16000000000,
            }]
        );
    }
}
