//! The instruction sets this build's llama.cpp CPU kernels were compiled
//! for, as llama.cpp itself reports them. The build scripts choose them
//! (scripts/lib/llama-cpu.sh: this machine's own, or a portable AVX2 set);
//! benchmarks print them, and a test checks the choice reached the C++
//! build, since a CMake build Cargo already holds is not reconfigured.

use std::ffi::CStr;
use std::sync::Mutex;

use llama_cpp_sys_2 as sys;

/// Names of the CPU backend's features that are on ("AVX2", "AVX512",
/// "AVX512_VNNI", "LLAMAFILE", ...), in llama.cpp's order.
pub fn cpu_features() -> Vec<String> {
    // llama.cpp rebuilds one static string on each call: one caller at a
    // time, copied before the lock is released.
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: llama_print_system_info returns a NUL-terminated string that
    // stays valid until its next call, which the lock holds off.
    let info = unsafe { CStr::from_ptr(sys::llama_print_system_info()) }
        .to_string_lossy()
        .into_owned();
    parse(&info)
}

/// "CPU : SSE3 = 1 | AVX2 = 1 | ... | CUDA : ARCHS = 890 | " -> the CPU
/// section's names whose value is 1.
fn parse(info: &str) -> Vec<String> {
    let mut backend = "";
    let mut out = Vec::new();
    for part in info.split('|') {
        let mut entry = part.trim();
        if let Some((name, rest)) = entry.split_once(" : ") {
            backend = name.trim();
            entry = rest.trim();
        }
        if backend != "CPU" {
            continue;
        }
        if let Some((name, value)) = entry.split_once(" = ") {
            if value.trim() == "1" {
                out.push(name.trim().to_owned());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_cpu_backends_features_that_are_on_are_listed() {
        let info = "CPU : SSE3 = 1 | AVX2 = 1 | AVX512 = 1 | REPACK = 1 | CUDA : ARCHS = 890 | USE_GRAPHS = 1 | ";
        assert_eq!(parse(info), ["SSE3", "AVX2", "AVX512", "REPACK"]);
        assert!(parse("").is_empty());
    }

    #[test]
    fn llama_cpp_is_built_for_the_instruction_sets_the_build_scripts_chose() {
        let features = cpu_features();
        assert!(!features.is_empty(), "llama.cpp reported no CPU features");
        // Under the scripts (scripts/lib/llama-cpu.sh exports these), every
        // choice must have reached the kernels; a plain `cargo test`
        // without them checks only that the report is readable.
        for (var, name) in [
            ("GGML_AVX", "AVX"),
            ("GGML_AVX2", "AVX2"),
            ("GGML_FMA", "FMA"),
            ("GGML_F16C", "F16C"),
            ("GGML_AVX512", "AVX512"),
            ("GGML_AVX512_VBMI", "AVX512_VBMI"),
            ("GGML_AVX512_VNNI", "AVX512_VNNI"),
            ("GGML_AVX512_BF16", "AVX512_BF16"),
        ] {
            let has = features.iter().any(|f| f == name);
            match std::env::var(var).as_deref() {
                Ok("ON") => assert!(has, "{var}=ON but llama.cpp reports {features:?}"),
                Ok("OFF") => assert!(!has, "{var}=OFF but llama.cpp reports {features:?}"),
                _ => {}
            }
        }
        assert!(
            !features.iter().any(|f| f.starts_with("AMX")),
            "AMX kernels die with an illegal instruction on some VMs: {features:?}"
        );
    }
}
