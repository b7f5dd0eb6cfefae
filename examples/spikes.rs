//! The reference workload (DSL.md §8): a spike sampler over an `iters × neurons` random matrix.
//! Each row is normalized in place and sampled by a cumulative scan against one random number.
//!
//! The seed tutorial's serial steps in rjit, each beside hand-written Rust doing the same work on
//! the same data:
//! 1. `#[njit]` on the inner function only (the outer loop in Rust),
//! 2. `#[njit]` on both functions, in f64,
//! 3. the same in f32,
//! 6. `#[njit(fastmath)]` (results may move by one index where reassociated sums round differently),
//! 7. `#[njit(parallel)]` with `prange`, beside rayon.
//!
//! A C-contiguous matrix gets C-layout code automatically (the tutorial's `[::1]` step).
//! Every result is checked against the hand-written one; times are printed side by side.
//!
//! Run: `cargo run --release --example spikes [iters] [neurons]` (default 10000 10000).

use rjit::ndarray::{Array1, Array2, ArrayView1, ArrayViewMut2};
use rjit::prelude::*;
use std::time::{Duration, Instant};

/// One generic pair serves the f64 and the f32 steps: each element type gets its own specialization.
#[njit]
fn get_spike<T: Float>(h: ArrayView1<T>, n: u64, r: T) -> u64 {
    let mut s = 0.0;
    for i in range(0, n - 1) {
        s += h[i];
        if r <= s {
            return i;
        }
    }
    n - 1
}

#[njit]
fn spikes<T: Float>(r: ArrayView1<T>, hs: ArrayViewMut2<T>) -> Array1<u64> {
    let (iters, n) = hs.shape();
    let out = np.zeros(iters, dtype = np.uint64);
    for i in range(iters) {
        let h = hs[i];
        h /= h.sum();
        out[i] = get_spike(h, n as u64, r[i]);
    }
    out
}

#[njit(fastmath)]
fn spikes32_fast(r: ArrayView1<f32>, hs: ArrayViewMut2<f32>) -> Array1<u64> {
    let (iters, n) = hs.shape();
    let out = np.zeros(iters, dtype = np.uint64);
    for i in range(iters) {
        let h = hs[i];
        h /= h.sum();
        out[i] = get_spike(h, n as u64, r[i]);
    }
    out
}

#[njit(parallel)]
fn spikes32_parallel(r: ArrayView1<f32>, hs: ArrayViewMut2<f32>) -> Array1<u64> {
    let (iters, n) = hs.shape();
    let out = np.zeros(iters, dtype = np.uint64);
    for i in prange(iters) {
        let h = hs[i];
        h /= h.sum();
        out[i] = get_spike(h, n as u64, r[i]);
    }
    out
}

/// Hand-written Rust of the same work, generic over the float type.
mod by_hand {
    use std::ops::{AddAssign, DivAssign};

    pub fn get_spike<T: Copy + PartialOrd + AddAssign + Default>(h: &[T], n: u64, r: T) -> u64 {
        let mut s = T::default();
        for (i, x) in h.iter().take((n - 1) as usize).enumerate() {
            s += *x;
            if r <= s {
                return i as u64;
            }
        }
        n - 1
    }

    pub fn spikes<T: Copy + PartialOrd + AddAssign + DivAssign + Default>(r: &[T], hs: &mut [T], n: usize) -> Vec<u64> {
        hs.chunks_exact_mut(n).zip(r).map(|(h, r)| row(h, *r, n)).collect()
    }

    fn row<T: Copy + PartialOrd + AddAssign + DivAssign + Default>(h: &mut [T], r: T, n: usize) -> u64 {
        let mut s = T::default();
        for x in h.iter() {
            s += *x;
        }
        for x in h.iter_mut() {
            *x /= s;
        }
        get_spike(h, n as u64, r)
    }

