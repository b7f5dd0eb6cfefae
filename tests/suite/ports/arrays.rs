//! Ports of whole-array kernels: expressions, kernel density, regressions, n-body accelerations.

use super::*;
use rjit::ndarray::{Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut1, ArrayViewMut2};
use rjit::prelude::*;

// numba/numba-benchmark, benchmarks/bench_arrayexprs.py: `sum`, `sq_diff`, `rel_diff`, `square`,
// `cube`. Unchanged but for types (`sum` is `add` here: Rust test names share a namespace).
#[njit]
fn add(a: ArrayView1<f64>, b: ArrayView1<f64>) -> Array1<f64> {
    return a + b;
}

#[njit]
fn sq_diff(a: ArrayView1<f64>, b: ArrayView1<f64>) -> Array1<f64> {
    return (a - b) * (a + b);
}

#[njit]
fn rel_diff(a: ArrayView1<f64>, b: ArrayView1<f64>) -> Array1<f64> {
    return (a - b) / (a + b);
}

#[njit]
fn square(a: ArrayView1<f64>, b: ArrayView1<f64>) -> Array1<f64> {
    return a * *2;
}

#[njit]
fn cube(a: ArrayView1<f64>, b: ArrayView1<f64>) -> Array1<f64> {
    return a * *3;
}

#[test]
fn array_expressions_match_numpy() {
    let fx = fixture("arrayexprs");
    let (a, b) = (arr1(&fx["inputs"]["a"]), arr1(&fx["inputs"]["b"]));
    let o = &fx["outputs"];
    assert_close(&add(a.view(), b.view()), &arr1(&o["sum"]), 0.0, "sum");
    assert_close(&sq_diff(a.view(), b.view()), &arr1(&o["sq_diff"]), 1e-15, "sq_diff");
    assert_close(&rel_diff(a.view(), b.view()), &arr1(&o["rel_diff"]), 1e-15, "rel_diff");
    assert_close(&square(a.view(), b.view()), &arr1(&o["square"]), 1e-15, "square");
    assert_close(&cube(a.view(), b.view()), &arr1(&o["cube"]), 1e-15, "cube");
}

// numba/numba, examples/kernel-density-estimation/kernel_density_estimation.py: `kde`.
// Changed: `2*b**2` is `2 * (b ** 2)` and `(-(p-points)**2)` is `(-((p - points) ** 2))` (Rust
// reads `**` with `*`'s precedence, so rjit asks for the parentheses Python implies).
#[allow(non_snake_case)]
#[njit(parallel)]
fn kde(X: ArrayView1<f64>) -> f64 {
    b = 0.5;
    points = np.array([-1.0, 2.0, 5.0]);
    N = points.shape[0];
    n = X.shape[0];
    exps = 0;
    for i in prange(n) {
        p = X[i];
        d = (-((p - points) * *2)) / (2 * (b * *2));
        m = np.min(d);
        exps += m - np.log(b * N) + np.log(np.sum(np.exp(d - m)));
    }
    return exps;
}

#[test]
fn kde_matches_numpy() {
    let fx = fixture("kde");
    let x = arr1(&fx["inputs"]["X"]);
    assert_close(&[kde(x.view())], &[num(&fx["outputs"]["exps"])], 1e-12, "exps");
}

// numba/numba, examples/linear_regression/linear_regression.py: `linear_regression`.
// Unchanged but for types.
#[allow(non_snake_case)]
#[njit]
fn linear_regression(Y: ArrayView2<f64>, X: ArrayView2<f64>, w: ArrayViewMut2<f64>, iterations: usize, alphaN: f64) {
    for i in range(iterations) {
        w -= alphaN * np.dot(X.T, np.dot(X, w) - Y);
    }
}

#[test]
fn linear_regression_matches_numpy() {
    let fx = fixture("linear_regression");
    let (x, y) = (arr2(&fx["inputs"]["X"]), arr2(&fx["inputs"]["Y"]));
    let want = arr2(&fx["outputs"]["w"]);
    let mut w = Array2::zeros(want.dim());
    linear_regression(y.view(), x.view(), w.view_mut(), 5, num(&fx["inputs"]["alphaN"]));
    assert_close(&w, &want, 1e-12, "w");
}

// numba/numba, examples/logistic-regression/logistic_regression.py: `logistic_regression`.
// Unchanged but for types.
#[allow(non_snake_case)]
#[njit]
fn logistic_regression(Y: ArrayView1<f64>, X: ArrayView2<f64>, w: ArrayViewMut1<f64>, iterations: usize) {
    for i in range(iterations) {
        w -= np.dot(((1.0 / (1.0 + np.exp(-Y * np.dot(X, w))) - 1.0) * Y), X);
    }
}

#[test]
fn logistic_regression_matches_numpy() {
    let fx = fixture("logistic_regression");
    let (x, y) = (arr2(&fx["inputs"]["X"]), arr1(&fx["inputs"]["Y"]));
    let mut w = arr1(&fx["inputs"]["w"]);
    logistic_regression(y.view(), x.view(), w.view_mut(), 5);
    assert_close(&w, &arr1(&fx["outputs"]["w"]), 1e-12, "w");
}

// numba/numba-benchmark, benchmarks/bench_nbody.py: `run_numba_nbody`, checked as the benchmark
// checks it, against its NumPy twin.
// Changed: the module-level `zero`, `one` and `eps_2` (`np.float32(…)`) are Rust `const`s.
#[allow(non_upper_case_globals)]
const zero: f32 = 0.0;
#[allow(non_upper_case_globals)]
const one: f32 = 1.0;
#[allow(non_upper_case_globals)]
const eps_2: f32 = 1e-6;

#[njit]
fn run_numba_nbody(positions: ArrayView2<f32>, weights: ArrayView1<f32>) -> Array2<f32> {
    accelerations = np.zeros_like(positions);
    n = weights.shape[0];
    for i in range(n) {
        ax = zero;
        ay = zero;
        for j in range(n) {
            rx = positions[(j, 0)] - positions[(i, 0)];
            ry = positions[(j, 1)] - positions[(i, 1)];
            sqr_dist = rx * rx + ry * ry + eps_2;
            sixth_dist = sqr_dist * sqr_dist * sqr_dist;
            inv_dist_cube = one / math.sqrt(sixth_dist);
            s = weights[j] * inv_dist_cube;
            ax += s * rx;
            ay += s * ry;
        }
        accelerations[(i, 0)] = ax;
        accelerations[(i, 1)] = ay;
    }
    return accelerations;
}

#[test]
fn nbody_accelerations_match_numpy() {
    let fx = fixture("nbody_accelerations");
    let pos = arr2(&fx["inputs"]["positions"]).mapv(|v| v as f32);
    let w = arr1(&fx["inputs"]["weights"]).mapv(|v| v as f32);
    let got = run_numba_nbody(pos.view(), w.view()).mapv(f64::from);
    // Single precision, summed in another order than NumPy's: the benchmark's own 1e-4.
    assert_close(&got, &arr2(&fx["outputs"]["accelerations"]), 1e-4, "accelerations");
}
