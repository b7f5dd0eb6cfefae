//! `#[njit(parallel)]`: `prange` loops on the thread pool. Results equal the serial ones (exactly for
//! integers), float reductions are bit-identical across thread counts, errors reach the caller.

use rjit::ndarray::{Array1, Array2, ArrayView1, ArrayViewMut2};
use rjit::prelude::*;

#[njit]
fn get_spike(h: ArrayView1<f64>, n: u64, r: f64) -> u64 {
    let mut s = 0.0;
    for i in range(0, n - 1) {
        s += h[i];
        if r <= s {
            return i;
        }
    }
    n - 1
}

#[njit(parallel)]
fn spikes(r: ArrayView1<f64>, hs: ArrayViewMut2<f64>) -> Array1<u64> {
    let (iters, n) = hs.shape();
    let out = np.zeros(iters, dtype = np.uint64);
    for i in prange(iters) {
        let h = hs[i];
        h /= h.sum();
        out[i] = get_spike(h, n as u64, r[i]);
    }
    out
}

#[njit]
fn spikes_serial(r: ArrayView1<f64>, hs: ArrayViewMut2<f64>) -> Array1<u64> {
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
fn reductions(a: &[f64], b: &[i64]) -> (f64, f64, i64, i64, f64, f64, i64, i64, i64) {
    let mut s = 0.0;
    let mut d = 100.0;
    let mut t = 0;
    let mut p = 1;
    let mut lo = 1e300;
    let mut hi = -1e300;
    let mut x = 0;
    let mut o = 0;
    let mut all = -1;
    for i in prange(a.len()) {
        s += a[i] * a[i];
        d -= a[i];
        t += b[i];
        p *= 1 + b[i] % 2;
        lo = lo.min(a[i]);
        hi = hi.max(a[i]);
        x ^= b[i];
        o |= b[i];
        all &= b[i] | 1;
    }
    (s, d, t, p, lo, hi, x, o, all)
}

#[njit(parallel)]
fn stencil(u: &[f64], out: &mut [f64]) {
    let n = u.len();
    for i in prange(1, n - 1) {
        out[i] = (u[i - 1] + u[i] + u[i + 1]) / 3.0;
    }
}

#[njit(parallel)]
fn histogram_by_chunks(x: &[i64], bins: usize, chunks: usize) -> Array2<i64> {
    let out = np.zeros((chunks, bins), dtype = np.int64);
    let per = (x.len() + chunks - 1) / chunks;
    for c in prange(chunks) {
        let row = out[c];
        let end = (c * per + per).min(x.len());
        for k in range(c * per, end) {
            row[(x[k] as usize) % bins] += 1;
        }
    }
    out
}

#[njit(parallel)]
fn nested(n: i64) -> i64 {
    let mut s = 0;
    for i in prange(n) {
        for j in prange(n) {
            s += i * j;
        }
    }
    s
}

#[njit(parallel)]
fn failing(a: &[f64], bad: usize) -> f64 {
    let mut s = 0.0;
    for i in prange(a.len()) {
        if i == bad {
            s += a[i + a.len()];
        }
        s += a[i];
    }
    s
}

fn data(n: usize) -> Vec<f64> {
    (0..n).map(|i| ((i * 7919) % 1000) as f64 / 997.0 - 0.3).collect()
}

#[test]
fn parallel_spikes_equal_serial() {
    let (iters, n) = (300, 200);
    let r = Array1::from_shape_fn(iters, |i| ((i * 31) % 97) as f64 / 97.0);
    let h = Array2::from_shape_fn((iters, n), |(i, j)| ((i * 7 + j * 13) % 101) as f64 + 1.0);
    let (mut a, mut b) = (h.clone(), h.clone());
    assert_eq!(spikes(r.view(), a.view_mut()), spikes_serial(r.view(), b.view_mut()));
    assert_eq!(a, b, "the rows were normalized in place the same way");
}

#[test]
fn reductions_equal_serial_and_do_not_depend_on_threads() {
    let a = data(10_007);
    let b: Vec<i64> = (0..10_007).map(|i| (i * 37 % 1001) as i64 - 500).collect();
    let mut results = Vec::new();
    for threads in [1, 2, 3, 8] {
        rjit::set_num_threads(threads);
        results.push(reductions(&a, &b));
    }
    let first = results[0];
    for r in &results {
        assert_eq!(r.0.to_bits(), first.0.to_bits(), "float sums are bit-identical across thread counts");
        assert_eq!(r.1.to_bits(), first.1.to_bits());
        assert_eq!(r, &first);
    }
    let (s, d, t, p, lo, hi, x, o, all) = first;
    let sum: f64 = a.iter().map(|v| v * v).sum();
    assert!((s - sum).abs() < 1e-9 * sum.abs());
    assert!((d - (100.0 - a.iter().sum::<f64>())).abs() < 1e-9);
    assert_eq!(t, b.iter().sum::<i64>());
    assert_eq!(p, b.iter().fold(1i64, |acc, v| acc.wrapping_mul(1 + v % 2)));
    assert_eq!(lo, a.iter().cloned().fold(f64::INFINITY, f64::min));
    assert_eq!(hi, a.iter().cloned().fold(f64::NEG_INFINITY, f64::max));
    assert_eq!(x, b.iter().fold(0, |acc, v| acc ^ v));
    assert_eq!(o, b.iter().fold(0, |acc, v| acc | v));
    assert_eq!(all, b.iter().fold(-1, |acc, v| acc & (v | 1)));
}

#[test]
fn disjoint_writes_and_chunked_histograms() {
    let u = data(1000);
    let mut out = vec![0.0; 1000];
    stencil(&u, &mut out);
    for i in 1..999 {
        assert_eq!(out[i], (u[i - 1] + u[i] + u[i + 1]) / 3.0);
    }
    assert_eq!((out[0], out[999]), (0.0, 0.0));
    let x: Vec<i64> = (0..5000).map(|i| (i * i) % 37).collect();
    let h = histogram_by_chunks(&x, 8, 7);
    let mut want = vec![0i64; 8];
    for v in &x {
        want[(*v as usize) % 8] += 1;
    }
    let got: Vec<i64> = (0..8).map(|b| h.column(b).sum()).collect();
    assert_eq!(got, want);
    assert_eq!(nested(50), (0..50i64).map(|i| (0..50i64).map(|j| i * j).sum::<i64>()).sum::<i64>());
}

#[test]
fn an_error_in_a_chunk_reaches_the_caller_and_nothing_stays_broken() {
    let a = data(1000);
    let e = failing::try_call(&a, 500).unwrap_err();
    assert!(matches!(e, rjit::Error::IndexOutOfBounds { index: 1500, size: 1000, .. }), "{e}");
    let msg = std::panic::catch_unwind(|| failing(&data(100), 3)).expect_err("panics");
    assert!(msg.downcast_ref::<String>().is_some_and(|m| m.contains("index 103 is out of bounds")));
    let want: f64 = a.iter().sum();
    assert!((failing(&a, usize::MAX) - want).abs() < 1e-9);
}
