//! The `prange` driver: runs an outlined loop body over fixed chunks of the iteration space, on
//! the calling thread and the workers of a rayon pool.
//!
//! The chunks depend only on the trip count (never on the number of threads), and each chunk writes
//! its reductions into its own slot, which the caller combines in chunk order: a reduction's result
//! is the same whatever the thread count and however the chunks are scheduled. Each chunk runs with
//! its own `CallEnv`; the error of the lowest failing chunk reaches the caller.

use crate::error::Error;
use crate::helpers::CallEnv;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// An outlined body: runs iterations `lo..hi`, writing its reductions through `partial`.
pub type Body = unsafe extern "C" fn(env: *mut CallEnv, ctx: *mut u8, lo: i64, hi: i64, partial: *mut u8);

/// The most chunks a loop is split into.
pub const MAX_CHUNKS: i64 = 128;

pub use rjit_front::prange::MIN_SPLIT_ELEMS;

/// The most chunks a loop with an array reduction is split into: each chunk reduces into a copy of
/// the array, and the copies live until the loop ends.
pub const MAX_ARRAY_REDUCTION_CHUNKS: i64 = 32;

/// The most threads rjit starts: far beyond any machine's cores, and far below what would exhaust
/// a process's thread limit.
pub const MAX_THREADS: usize = 1024;

/// The threads `prange` loops run on: the calling thread and `threads - 1` pool workers.
struct Pool {
    threads: usize,
    /// `None` with one thread: the caller runs every chunk. `Err` when the pool could not start:
    /// each `prange` loop then fails with it (an error, never an abort).
    workers: Result<Option<rayon::ThreadPool>, Error>,
}

fn pool_slot() -> &'static RwLock<Option<Arc<Pool>>> {
    static POOL: OnceLock<RwLock<Option<Arc<Pool>>>> = OnceLock::new();
    POOL.get_or_init(|| RwLock::new(None))
}

fn build_pool(threads: usize) -> Arc<Pool> {
    let threads = threads.max(1);
    let workers = if threads > MAX_THREADS {
        Err(Error::ThreadPool {
            message: format!("{threads} threads were asked for, more than rjit starts ({MAX_THREADS})"),
        })
    } else if threads == 1 {
        Ok(None)
    } else {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads - 1)
            .thread_name(|i| format!("rjit-{i}"))
            .build()
            .map(Some)
            .map_err(|e| Error::ThreadPool { message: format!("{} worker threads: {e}", threads - 1) })
    };
    Arc::new(Pool { threads, workers })
}

/// The thread count `RJIT_NUM_THREADS` asks for (an integer from 1 to `MAX_THREADS`), or the
/// machine's cores.
fn configured_pool() -> Arc<Pool> {
    let cores = || std::thread::available_parallelism().map_or(1, |n| n.get());
    match crate::config::config().num_threads.as_deref() {
        None => build_pool(cores()),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=MAX_THREADS).contains(&n) => build_pool(n),
            _ => Arc::new(Pool {
                threads: 1,
                workers: Err(Error::ThreadPool {
                    message: format!("RJIT_NUM_THREADS={text} is not a thread count from 1 to {MAX_THREADS}"),
                }),
            }),
        },
    }
}

fn pool() -> Arc<Pool> {
    if let Some(p) = pool_slot().read().unwrap_or_else(|p| p.into_inner()).as_ref() {
        return p.clone();
    }
    let mut slot = pool_slot().write().unwrap_or_else(|p| p.into_inner());
    slot.get_or_insert_with(configured_pool).clone()
}

/// Sets how many threads run `prange` loops (from 1 to 1024, the calling thread included);
/// `RJIT_NUM_THREADS` sets the first value. A pool that cannot start makes the `prange` loops
/// that need it fail with `rjit::Error::ThreadPool`.
pub fn set_num_threads(n: usize) {
    assert!(
        (1..=MAX_THREADS).contains(&n),
        "rjit::set_num_threads({n}): the thread count must be from 1 to {MAX_THREADS}"
    );
    *pool_slot().write().unwrap_or_else(|p| p.into_inner()) = Some(build_pool(n));
}

/// How many threads run `prange` loops.
pub fn num_threads() -> usize {
    pool().threads
}

thread_local! {
    /// Whether this thread is running chunks of a `prange` loop.
    static IN_PRANGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The `np.random` state the calling thread's chunks use.
    static CHUNK_RANDOM: std::cell::Cell<[u64; 4]> = std::cell::Cell::new(crate::random::chunk_stream());
}

/// Runs `f` (the calling thread's chunks of a `prange` loop) with `np.random` drawing from the
/// thread's chunk generator, then gives the thread its own generator back: what the caller draws
/// after the loop does not depend on which chunks it ran. The interpreter does the same.
pub(crate) fn with_chunk_random<T>(f: impl FnOnce() -> T) -> T {
    let own = crate::random::state();
    crate::random::set_state(CHUNK_RANDOM.with(|c| c.get()));
    let out = f();
    CHUNK_RANDOM.with(|c| c.set(crate::random::state()));
    crate::random::set_state(own);
    out
}

