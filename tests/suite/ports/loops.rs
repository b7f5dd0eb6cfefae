//! Ports of loop kernels: sorting, counting, grouping, the nearest centre.

use super::*;
use rjit::ndarray::{Array1, ArrayView2, ArrayViewMut1};
use rjit::prelude::*;

// numba/numba, examples/bubblesort.py: `bubblesort`.
// Changed: the swap `X[i], X[i + 1] = X[i + 1], X[i]` is parenthesized on both sides.
#[allow(non_snake_case)]
#[njit]
fn bubblesort(X: ArrayViewMut1<i64>) {
    let N = X.shape[0];
    for end in range(N, 1, -1) {
        for i in range(end - 1) {
            if X[i] > X[i + 1] {
                (X[i], X[i + 1]) = (X[i + 1], X[i]);
            }
        }
    }
}

#[test]
#[allow(non_snake_case)]
fn bubblesort_sorts_as_numpy() {
    let fx = fixture("bubblesort");
    let mut X = arr1_i64(&fx["inputs"]["X"]);
    bubblesort(X.view_mut());
    assert_eq!(X, arr1_i64(&fx["outputs"]["X"]));
}

// numba/numba, examples/findmulti.py: `FindMult`.
// Changed: the signature `i4(i4,f8,i4,f8[:])` is written as the parameters' Rust types (64-bit).
#[allow(non_snake_case)]
#[njit]
fn FindMult(i: i64, u: f64, p: i64, U: &[f64]) -> i64 {
    let mut s = 0;
    for j in range(0 - p, p + 2) {
        if U[i + j] == u {
            s = s + 1;
        }
    }
    return s;
}

#[test]
fn find_mult_counts_as_numpy() {
    let fx = fixture("find_mult");
    let u = vec_f64(&fx["inputs"]["U"]);
    let want = arr1_i64(&fx["outputs"]["s"]);
    for (case, want) in fx["inputs"]["cases"].as_array().expect("cases").iter().zip(want) {
        let (i, x, p) = (case[0].as_i64().unwrap(), num(&case[1]), case[2].as_i64().unwrap());
        assert_eq!(FindMult(i, x, p, &u), want, "FindMult({i}, {x}, {p})");
    }
}

// numba/numba-benchmark, benchmarks/bench_misc.py: `grouped_sum`. Unchanged but for types.
#[njit]
fn grouped_sum(values: &[f64], labels: &[i64], target: &mut [f64]) {
    for i in range(len(values)) {
        let idx = labels[i];
        target[idx] += values[i];
    }
}

#[test]
fn grouped_sum_matches_bincount() {
    let fx = fixture("grouped_sum");
    let values = vec_f64(&fx["inputs"]["values"]);
    let labels = arr1_i64(&fx["inputs"]["labels"]).to_vec();
    let mut target = vec![0.0; 8];
    grouped_sum(&values, &labels, &mut target);
    assert_close(&target, &vec_f64(&fx["outputs"]["target"]), 1e-12, "target");
}

// numba/numba, examples/k-means/k-means.py: `argmin`.
// Changed: `np.empty((N,), dtype=np.int64)` is written `np.empty(N, dtype = np.int64)`.
#[allow(non_snake_case)]
#[njit]
fn argmin(dist: ArrayView2<f64>) -> Array1<i64> {
    (N, numCenter) = dist.shape;
    let mins = np.empty(N, dtype = np.int64);
    for i in range(N) {
        k = 0;
        m = dist[(i, 0)];
        for j in range(numCenter) {
            if dist[(i, j)] < m {
                k = j;
                m = dist[(i, j)];
            }
        }
        mins[i] = k;
    }
    mins
}

#[test]
fn kmeans_argmin_matches_numpy() {
    let fx = fixture("kmeans_argmin");
    let dist = arr2(&fx["inputs"]["dist"]);
    assert_eq!(argmin(dist.view()), arr1_i64(&fx["outputs"]["mins"]));
}
