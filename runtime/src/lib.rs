//! rjit-runtime: everything that happens at an njit function's first call and after.
//!
//! - `helpers`: the per-call environment and the helpers compiled code calls; `error`: run-time
//!   errors; `abi`: Rust values ↔ what compiled code sees, dispatch codes.
//! - `desc`: what the macro embeds for a function (its identity in every later stage).
//! - `pool`: the `prange` driver; `engine`: the one LLVM context and JIT, the helper table.
//! - `specialize`: parse, lower and check a function for a call's types (before `interp` and
//!   `codegen`).
//! - `interp`: the reference interpreter of the same typed HIR (`RJIT_DISABLE_JIT`,
//!   `name::interpret`, and the differential mode `RJIT_DIFFERENTIAL`).
//! - `codegen`: typed HIR → LLVM IR; `cache`: machine code on disk; `inspect`: introspection.
//! - `compile`: the pipeline for one specialization, parse → specialize → codegen → verify →
//!   optimize → emit → load.
//! - `dispatch`: the per-function dispatcher (lock-free fast path, compile once on a miss).

// In pipeline order: each module imports only from those above it (checked by `front/tests/tidy.rs`).
pub mod error;
pub mod config;
pub mod helpers;
pub mod abi;
pub mod bounds;
pub mod desc;
mod random;
mod sort;
pub mod pool;
pub mod engine;
mod specialize;
mod interp;
mod codegen;
mod cache;
mod inspect;
pub mod compile;
pub mod dispatch;

/// The interpreter's `prange` race detector, the oracle of the compile-time race proof.
pub use interp::race as race_detector;

pub use desc::{global, FnDesc, Global, GlobalValues, Options};
pub use dispatch::Dispatcher;
pub use error::{Error, Site};
pub use rjit_front::Constant;

/// Compile statistics of one njit function.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// How many specializations (argument type tuples) exist, compiled or loaded.
    pub specializations: usize,
    /// How many of them were loaded from the on-disk cache.
    pub cache_hits: usize,
    /// Total time spent compiling.
    pub compile_time: std::time::Duration,
    /// Total time spent loading from the cache.
    pub cache_load_time: std::time::Duration,
    /// The same time by stage.
    pub stages: compile::Stages,
    /// How many times the function was called from Rust (calls from other njit functions are
    /// compiled in and not counted).
    pub calls: u64,
}

pub use pool::{num_threads, set_num_threads};

/// Panics with a run-time error's message; the cold path of every njit function's wrapper.
#[cold]
#[inline(never)]
#[track_caller]
pub fn fail(e: Error) -> ! {
    panic!("{e}")
}