    /// The same with rayon, a row per task.
    pub fn spikes_rayon<T: Copy + PartialOrd + AddAssign + DivAssign + Default + Send + Sync>(
        r: &[T],
        hs: &mut [T],
        n: usize,
    ) -> Vec<u64> {
        use rayon::prelude::*;
        hs.par_chunks_exact_mut(n).zip(r.par_iter()).map(|(h, r)| row(h, *r, n)).collect()
    }
}

/// A small, fast, seedable generator (xorshift64*), so the example needs no other crate.
struct Rng(u64);
impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn time<R>(f: impl FnOnce() -> R) -> (R, Duration) {
    let start = Instant::now();
    let r = f();
    (r, start.elapsed())
}

fn ms(d: Duration) -> String {
    format!("{:>10.1} ms", d.as_secs_f64() * 1e3)
}

struct Row {
    step: &'static str,
    first: Duration,
    steady: Duration,
    by_hand: Duration,
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let iters = args.first().copied().unwrap_or(10_000);
    let neurons = args.get(1).copied().unwrap_or(iters);
    println!("spike sampler: {iters} × {neurons}");

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let r64: Vec<f64> = (0..iters).map(|_| rng.next_f64()).collect();
    let h64: Vec<f64> = (0..iters * neurons).map(|_| rng.next_f64()).collect();
    let r32: Vec<f32> = r64.iter().map(|x| *x as f32).collect();
    let h32: Vec<f32> = h64.iter().map(|x| *x as f32).collect();
    let fresh64 = || Array2::from_shape_vec((iters, neurons), h64.clone()).expect("shape");
    let fresh32 = || Array2::from_shape_vec((iters, neurons), h32.clone()).expect("shape");

    // The reference results, and the hand-written times, on fresh copies of the same data.
    let mut m = h64.clone();
    let (want64, hand64) = time(|| by_hand::spikes(&r64, &mut m, neurons));
    let mut m = h32.clone();
    let (want32, hand32) = time(|| by_hand::spikes(&r32, &mut m, neurons));
    let mut m = h32.clone();
    let (want32_rayon, hand32_rayon) = time(|| by_hand::spikes_rayon(&r32, &mut m, neurons));
    assert_eq!(want32, want32_rayon, "serial and rayon hand-written Rust agree");
    let check = |name: &str, got: &[u64], want: &[u64]| {
        let bad = got.iter().zip(want).filter(|(a, b)| a != b).count();
        assert_eq!(got.len(), want.len(), "{name}: wrong length");
        assert!(bad == 0, "{name}: {bad} of {} results differ from hand-written Rust", want.len());
        assert!(got.iter().all(|s| (*s as usize) < neurons), "{name}: a spike index is out of range");
    };

    let mut rows = Vec::new();

    // Step 1: the inner function in rjit, the loop over rows in Rust.
    let inner_only = |hs: &mut Array2<f64>| -> Vec<u64> {
        hs.outer_iter_mut()
            .zip(&r64)
            .map(|(mut h, r)| {
                let s: f64 = h.iter().fold(0.0, |a, x| a + x);
                h /= s;
                get_spike(h.view(), neurons as u64, *r)
            })
            .collect()
    };
    let mut m = fresh64();
    let (got, first) = time(|| inner_only(&mut m));
    check("step 1, first call", &got, &want64);
    let mut m = fresh64();
    let (got, steady) = time(|| inner_only(&mut m));
    check("step 1", &got, &want64);
    rows.push(Row { step: "1. njit inner fn (f64)", first, steady, by_hand: hand64 });

    // Step 2: both functions in rjit.
    let mut m = fresh64();
    let (got, first) = time(|| spikes(ArrayView1::from(&r64), m.view_mut()));
    check("step 2, first call", got.as_slice().expect("contiguous"), &want64);
    let mut m = fresh64();
    let (got, steady) = time(|| spikes(ArrayView1::from(&r64), m.view_mut()));
    check("step 2", got.as_slice().expect("contiguous"), &want64);
    rows.push(Row { step: "2. njit both fns (f64)", first, steady, by_hand: hand64 });

