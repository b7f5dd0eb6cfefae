//! `#[njit(parallel)]`: `prange` loops on the thread pool. Results equal the serial ones (exactly for
//! integers), float reductions are bit-identical across thread counts, errors reach the caller.

use crate::common::{spikes, spikes_serial};
use rjit::ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2, ShapeBuilder};
use rjit::prelude::*;

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

/// Locals declared in blocks inside expressions are each iteration's own, like any other.
#[njit(parallel)]
fn private_in_expression_blocks(u: &[f64], out: &mut [f64]) {
    for i in prange(u.len()) {
        let t = if u[i] > 0.5 {
            let w = u[i] * 2.0;
            w + 1.0
        } else {
            let w = {
                let z = u[i] - 1.0;
                z * z
            };
            w
        };
        out[i] = t;
    }
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

/// `+=` of a whole array: each chunk reduces into a zeroed copy of `hist`, combined in chunk order.
#[njit(parallel)]
fn histogram_reduction(x: &[f64], bins: usize) -> Array1<i64> {
    let mut hist = np.zeros(bins, dtype = np.int64);
    for i in prange(x.len()) {
        let local = np.zeros(bins, dtype = np.int64);
        let b = ((x[i] + 0.3) * bins as f64) as usize;
        local[b.min(bins - 1)] = 1;
        hist += local;
    }
    hist
}

/// Float rows summed into a 2-D array the caller passes (Fortran order in one test), with `-=`
/// and `*=` beside it.
#[njit(parallel)]
fn array_reductions(rows: ArrayView2<f64>, acc: ArrayViewMut2<f64>, neg: &mut [f64], prod: &mut [f64]) {
    for i in prange(rows.len()) {
        let r = rows[i];
        acc += r * 0.5;
        neg -= r;
        prod *= 1.0 + r * 1e-3;
    }
}

#[njit]
fn array_reductions_serial(rows: ArrayView2<f64>, acc: ArrayViewMut2<f64>, neg: &mut [f64], prod: &mut [f64]) {
    for i in range(rows.len()) {
        let r = rows[i];
        acc += r * 0.5;
        neg -= r;
        prod *= 1.0 + r * 1e-3;
    }
}

#[njit(parallel)]
fn failing_array_reduction(x: &[i64], bad: usize) -> Array1<i64> {
    let mut h = np.zeros(4, dtype = np.int64);
    for i in prange(x.len()) {
        h += x[i] + x[i + bad];
    }
    h
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
    private_in_expression_blocks(&u, &mut out);
    for i in 0..1000 {
        assert_eq!(out[i], if u[i] > 0.5 { u[i] * 2.0 + 1.0 } else { (u[i] - 1.0) * (u[i] - 1.0) });
    }
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

#[test]
fn whole_array_reductions_equal_serial_and_do_not_depend_on_threads() {
    let x = data(20_011);
    let mut want = vec![0i64; 10];
    for v in &x {
        want[(((v + 0.3) * 10.0) as usize).min(9)] += 1;
    }
    // Rows of 3 so the 2-D accumulator is broadcast against; the accumulator in C and in F order.
    let values = data(4001 * 3);
    let rows = Array2::from_shape_fn((4001, 3), |(i, j)| values[i * 3 + j]);
    let mut results = Vec::new();
    for threads in [1, 2, 3, 8] {
        rjit::set_num_threads(threads);
        assert_eq!(histogram_reduction(&x, 10).to_vec(), want);
        for fortran in [false, true] {
            let mut acc = Array2::<f64>::zeros((2, 3).set_f(fortran));
            acc.fill(1.0);
            let (mut neg, mut prod) = (vec![0.0; 3], vec![1.0; 3]);
            array_reductions(rows.view(), acc.view_mut(), &mut neg, &mut prod);
            results.push((
                acc.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                neg.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                prod.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            ));
        }
    }
    assert!(results.iter().all(|r| r == &results[0]), "bit-identical across thread counts and layouts");
    let mut acc = Array2::from_elem((2, 3), 1.0);
    let (mut neg, mut prod) = (vec![0.0; 3], vec![1.0; 3]);
    array_reductions_serial(rows.view(), acc.view_mut(), &mut neg, &mut prod);
    let close = |a: f64, b: u64| (a - f64::from_bits(b)).abs() <= 1e-9 * a.abs().max(1.0);
    assert!(acc.iter().zip(&results[0].0).all(|(a, b)| close(*a, *b)), "{acc:?}");
    assert!(neg.iter().zip(&results[0].1).all(|(a, b)| close(*a, *b)));
    assert!(prod.iter().zip(&results[0].2).all(|(a, b)| close(*a, *b)));
    assert!(acc.iter().all(|v| *v != 1.0), "the reduction reached the caller's array");
}

#[test]
fn an_error_in_an_array_reduction_frees_the_copies() {
    let x: Vec<i64> = (0..1000).collect();
    let e = failing_array_reduction::try_call(&x, 1).unwrap_err();
    assert!(matches!(e, rjit::Error::IndexOutOfBounds { index: 1000, size: 1000, .. }), "{e}");
    let h = failing_array_reduction(&x[..999], 0);
    let s: i64 = (0..999).map(|v| 2 * v).sum();
    assert_eq!(h.to_vec(), vec![s; 4]);
}

/// Whole-array work outside `prange`: fused expressions, in-place updates and reductions, split by
/// rows across the pool when large.
#[njit(parallel)]
fn whole_arrays(a: ArrayView2<f64>, row: &[f64], y: ArrayViewMut2<f64>) -> (Array2<f64>, f64, f64, f64, f64, i64) {
    let z = np.sqrt(np.abs(a)) * 2.0 + row - 1.0;
    y += z * 0.5;
    y -= 1.0;
    let b = a > 0.25;
    (z, a.sum(), z.mean(), a.min(), (a * a).max(), b.sum())
}

#[njit]
fn whole_arrays_serial(
    a: ArrayView2<f64>,
    row: &[f64],
    y: ArrayViewMut2<f64>,
) -> (Array2<f64>, f64, f64, f64, f64, i64) {
    let z = np.sqrt(np.abs(a)) * 2.0 + row - 1.0;
    y += z * 0.5;
    y -= 1.0;
    let b = a > 0.25;
    (z, a.sum(), z.mean(), a.min(), (a * a).max(), b.sum())
}

/// An in-place update whose right side overlaps its target, and an integer division that fails
/// in one chunk.
#[njit(parallel)]
fn shifted_update(a: &mut [i64], d: &[i64]) -> i64 {
    let n = a.len();
    a[1..] += a[..n - 1];
    let q = a / d;
    q.sum()
}

#[test]
fn whole_array_expressions_split_across_the_pool_equal_serial() {
    // 400 × 300 = 120 000 elements (split), 20 × 30 (serial), in C and in Fortran order.
    for (rows, cols) in [(400, 300), (20, 30)] {
        for fortran in [false, true] {
            let values = data(rows * cols);
            let mut a = Array2::<f64>::zeros((rows, cols).set_f(fortran));
            for ((i, j), v) in a.indexed_iter_mut() {
                *v = values[i * cols + j] * if (i + j) % 3 == 0 { -1.0 } else { 1.0 };
            }
            let row: Vec<f64> = (0..cols).map(|j| j as f64 * 0.01).collect();
            let mut results = Vec::new();
            for threads in [1, 2, 3, 8] {
                rjit::set_num_threads(threads);
                let mut y = Array2::from_elem((rows, cols), 0.5);
                let r = whole_arrays(a.view(), &row, y.view_mut());
                results.push((r.0.clone(), r.1.to_bits(), r.2.to_bits(), r.3, r.4, r.5, y));
            }
            assert!(results.iter().all(|r| r == &results[0]), "bit-identical across thread counts");
            let mut y = Array2::from_elem((rows, cols), 0.5);
            let s = whole_arrays_serial(a.view(), &row, y.view_mut());
            let p = &results[0];
            assert_eq!(p.0, s.0, "element-wise results are exact");
            assert_eq!(p.6, y);
            assert!((f64::from_bits(p.1) - s.1).abs() < 1e-9 * s.1.abs().max(1.0));
            assert!((f64::from_bits(p.2) - s.2).abs() < 1e-9 * s.2.abs().max(1.0));
            assert_eq!((p.3, p.4, p.5), (s.3, s.4, s.5));
            let want_sum: f64 = a.iter().sum();
            assert!((s.1 - want_sum).abs() < 1e-9 * want_sum.abs().max(1.0));
            assert_eq!(s.5, a.iter().filter(|v| **v > 0.25).count() as i64);
        }
    }
    let ir = whole_arrays::inspect_llvm();
    assert!(
        ir.contains(".fused(") && ir.contains(".reduce(") && ir.contains("@rjit_prange"),
        "split loops are outlined and run on the pool:\n{ir}"
    );
    assert!(!whole_arrays_serial::inspect_llvm().contains("@rjit_prange"), "without `parallel`, nothing is split");
}

#[test]
fn split_in_place_updates_respect_overlap_and_report_errors() {
    let n = 100_000;
    let mut a: Vec<i64> = (0..n as i64).collect();
    let d = vec![1i64; n];
    let got = shifted_update(&mut a, &d);
    let mut want: Vec<i64> = (0..n as i64).collect();
    let before = want.clone();
    for i in 1..n {
        want[i] += before[i - 1];
    }
    assert_eq!(a, want, "the right side was read before the target changed, as in NumPy");
    assert_eq!(got, want.iter().sum::<i64>());
    let mut d = vec![1i64; n];
    d[77_777] = 0;
    let e = shifted_update::try_call(&mut (0..n as i64).collect::<Vec<_>>(), &d).unwrap_err();
    assert!(matches!(e, rjit::Error::DivisionByZero { .. }), "{e}");
}

#[njit(parallel)]
fn stepped(out: &mut [i64]) -> i64 {
    let mut s = 0;
    for i in prange(2, 40, 3) {
        out[i] = i as i64;
        s += i as i64;
    }
    for i in prange(39, 0, -4) {
        s += 1000 * i as i64;
    }
    for i in prange(out.len()) {
        out[i] += 1;
    }
    s
}

#[test]
fn prange_with_starts_and_steps_visits_the_same_iterations_as_range() {
    let mut out = vec![0i64; 40];
    let s = stepped(&mut out);
    let want_s: i64 = (2..40).step_by(3).sum::<i64>() + (1..=39).rev().step_by(4).map(|i| 1000 * i).sum::<i64>();
    assert_eq!(s, want_s);
    let want: Vec<i64> = (0..40).map(|i| if i >= 2 && (i - 2) % 3 == 0 { i + 1 } else { 1 }).collect();
    assert_eq!(out, want);
}
