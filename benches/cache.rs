//! First-call latency of the spike kernels: cold (compiled in a fresh process with an empty cache),
//! warm (loaded from the cache in a fresh process), and the steady-state call, side by side.
//! `cargo bench --bench cache`. Each process measures its own first call; the benchmark spawns
//! this binary again as the child.

use criterion::{BatchSize, Criterion};
use rjit::ndarray::{Array1, Array2, ArrayView1, ArrayViewMut2};
use rjit::prelude::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[njit(cache)]
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

#[njit(cache)]
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

const N: usize = 100;

fn data() -> (Vec<f32>, Array2<f32>) {
    let r = (0..N).map(|i| ((i * 7919) % 1000) as f32 / 1000.0).collect();
    let h = Array2::from_shape_fn((N, N), |(i, j)| ((i * 31 + j * 17) % 97) as f32 + 1.0);
    (r, h)
}

/// In the child: one first call, timed.
fn child() {
    let (r, mut h) = data();
    let start = Instant::now();
    let out = spikes(ArrayView1::from(&r), h.view_mut());
    let first = start.elapsed();
    assert!(out.iter().all(|s| (*s as usize) < N));
    println!("FIRST_CALL_NS {}", first.as_nanos());
}

fn first_call_in_a_fresh_process(dir: &Path) -> Duration {
    let out = Command::new(std::env::current_exe().expect("bench binary"))
        .env("RJIT_BENCH_CHILD", "1")
        .env("RJIT_CACHE_DIR", dir)
        .output()
        .expect("child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let ns: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("FIRST_CALL_NS "))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("child said: {text}{}", String::from_utf8_lossy(&out.stderr)));
    Duration::from_nanos(ns)
}

fn main() {
    if std::env::var_os("RJIT_BENCH_CHILD").is_some() {
        child();
        return;
    }
    let mut c = Criterion::default().sample_size(10).configure_from_args();
    let mut g = c.benchmark_group("spikes_first_call");
    g.bench_function("cold (compile)", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let dir = tempfile::tempdir().expect("tempdir");
                    first_call_in_a_fresh_process(dir.path())
                })
                .sum()
        })
    });
    let warm_dir = tempfile::tempdir().expect("tempdir");
    first_call_in_a_fresh_process(warm_dir.path());
    g.bench_function("warm (cache load)", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| first_call_in_a_fresh_process(warm_dir.path())).sum())
    });
    let (r, h) = data();
    g.bench_function("steady state", |b| {
        b.iter_batched_ref(|| h.clone(), |m| spikes(ArrayView1::from(&r), m.view_mut()), BatchSize::SmallInput)
    });
    g.finish();
    c.final_summary();
}
