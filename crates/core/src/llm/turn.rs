//! One llama.cpp computation at a time in this process. ggml's CPU threads
//! meet at a spinning barrier many times per token, and each engine sizes
//! its threads to the cores other *processes* leave free (cpu_load.rs): two
//! engines of one process (a summary beside a chat, the window's detector
//! beside its writer, tests run side by side) would each take every core,
//! and a thread waiting at the barrier for a descheduled partner makes both
//! collapse (measured on 2 cores: 3.8 tokens/s instead of 68). Taking turns
//! per decode call keeps each decode at full speed and the machine's total
//! throughput unchanged; sampling and everything else run in parallel.

use std::sync::{Mutex, PoisonError};

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::DecodeError;

static TURN: Mutex<()> = Mutex::new(());

/// Runs `ctx.decode(batch)` when no other engine of this process is
/// decoding. A cancel still ends it through the context's abort callback.
pub(crate) fn decode(
    ctx: &mut LlamaContext<'_>,
    batch: &mut LlamaBatch,
) -> Result<(), DecodeError> {
    // A panic elsewhere while decoding leaves nothing to repair here.
    let _turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
    ctx.decode(batch)
}
