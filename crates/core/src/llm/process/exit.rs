//! Says in words why the model process ended, from its exit status, what
//! it was doing and its last log lines.

use std::process::ExitStatus;

/// What the process was doing when it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Loading,
    Answering,
    Idle,
}

impl Phase {
    fn during(self) -> &'static str {
        match self {
            Phase::Loading => " while loading the model",
            Phase::Answering => " during the reply",
            Phase::Idle => " between requests",
        }
    }
}

/// Log lines that mean an allocation failed.
const OUT_OF_MEMORY: &[&str] = &[
    "out of memory",
    "bad_alloc",
    "failed to allocate",
    "cannot allocate memory",
    "unable to allocate",
    "memory allocation",
];

/// Whether the log says memory ran out.
pub(crate) fn ran_out_of_memory(log: &[String]) -> bool {
    log.iter().any(|line| {
        let line = line.to_lowercase();
        OUT_OF_MEMORY.iter().any(|m| line.contains(m))
    })
}

/// The cause of an ended process, as the error message's first part.
pub(crate) fn cause(status: Option<ExitStatus>, phase: Phase, log: &[String]) -> String {
    let during = phase.during();
    let advice = match phase {
        Phase::Loading => "; try a smaller context or a smaller model",
        _ => "; try a smaller context",
    };
    if ran_out_of_memory(log) {
        return format!("it ran out of memory{during}{advice}");
    }
    let Some(status) = status else {
        return format!("it ended{during} (its exit status is unknown)");
    };
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return match signal {
                libc::SIGKILL => format!(
                    "it was killed{during} (SIGKILL: most often the system ran out of memory{})",
                    if phase == Phase::Loading {
                        advice
                    } else {
                        ", or another program ended it"
                    }
                ),
                libc::SIGSEGV => format!("it crashed{during} (segmentation fault)"),
                libc::SIGABRT => {
                    format!("it aborted{during} (SIGABRT: llama.cpp stopped on a failed check)")
                }
                libc::SIGBUS => format!(
                    "it crashed{during} (bus error: the model file changed or could not be read)"
                ),
                libc::SIGILL => format!(
                    "it crashed{during} (illegal instruction: this build needs CPU features this computer lacks)"
                ),
                libc::SIGTERM => format!("it was ended{during} (SIGTERM)"),
                other => format!("it was ended{during} by signal {other}"),
            };
        }
    }
    match status.code() {
        Some(code) => format!("it exited{during} with status {code}"),
        None => format!("it ended{during}"),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn signals_are_named_with_what_they_most_often_mean() {
        let killed = cause(
            Some(ExitStatus::from_raw(libc::SIGKILL)),
            Phase::Loading,
            &[],
        );
        assert!(
            killed.contains("ran out of memory") && killed.contains("loading"),
            "{killed}"
        );
        let segv = cause(
            Some(ExitStatus::from_raw(libc::SIGSEGV)),
            Phase::Answering,
            &[],
        );
        assert_eq!(segv, "it crashed during the reply (segmentation fault)");
        let abort = cause(
            Some(ExitStatus::from_raw(libc::SIGABRT)),
            Phase::Answering,
            &[],
        );
        assert!(abort.contains("SIGABRT"), "{abort}");
        let code = cause(Some(ExitStatus::from_raw(3 << 8)), Phase::Idle, &[]);
        assert_eq!(code, "it exited between requests with status 3");
    }

    #[test]
    fn an_allocation_failure_in_the_log_is_said_as_out_of_memory() {
        let log = vec!["ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 1073741824".to_owned()];
        let said = cause(
            Some(ExitStatus::from_raw(libc::SIGABRT)),
            Phase::Loading,
            &log,
        );
        assert_eq!(
            said,
            "it ran out of memory while loading the model; try a smaller context or a smaller model"
        );
    }
}