/// One `prange` loop being run. Workers share it through an `Arc`: one that starts after the
/// last chunk was claimed finds nothing to do and touches nothing of the call's (`body`, `ctx`
/// and `partials` are used only by a thread that claimed a chunk, and the caller waits for every
/// claimed chunk to finish).
struct Job {
    body: Body,
    ctx: *mut u8,
    partials: *mut u8,
    trip: i64,
    chunks: i64,
    red_size: i64,
    /// The next chunk to claim.
    next: AtomicI64,
    /// How many chunks have finished.
    done: AtomicI64,
    /// The arrays successful chunks left alive.
    kept: Mutex<CallEnv>,
    /// The lowest failing chunk and its error.
    first_error: Mutex<Option<(i64, Error)>>,
}
// SAFETY: the caller blocks until every claimed chunk is done; chunks write disjoint partial
// slots, the context only points at the caller's locals, which the race check lets the body read
// (or reduce into its own copies), and the arrays in `kept` belong to no other thread.
unsafe impl Send for Job {}
unsafe impl Sync for Job {}

impl Job {
    /// Runs chunk `c` (`lo..hi` of the iteration space, the same whoever runs it).
    fn run(&self, c: i64) {
        let bound = |k: i64| (k as u128 * u128::from(self.trip as u64) / self.chunks as u128) as u64 as i64;
        let (lo, hi) = (bound(c), bound(c + 1));
        let mut chunk_env = CallEnv::new();
        // SAFETY: `body` is an outlined loop body compiled for this context; the slot of chunk
        // `c` belongs to it alone.
        unsafe { (self.body)(&mut chunk_env, self.ctx, lo, hi, self.partials.add((c * self.red_size) as usize)) };
        if chunk_env.status == 0 {
            self.kept.lock().unwrap_or_else(|p| p.into_inner()).adopt(&mut chunk_env);
        } else {
            let e = chunk_env.take_error();
            let mut slot = self.first_error.lock().unwrap_or_else(|p| p.into_inner());
            if slot.as_ref().is_none_or(|(k, _)| c < *k) {
                *slot = Some((c, e));
            }
        }
    }

    /// Claims and runs chunks until none is left.
    fn work(&self) {
        let was = IN_PRANGE.with(|f| f.replace(true));
        loop {
            let c = self.next.fetch_add(1, Ordering::Relaxed);
            if c >= self.chunks {
                break;
            }
            self.run(c);
            self.done.fetch_add(1, Ordering::Release);
        }
        IN_PRANGE.with(|f| f.set(was));
    }
}

/// Runs `body` over `trip` iterations split into `chunks` equal parts. `trip` is unsigned (its bits
/// arrive in an `i64`), and so are the bounds each chunk gets.
///
/// The calling thread runs chunks too; pool workers join as they wake, each claiming the next
/// chunk left, so a late worker delays nothing. A `prange` inside a `prange` (through a call),
/// or one called from any rayon pool's thread, runs serially on the thread it is on.
///
/// # Safety
/// Called by compiled code only: `env` is the call's live `CallEnv`, `body` an outlined loop
/// compiled for `ctx`, and `partials` has `chunks * red_size` bytes.
pub unsafe extern "C" fn rjit_prange(
    env: *mut CallEnv,
    body: Body,
    ctx: *mut u8,
    trip: i64,
    chunks: i64,
    partials: *mut u8,
    red_size: i64,
) {
    let job = Arc::new(Job {
        body,
        ctx,
        partials,
        trip,
        chunks,
        red_size,
        next: AtomicI64::new(0),
        done: AtomicI64::new(0),
        kept: Mutex::new(CallEnv::new()),
        first_error: Mutex::new(None),
    });
    let nested = IN_PRANGE.with(|f| f.get()) || rayon::current_thread_index().is_some();
    if !nested && chunks > 1 {
        let pool = pool();
        match &pool.workers {
            Ok(Some(workers)) => {
                for _ in 0..(pool.threads - 1).min(chunks as usize - 1) {
                    let job = job.clone();
                    workers.spawn(move || job.work());
                }
            }
            Ok(None) => {}
            Err(e) => {
                // SAFETY: compiled code passes the env it was given.
                unsafe { &mut *env }.fail_with(e.clone());
                return;
            }
        }
    }
    if nested {
        job.work();
    } else {
        // The caller's chunks draw `np.random` numbers from a generator of their own, as a pool
        // thread's would: what the caller draws after the loop does not depend on which chunks it ran.
        with_chunk_random(|| job.work());
    }
    // The chunks workers claimed: each takes at most one chunk's time from here.
    let mut spins = 0u32;
    while job.done.load(Ordering::Acquire) < chunks {
        if spins < 1 << 12 {
            std::hint::spin_loop();
            spins += 1;
        } else {
            std::thread::yield_now();
        }
    }
    // SAFETY: compiled code passes the env it was given.
    let env = unsafe { &mut *env };
    env.adopt(&mut job.kept.lock().unwrap_or_else(|p| p.into_inner()));
    let failed = job.first_error.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some((_, e)) = failed {
        env.fail_with(e);
    }
}
