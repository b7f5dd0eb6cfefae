//! The `prange` driver: runs an outlined loop body over fixed chunks of the iteration space on a
//! rayon pool.
//!
//! The chunks depend only on the trip count (never on the number of threads), and each chunk writes
//! its reductions into its own slot, which the caller combines in chunk order: a reduction's result
//! is the same whatever the thread count and however the chunks are scheduled. Each chunk runs with
//! its own `CallEnv`; the error of the lowest failing chunk reaches the caller.

use crate::env::CallEnv;
use crate::error::Error;
use rayon::prelude::*;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// An outlined body: runs iterations `lo..hi`, writing its reductions through `partial`.
pub type Body = unsafe extern "C" fn(env: *mut CallEnv, ctx: *mut u8, lo: i64, hi: i64, partial: *mut u8);

/// The most chunks a loop is split into.
pub const MAX_CHUNKS: i64 = 128;

pub use rjit_front::parallel::MIN_SPLIT_ELEMS;

/// The most chunks a loop with an array reduction is split into: each chunk reduces into a copy of
/// the array, and the copies live until the loop ends.
pub const MAX_ARRAY_REDUCTION_CHUNKS: i64 = 32;

fn pool_slot() -> &'static RwLock<Option<Arc<rayon::ThreadPool>>> {
    static POOL: OnceLock<RwLock<Option<Arc<rayon::ThreadPool>>>> = OnceLock::new();
    POOL.get_or_init(|| RwLock::new(None))
}

fn build_pool(threads: usize) -> Arc<rayon::ThreadPool> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("rjit-{i}"))
        .build()
        .expect("rjit: cannot start the prange thread pool");
    Arc::new(pool)
}

fn pool() -> Arc<rayon::ThreadPool> {
    if let Some(p) = pool_slot().read().unwrap_or_else(|p| p.into_inner()).as_ref() {
        return p.clone();
    }
    let mut slot = pool_slot().write().unwrap_or_else(|p| p.into_inner());
    slot.get_or_insert_with(|| {
        let threads = crate::config::config()
            .num_threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        build_pool(threads)
    })
    .clone()
}

/// Sets how many threads run `prange` loops (at least 1); `RJIT_NUM_THREADS` sets the first value.
pub fn set_num_threads(n: usize) {
    assert!(n >= 1, "rjit::set_num_threads needs at least one thread");
    *pool_slot().write().unwrap_or_else(|p| p.into_inner()) = Some(build_pool(n));
}

/// How many threads run `prange` loops.
pub fn num_threads() -> usize {
    pool().current_num_threads()
}

struct Shared {
    body: Body,
    ctx: *mut u8,
    partials: *mut u8,
    /// The arrays successful chunks left alive.
    kept: Mutex<CallEnv>,
}
// SAFETY: the caller blocks until every chunk is done; chunks write disjoint partial slots, the
// context only points at the caller's locals, which the race check lets the body read (or reduce
// into its own copies), and the arrays in `kept` belong to no other thread.
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

impl Shared {
    /// Runs one chunk.
    fn run(&self, env: &mut CallEnv, lo: i64, hi: i64, offset: usize) {
        // SAFETY: `body` is an outlined loop body compiled for this context; the slot at `offset`
        // belongs to this chunk alone.
        unsafe { (self.body)(env, self.ctx, lo, hi, self.partials.add(offset)) };
    }
}

/// Runs `body` over `trip` iterations split into `chunks` equal parts. `trip` is unsigned (its bits
/// arrive in an `i64`), and so are the bounds each chunk gets.
///
/// # Safety
/// Called by compiled code only: `env` is the call's live `CallEnv`, `body` an outlined loop
/// compiled for `ctx`, and `partials` has `chunks * red_size` bytes.
pub unsafe extern "C" fn rjit_prange(env: *mut CallEnv, body: Body, ctx: *mut u8, trip: i64, chunks: i64, partials: *mut u8, red_size: i64) {
    // What the chunks hand over (their array reductions' copies), to be freed with the caller's call.
    let shared = Shared { body, ctx, partials, kept: Mutex::new(CallEnv::new()) };
    let first_error: Mutex<Option<(i64, Error)>> = Mutex::new(None);
    let run = |c: i64| {
        let bound = |k: i64| (k as u128 * u128::from(trip as u64) / chunks as u128) as u64 as i64;
        let (lo, hi) = (bound(c), bound(c + 1));
        let mut chunk_env = CallEnv::new();
        shared.run(&mut chunk_env, lo, hi, (c * red_size) as usize);
        if chunk_env.status == 0 {
            shared.kept.lock().unwrap_or_else(|p| p.into_inner()).adopt(&mut chunk_env);
        } else {
            let e = chunk_env.take_error();
            let mut slot = first_error.lock().unwrap_or_else(|p| p.into_inner());
            if slot.as_ref().is_none_or(|(k, _)| c < *k) {
                *slot = Some((c, e));
            }
        }
    };
    // A `prange` inside a `prange` (through a call) runs serially on the thread it is on.
    if rayon::current_thread_index().is_some() {
        (0..chunks).for_each(run);
    } else {
        pool().install(|| (0..chunks).into_par_iter().for_each(run));
    }
    // SAFETY: compiled code passes the env it was given.
    let env = unsafe { &mut *env };
    env.adopt(&mut shared.kept.into_inner().unwrap_or_else(|p| p.into_inner()));
    if let Some((_, e)) = first_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        env.fail_with(e);
    }
}
