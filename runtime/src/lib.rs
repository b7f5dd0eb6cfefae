//! rjit-runtime: everything that happens at an njit function's first call and after.
//!
//! - `abi`: Rust values ↔ what compiled code sees; dispatch codes.
//! - `kernel`: the per-function dispatcher (lock-free fast path, compile once on a miss).
//! - `specialize`: parse, lower and check a kernel for a call's types (before codegen and `interp`).
//! - `compile`: the pipeline for one specialization; `codegen` lowers typed HIR to LLVM IR;
//!   `engine` optimizes, emits object code and links it into the process.
//! - `env`: the per-call environment and the helpers compiled code calls; `error`: run-time errors.
//! - `interp`: the reference interpreter of the same typed HIR (`RJIT_DISABLE_JIT`,
//!   `name::interpret`, and the differential mode `RJIT_DIFFERENTIAL`).

pub mod abi;
pub mod bounds;
mod cache;
mod codegen;
pub mod compile;
pub mod config;
pub mod engine;
pub mod env;
pub mod error;
mod inspect;
mod interp;
pub mod kernel;
pub mod parallel;
mod specialize;
/// The interpreter's `prange` race detector, the oracle of the compile-time race proof.
pub use interp::race as race_detector;
mod random;

pub use error::{Error, Site};
pub use kernel::{FnDesc, Kernel, Options};

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

pub use parallel::{num_threads, set_num_threads};

/// Panics with a run-time error's message; the cold path of every njit function's wrapper.
#[cold]
#[inline(never)]
#[track_caller]
pub fn fail(e: Error) -> ! {
    panic!("{e}")
}
