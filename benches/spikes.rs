//! The reference workload's steps in rjit beside hand-written Rust (serial and rayon), measured side
//! by side in one run, and the overhead of calling an njit function (from one thread and from
//! several). `cargo bench --bench spikes`.

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use rjit::ndarray::{Array1, Array2, ArrayView1, ArrayViewMut2};
use rjit::prelude::*;

#[njit]
fn get_spike(h: ArrayView1<f32>, n: u64, r: f32) -> u64 {
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
fn spikes(r: ArrayView1<f32>, hs: ArrayViewMut2<f32>) -> Array1<u64> {
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
fn spikes_parallel(r: ArrayView1<f32>, hs: ArrayViewMut2<f32>) -> Array1<u64> {
    let (iters, n) = hs.shape();
    let out = np.zeros(iters, dtype = np.uint64);
    for i in prange(iters) {
        let h = hs[i];
        h /= h.sum();
        out[i] = get_spike(h, n as u64, r[i]);
    }
    out
}

#[njit(fastmath)]
fn spikes_fast(r: ArrayView1<f32>, hs: ArrayViewMut2<f32>) -> Array1<u64> {
    let (iters, n) = hs.shape();
    let out = np.zeros(iters, dtype = np.uint64);
    for i in range(iters) {
        let h = hs[i];
        h /= h.sum();
        out[i] = get_spike(h, n as u64, r[i]);
    }
    out
}

#[njit]
fn get_spike64(h: ArrayView1<f64>, n: u64, r: f64) -> u64 {
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
fn spikes64(r: ArrayView1<f64>, hs: ArrayViewMut2<f64>) -> Array1<u64> {
    let (iters, n) = hs.shape();
    let out = np.zeros(iters, dtype = np.uint64);
    for i in range(iters) {
        let h = hs[i];
        h /= h.sum();
        out[i] = get_spike64(h, n as u64, r[i]);
    }
    out
}

#[njit(parallel)]
fn spikes64_parallel(r: ArrayView1<f64>, hs: ArrayViewMut2<f64>) -> Array1<u64> {
    let (iters, n) = hs.shape();
    let out = np.zeros(iters, dtype = np.uint64);
    for i in prange(iters) {
        let h = hs[i];
        h /= h.sum();
        out[i] = get_spike64(h, n as u64, r[i]);
    }
    out
}

/// Step 1: only the inner function is njit; the outer loop and the normalization are Rust.
fn spikes64_inner_only(r: &[f64], hs: &mut Array2<f64>) -> Vec<u64> {
    let n = hs.ncols();
    hs.rows_mut()
        .into_iter()
        .zip(r)
        .map(|(mut h, r)| {
            let s = h.sum();
            h /= s;
            get_spike64(h.view(), n as u64, *r)
        })
        .collect()
}

fn row64(h: &mut [f64], r: f64) -> u64 {
    let s = h.iter().fold(0.0, |a, x| a + x);
    h.iter_mut().for_each(|x| *x /= s);
    let n = h.len();
    let mut acc = 0.0;
    for (i, x) in h[..n - 1].iter().enumerate() {
        acc += *x;
        if r <= acc {
            return i as u64;
        }
    }
    n as u64 - 1
}

#[njit]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn row(h: &mut [f32], r: f32, n: usize) -> u64 {
    let mut s = 0.0f32;
    for x in h.iter() {
        s += *x;
    }
    for x in h.iter_mut() {
        *x /= s;
    }
    let mut acc = 0.0f32;
    for (i, x) in h[..n - 1].iter().enumerate() {
        acc += *x;
        if r <= acc {
            return i as u64;
        }
    }
    n as u64 - 1
}

fn by_hand(r: &[f32], hs: &mut [f32], n: usize) -> Vec<u64> {
    hs.chunks_exact_mut(n).zip(r).map(|(h, r)| row(h, *r, n)).collect()
}

fn by_hand_rayon(r: &[f32], hs: &mut [f32], n: usize) -> Vec<u64> {
    use rayon::prelude::*;
    hs.par_chunks_exact_mut(n).zip(r.par_iter()).map(|(h, r)| row(h, *r, n)).collect()
}

#[inline(never)]
fn add_by_hand(a: f64, b: f64) -> f64 {
    a + b
}

fn data(iters: usize, n: usize) -> (Vec<f32>, Vec<f32>) {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 40) as f32 / (1u64 << 24) as f32
    };
    let r = (0..iters).map(|_| next()).collect();
    let h = (0..iters * n).map(|_| next()).collect();
    (r, h)
}