    // Step 5 of the tutorial: f32.
    let mut m = fresh32();
    let (got, first) = time(|| spikes(ArrayView1::from(&r32), m.view_mut()));
    check("f32, first call", got.as_slice().expect("contiguous"), &want32);
    let mut m = fresh32();
    let (got, steady) = time(|| spikes(ArrayView1::from(&r32), m.view_mut()));
    check("f32", got.as_slice().expect("contiguous"), &want32);
    rows.push(Row { step: "3. njit both fns (f32)", first, steady, by_hand: hand32 });

    // Step 6: `fastmath`. The row sums are reassociated (vectorized), so they may differ from the
    // strict ones in their last bits, and a spike may move by one index where `r` falls within
    // that difference of a cumulative sum.
    let near = |name: &str, got: &[u64], want: &[u64]| {
        let moved: Vec<u64> = got.iter().zip(want).filter(|(a, b)| a != b).map(|(a, b)| a.abs_diff(*b)).collect();
        assert!(
            moved.iter().all(|d| *d <= 1) && moved.len() * 50 <= want.len().max(50),
            "{name}: {} results moved",
            moved.len()
        );
        moved.len()
    };
    let mut m = fresh32();
    let (got, first) = time(|| spikes32_fast(ArrayView1::from(&r32), m.view_mut()));
    near("fastmath, first call", got.as_slice().expect("contiguous"), &want32);
    let mut m = fresh32();
    let (got, steady) = time(|| spikes32_fast(ArrayView1::from(&r32), m.view_mut()));
    let moved = near("fastmath", got.as_slice().expect("contiguous"), &want32);
    rows.push(Row { step: "6. fastmath (f32)", first, steady, by_hand: hand32 });

    // Step 7 of the tutorial: `parallel` with `prange`, beside rayon.
    let mut m = fresh32();
    let (got, first) = time(|| spikes32_parallel(ArrayView1::from(&r32), m.view_mut()));
    check("parallel, first call", got.as_slice().expect("contiguous"), &want32);
    let mut m = fresh32();
    let (got, steady) = time(|| spikes32_parallel(ArrayView1::from(&r32), m.view_mut()));
    check("parallel", got.as_slice().expect("contiguous"), &want32);
    rows.push(Row { step: "7. parallel + prange (f32)", first, steady, by_hand: hand32_rayon });

    println!("\n{:<26} {:>13} {:>13} {:>13} {:>9}", "step", "first call", "steady", "by hand", "ratio");
    for r in &rows {
        println!(
            "{:<26} {} {} {} {:>8.2}×",
            r.step,
            ms(r.first),
            ms(r.steady),
            ms(r.by_hand),
            r.steady.as_secs_f64() / r.by_hand.as_secs_f64()
        );
    }
    println!(
        "\nfirst call includes compilation; ratio = steady / by hand (rayon for step 7), on {} threads.",
        rjit::num_threads()
    );
    println!("All results agree with hand-written Rust (with fastmath, {moved} spikes moved by one index).");
    println!(
        "compile time (f64 and f32 together): get_spike {:?}, spikes {:?}",
        get_spike::stats().compile_time,
        spikes::stats().compile_time
    );
    let st = spikes::stats().stages;
    println!(
        "spikes (f64 and f32) by stage: generate {:.1} ms, optimize {:.1} ms, emit {:.1} ms, load {:.1} ms",
        st.generate.as_secs_f64() * 1e3,
        st.optimize.as_secs_f64() * 1e3,
        st.emit.as_secs_f64() * 1e3,
        st.load.as_secs_f64() * 1e3
    );
    if std::env::args().any(|a| a == "--diagnostics") {
        println!("\n{}", spikes32_parallel::parallel_diagnostics(4));
    }
}
