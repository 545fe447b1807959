//! Three llama.cpp controls that llama-cpp-2's safe API (0.1.160) lacks, on a
//! live context: the abort callback, so a cancel stops a long prompt in the
//! middle of its decode instead of after it; the thread count, so the engine
//! can follow the machine's load without rebuilding the context (and losing
//! its KV cache); and a persistent thread pool, as llama.cpp's own tools use,
//! instead of threads started and joined for every decoded token.
//!
//! The crate keeps the context pointer private. `LlamaModel` is
//! `#[repr(transparent)]` over its pointer, so the model pointer is read
//! soundly; the context pointer is taken from the context's `Debug` output
//! and accepted only if llama.cpp confirms it belongs to that model. When
//! that fails (a future version prints differently) the engine falls back to
//! short prompt sub-batches and rebuilding the context.

use std::ffi::c_void;
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_sys_2 as sys;

/// What the abort callback reads: the cancel flag of the request being
/// decoded, or null between requests.
#[derive(Default)]
pub(crate) struct AbortState {
    current: AtomicPtr<AtomicBool>,
}

impl AbortState {
    /// Points the callback at `flag` until the guard drops. The flag must
    /// outlive the guard, which the borrow ensures.
    pub(crate) fn watch<'a>(&'a self, flag: &'a AtomicBool) -> AbortWatch<'a> {
        self.current
            .store(ptr::from_ref(flag).cast_mut(), Ordering::Release);
        AbortWatch { state: self }
    }
}

pub(crate) struct AbortWatch<'a> {
    state: &'a AbortState,
}

impl Drop for AbortWatch<'_> {
    fn drop(&mut self) {
        self.state.current.store(ptr::null_mut(), Ordering::Release);
    }
}

unsafe extern "C" fn should_abort(data: *mut c_void) -> bool {
    // SAFETY: `data` is the AbortState registered in `RawContext::new`, which
    // outlives the context; `current` is null or a flag kept alive by an
    // AbortWatch.
    let state = unsafe { &*data.cast::<AbortState>() };
    let flag = state.current.load(Ordering::Acquire);
    !flag.is_null() && unsafe { (*flag).load(Ordering::Relaxed) }
}

/// The raw handle of a context, verified against its model.
pub(crate) struct RawContext {
    ctx: NonNull<sys::llama_context>,
}

impl RawContext {
    /// Finds the context's pointer and registers the abort callback reading
    /// `abort`. `abort` must outlive the context.
    pub(crate) fn new(
        model: &LlamaModel,
        context: &LlamaContext<'_>,
        abort: &AbortState,
    ) -> Option<RawContext> {
        // SAFETY: LlamaModel is repr(transparent) over Ptr, which is
        // repr(transparent) over NonNull<llama_model>.
        let model_ptr: *const sys::llama_model =
            unsafe { *ptr::from_ref(model).cast::<*const sys::llama_model>() };
        let debug = format!("{context:?}");
        let hex = debug.split("context: 0x").nth(1)?;
        let digits: String = hex.chars().take_while(char::is_ascii_hexdigit).collect();
        let addr = usize::from_str_radix(&digits, 16).ok()?;
        let ctx = NonNull::new(addr as *mut sys::llama_context)?;
        // SAFETY: the address is the one the context printed for its own
        // pointer; llama.cpp confirms it is a context of this model.
        if unsafe { sys::llama_get_model(ctx.as_ptr()) } != model_ptr {
            tracing::warn!(
                "context pointer check failed; cancel granularity falls back to sub-batches"
            );
            return None;
        }
        // SAFETY: ctx is live; `abort` outlives it (caller's contract).
        unsafe {
            sys::llama_set_abort_callback(
                ctx.as_ptr(),
                Some(should_abort),
                ptr::from_ref(abort).cast_mut().cast(),
            );
        }
        Some(RawContext { ctx })
    }

    /// Runs this context's decodes on `pool`, which must outlive it.
    pub(crate) fn attach(&self, pool: &ThreadPool) {
        // SAFETY: both are live; the caller keeps the pool alive longer.
        unsafe { sys::llama_attach_threadpool(self.ctx.as_ptr(), pool.0.as_ptr(), ptr::null_mut()) }
    }

    /// Changes the threads used for generation and for prompt batches.
    pub(crate) fn set_threads(&self, threads: usize) {
        let n = i32::try_from(threads.max(1)).unwrap_or(i32::MAX);
        // SAFETY: the context outlives this handle (both live in `serve`).
        unsafe { sys::llama_set_n_threads(self.ctx.as_ptr(), n, n) }
    }
}

/// A ggml CPU thread pool whose workers live as long as the engine's model.
pub(crate) struct ThreadPool(NonNull<sys::ggml_threadpool>);

impl ThreadPool {
    pub(crate) fn new(threads: usize) -> Option<ThreadPool> {
        let n = i32::try_from(threads.max(1)).unwrap_or(i32::MAX);
        // SAFETY: plain C constructors; a null result is handled.
        unsafe {
            let mut params = sys::ggml_threadpool_params_default(n);
            NonNull::new(sys::ggml_threadpool_new(&mut params)).map(ThreadPool)
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        // SAFETY: created by ggml_threadpool_new; contexts using it are gone.
        unsafe { sys::ggml_threadpool_free(self.0.as_ptr()) }
    }
}