fn bench_spikes(c: &mut Criterion) {
    let (iters, n) = (1000, 1000);
    let (r, h) = data(iters, n);
    let mut g = c.benchmark_group("spikes_f32_1000x1000");
    g.bench_function("rjit", |b| {
        b.iter_batched_ref(
            || Array2::from_shape_vec((iters, n), h.clone()).expect("shape"),
            |m| spikes(ArrayView1::from(&r), m.view_mut()),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("hand-written", |b| {
        b.iter_batched_ref(|| h.clone(), |m| by_hand(&r, m, n), BatchSize::LargeInput)
    });
    g.bench_function("rjit parallel", |b| {
        b.iter_batched_ref(
            || Array2::from_shape_vec((iters, n), h.clone()).expect("shape"),
            |m| spikes_parallel(ArrayView1::from(&r), m.view_mut()),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("hand-written rayon", |b| {
        b.iter_batched_ref(|| h.clone(), |m| by_hand_rayon(&r, m, n), BatchSize::LargeInput)
    });
    g.finish();

    // The seed's steps (DSL.md §8) in f64, each beside hand-written Rust (serial and rayon).
    let h64: Vec<f64> = h.iter().map(|x| f64::from(*x)).collect();
    let r64: Vec<f64> = r.iter().map(|x| f64::from(*x)).collect();
    let fresh64 = || Array2::from_shape_vec((iters, n), h64.clone()).expect("shape");
    let mut g = c.benchmark_group("spike_steps_f64_1000x1000");
    g.bench_function("1. njit inner fn", |b| {
        b.iter_batched_ref(fresh64, |m| spikes64_inner_only(&r64, m), BatchSize::LargeInput)
    });
    g.bench_function("2. njit both fns", |b| {
        b.iter_batched_ref(fresh64, |m| spikes64(ArrayView1::from(&r64), m.view_mut()), BatchSize::LargeInput)
    });
    g.bench_function("7. njit parallel + prange", |b| {
        b.iter_batched_ref(fresh64, |m| spikes64_parallel(ArrayView1::from(&r64), m.view_mut()), BatchSize::LargeInput)
    });
    g.bench_function("hand-written", |b| {
        b.iter_batched_ref(
            || h64.clone(),
            |m| m.chunks_exact_mut(n).zip(&r64).map(|(h, r)| row64(h, *r)).collect::<Vec<_>>(),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("hand-written rayon", |b| {
        use rayon::prelude::*;
        b.iter_batched_ref(
            || h64.clone(),
            |m| m.par_chunks_exact_mut(n).zip(r64.par_iter()).map(|(h, r)| row64(h, *r)).collect::<Vec<_>>(),
            BatchSize::LargeInput,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("spike_step6_fastmath_f32_1000x1000");
    g.bench_function("6. njit fastmath", |b| {
        b.iter_batched_ref(
            || Array2::from_shape_vec((iters, n), h.clone()).expect("shape"),
            |m| spikes_fast(ArrayView1::from(&r), m.view_mut()),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("3. njit (strict)", |b| {
        b.iter_batched_ref(
            || Array2::from_shape_vec((iters, n), h.clone()).expect("shape"),
            |m| spikes(ArrayView1::from(&r), m.view_mut()),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("hand-written (strict)", |b| {
        b.iter_batched_ref(|| h.clone(), |m| by_hand(&r, m, n), BatchSize::LargeInput)
    });
    g.finish();

    let mut g = c.benchmark_group("call_overhead");
    g.bench_function("rjit", |b| b.iter(|| add(black_box(1.0), black_box(2.0))));
    g.bench_function("plain fn", |b| b.iter(|| add_by_hand(black_box(1.0), black_box(2.0))));
    g.finish();

    // Warm calls from several threads at once: the fast path takes no lock, so the time per call
    // stays flat as threads are added (up to the cores there are).
    let mut g = c.benchmark_group("call_overhead_threads");
    for threads in [1usize, 2] {
        g.bench_function(format!("rjit, {threads} thread(s), 100k calls each"), |b| {
            b.iter_custom(|iters| {
                let start = std::time::Instant::now();
                for _ in 0..iters {
                    std::thread::scope(|sc| {
                        for _ in 0..threads {
                            sc.spawn(|| {
                                let mut s = 0.0;
                                for i in 0..100_000 {
                                    s = add(black_box(s), black_box(i as f64));
                                }
                                black_box(s)
                            });
                        }
                    });
                }
                start.elapsed()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench_spikes);
criterion_main!(benches);
