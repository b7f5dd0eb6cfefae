//! What rjit tells LLVM about arrays that cannot overlap (`rjit_front::alias`, `codegen::alias`),
//! and that it tells nothing where they can: a writable argument of the function Rust calls is a
//! `&mut` borrow, apart from every other argument, and an array allocated in the body is apart from
//! everything else; between njit functions, and in a function that calls itself, two arguments may
//! be one array, and the results must stay those of plain Rust on one buffer.

use rjit::ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use rjit::prelude::*;

/// Each element from the one before it: on overlapping arrays, a running recurrence.
#[njit]
fn smear(dst: &mut [f64], src: &[f64]) {
    for i in range(1, dst.len()) {
        dst[i] = src[i - 1] * 0.5 + 1.0;
    }
}

/// `smear` with the same array as both arguments.
#[njit]
fn smear_self(a: &mut [f64]) {
    smear(a, a);
}

/// Calls itself with one array in both writable parameters.
#[njit]
fn smear_rec(x: &mut [f64], y: &mut [f64], depth: i64) {
    if depth > 0 {
        smear_rec(x, x, depth - 1);
    } else {
        for i in range(1, x.len()) {
            x[i] = y[i - 1] * 0.5 + 1.0;
        }
    }
}

/// `smear` on two views of one array, `k` elements apart (an offset LLVM cannot see through).
#[njit]
fn smear_shifted(a: &mut [f64], k: usize) {
    smear(a[k..], a);
}

/// A fresh array from its argument: writes `t`, reads `a`, which are apart within one call.
#[njit]
fn relax(a: ArrayView1<f64>) -> Array1<f64> {
    let t = np.empty(a.len());
    for i in range(a.len()) {
        let prev = if i > 0 { a[i - 1] } else { a[a.len() - 1] };
        t[i] = 0.5 * (a[i] + prev) + 1.0;
    }
    t
}

/// `relax` inlined into a loop: each call's argument is the previous call's fresh array.
#[njit]
fn relax_times(a: ArrayView1<f64>, k: usize) -> Array1<f64> {
    let mut x = a.copy();
    for _ in range(k) {
        x = relax(x);
    }
    x
}

/// Plain Rust on one buffer: what `smear(a, a)` means.
fn smear_in_place(a: &mut [f64]) {
    for i in 1..a.len() {
        a[i] = a[i - 1] * 0.5 + 1.0;
    }
}

fn data(n: usize) -> Vec<f64> {
    (0..n).map(|i| ((i * 37) % 11) as f64 - 4.0).collect()
}

#[test]
fn one_array_passed_twice_between_njit_functions() {
    for n in [0, 1, 2, 3, 7, 8, 9, 31, 64, 100, 1000] {
        let mut got = data(n);
        smear_self(&mut got);
        let mut want = data(n);
        smear_in_place(&mut want);
        assert_eq!(got, want, "n = {n}");
        for k in [0, 1, 2, 3, 5, 8] {
            if k >= n {
                continue;
            }
            let mut got = data(n);
            smear_shifted(&mut got, k);
            let mut want = data(n);
            for i in 1..n - k {
                want[k + i] = want[i - 1] * 0.5 + 1.0;
            }
            assert_eq!(got, want, "n = {n}, k = {k}");
        }
    }
}

#[test]
fn one_array_passed_twice_to_a_function_calling_itself() {
    for n in [2, 9, 100, 1000] {
        let mut got = data(n);
        let mut other = vec![0.0; n];
        smear_rec(&mut got, &mut other, 1);
        let mut want = data(n);
        smear_in_place(&mut want);
        assert_eq!(got, want, "n = {n}");
        assert!(other.iter().all(|&v| v == 0.0));
        // At depth 0 the arrays are Rust's two separate ones.
        let (mut x, y) = (vec![0.0; n], data(n));
        let mut y2 = y.clone();
        smear_rec(&mut x, &mut y2, 0);
        let want: Vec<f64> = (0..n).map(|i| if i == 0 { 0.0 } else { y[i - 1] * 0.5 + 1.0 }).collect();
        assert_eq!(x, want);
    }
}

#[test]
fn a_fresh_array_passed_back_in_on_the_next_iteration() {
    // Apart within one call of `relax`, the same memory across two: LLVM must not carry the
    // claim from one inlined iteration to the next.
    for (n, k) in [(1, 3), (5, 1), (8, 7), (33, 10), (1000, 4)] {
        let mut want = data(n);
        for _ in 0..k {
            want = (0..n).map(|i| 0.5 * (want[i] + want[if i > 0 { i - 1 } else { n - 1 }]) + 1.0).collect();
        }
        let got = relax_times(Array1::from(data(n)).view(), k);
        assert_eq!(got.to_vec(), want, "n = {n}, k = {k}");
    }
    // Where the body starts, each scope is declared, so copies LLVM makes of it get their own.
    let ir = relax_times::inspect_llvm();
    assert!(ir.contains("!noalias"), "{ir}");
}

#[test]
fn separate_arguments_still_right() {
    for n in [0, 1, 5, 64, 1000] {
        let src = data(n);
        let mut dst = vec![7.0; n];
        smear(&mut dst, &src);
        let want: Vec<f64> = (0..n).map(|i| if i == 0 { 7.0 } else { src[i - 1] * 0.5 + 1.0 }).collect();
        assert_eq!(dst, want, "n = {n}");
    }
}

#[njit]
fn matmul(a: ArrayView2<f64>, b: ArrayView2<f64>) -> Array2<f64> {
    let (n, m) = a.shape();
    let p = b.shape().1;
    let out = np.zeros((n, p));
    for i in range(n) {
        for k in range(m) {
            let aik = a[[i, k]];
            for j in range(p) {
                out[[i, j]] += aik * b[[k, j]];
            }
        }
    }
    out
}

#[test]
fn loops_over_arrays_known_apart_test_no_overlap() {
    let a = Array2::from_shape_fn((5, 40), |(i, j)| (i * 3 + j) as f64 * 0.25);
    let b = Array2::from_shape_fn((40, 33), |(i, j)| (i + 2 * j) as f64 * 0.5 - 3.0);
    assert_eq!(matmul(a.view(), b.view()), a.dot(&b));
    let (src, mut dst) = (data(100), vec![0.0; 100]);
    smear(&mut dst, &src);
    // The fresh `out` against the arguments; `dst` against `src` (a `&mut` borrow from Rust).
    for (name, ir) in [("matmul", matmul::inspect_llvm()), ("smear", smear::inspect_llvm())] {
        assert!(ir.contains("!noalias"), "{name}: no noalias metadata:\n{ir}");
        assert!(ir.contains("vector.body"), "{name}: not vectorized:\n{ir}");
        assert!(!ir.contains("vector.memcheck"), "{name}: still tests for overlap at run time:\n{ir}");
    }
}
