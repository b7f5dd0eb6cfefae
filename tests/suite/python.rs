//! Python's spellings (DSL.md §9) against plain Rust doing what Python and Numba do: the builtins,
//! the `math` module, `**`, NumPy attributes as fields, and `range` over mixed signed and unsigned
//! bounds.

use rjit::ndarray::{array, Array1, Array2, ArrayView1, ArrayView2, ArrayView3, ArrayViewMut1, ArrayViewMut3};
use rjit::num_complex::Complex64;
use rjit::prelude::*;

#[njit]
fn builtins(a: ArrayView1<f64>, x: f64, k: i64) -> (usize, f64, i64, f64, f64, f64, i64, i64, f64, i64, bool, bool) {
    let n = len(a);
    (n, abs(x), abs(k), min(a), max(a), float(k), int(x), round(x), max(x, 2.5, a[0]), min(k, 3, -7), bool(k), bool(x))
}

#[njit]
fn erf_pair(x: f64) -> (f64, f64, f64, f64) {
    (math.erf(x), math.erfc(x), math.gamma(x), math.lgamma(x))
}

#[njit]
fn python_min_max(a: f64, b: f64) -> (f64, f64) {
    (min(a, b), max(a, b))
}

#[njit]
fn math_module(x: f64) -> (f64, f64, f64, f64, f64, f64, f64, f64, i64, i64, f64, bool) {
    (
        math.sqrt(x),
        math.exp(x) + math.expm1(x),
        math.log(x) + math.log1p(x) + math.log2(x) + math.log10(x),
        math.sin(x) + math.cos(x) + math.tan(x) + math.atan2(x, 2.0),
        math.asinh(x) + math.atanh(x / 8.0) + math.acosh(x + 1.0),
        math.erf(x) + math.erfc(x),
        math.gamma(x + 1.0) + math.lgamma(x + 1.0),
        math.hypot(x, 3.0) + math.copysign(2.0, -x) + math.fabs(-x),
        math.floor(x),
        math.ceil(x) + math.trunc(-x),
        math.pow(x, 3.0) + math.pi * math.e,
        math.isnan(x) || math.isinf(x) || !math.isfinite(x),
    )
}

#[njit]
fn powers(x: f64, k: i64, n: u32) -> (f64, f64, i64, u32, f64) {
    (x * *2, x * *0.5, k * *3, n * *2, 2.0 * (x * *2) + (-(x * *2)))
}

#[njit]
fn attributes(a: ArrayView2<f64>) -> (usize, usize, usize, usize, f64) {
    let t = a.T;
    (a.shape[0], a.shape[1], a.size, a.ndim, t[(1, 0)] + a.shape()[0] as f64)
}

/// Python's `for i in range(len(a) - 1, -1, -1)`: counts in i64, and visits nothing when `a` is
/// empty.
#[njit]
fn count_down(a: ArrayView1<f64>) -> (f64, i64) {
    let mut s = 0.0;
    let mut last = -100;
    for i in range(len(a) - 1, -1, -1) {
        s = s * 10.0 + a[i];
        last = i;
    }
    (s, last)
}

#[test]
fn python_builtins_mean_what_python_means() {
    let a = array![4.0, -1.5, 9.25];
    let r = builtins(a.view(), -2.5, 11);
    assert_eq!(r, (3, 2.5, 11, -1.5, 9.25, 11.0, -2, -2, 4.0, -7, true, true));
    assert!(!builtins(a.view(), 0.0, 0).10 && !builtins(a.view(), 0.0, 0).11);
    // `round` rounds halves to even and returns an integer; `int` truncates.
    assert_eq!(builtins(a.view(), 3.5, 0).7, 4);
    assert_eq!(builtins(a.view(), 2.5, 0).7, 2);
    assert_eq!(builtins(a.view(), 2.7, 0).6, 2);
    assert_eq!(builtins(a.view(), -2.7, 0).6, -2);
}

#[test]
fn python_min_and_max_keep_the_first_argument_unless_the_second_is_strictly_beyond() {
    let (lo, hi) = python_min_max(1.0, 2.0);
    assert_eq!((lo, hi), (1.0, 2.0));
    let (lo, hi) = python_min_max(f64::NAN, 1.0);
    assert!(lo.is_nan() && hi.is_nan(), "a NaN first argument stays, as in Python");
    assert_eq!(python_min_max(1.0, f64::NAN), (1.0, 1.0), "a NaN second argument loses");
    let (lo, hi) = python_min_max(0.0, -0.0);
    assert!(lo.is_sign_positive() && hi.is_sign_positive(), "ties keep the first");
}

#[test]
fn the_math_module_matches_rust_and_the_c_library() {
    for x in [0.25, 1.0, 2.5, 3.75] {
        let r = math_module(x);
        let near = |got: f64, want: f64, what: &str| {
            assert!((got - want).abs() <= 1e-12 * want.abs().max(1.0), "{what}({x}): {got} vs {want}")
        };
        near(r.0, x.sqrt(), "sqrt");
        near(r.1, x.exp() + x.exp_m1(), "exp");
        near(r.2, x.ln() + x.ln_1p() + x.log2() + x.log10(), "log");
        near(r.3, x.sin() + x.cos() + x.tan() + x.atan2(2.0), "trig");
        near(r.4, x.asinh() + (x / 8.0).atanh() + (x + 1.0).acosh(), "hyperbolic");
        // erf + erfc = 1 exactly in real numbers; to rounding here.
        near(r.5, 1.0, "erf + erfc");
        if x == 1.0 {
            near(r.6, 1.0, "gamma(2) + lgamma(2)");
        }
        near(r.7, x.hypot(3.0) - 2.0 + x, "hypot, copysign, fabs");
        assert_eq!(r.8, x.floor() as i64);
        assert_eq!(r.9, x.ceil() as i64 + (-x).trunc() as i64);
        near(r.10, x.powf(3.0) + std::f64::consts::PI * std::f64::consts::E, "pow");
        assert!(!r.11);
    }
    // Known values of the functions Rust's standard library lacks.
    let (erf, erfc, gamma, lgamma) = erf_pair(0.5);
    assert!((erf - 0.520_499_877_813_046_5).abs() < 1e-15 && (erfc - 0.479_500_122_186_953_5).abs() < 1e-15);
    assert!((gamma - std::f64::consts::PI.sqrt()).abs() < 1e-14 && (lgamma - 0.572_364_942_924_700_1).abs() < 1e-14);
    let (_, _, gamma, lgamma) = erf_pair(5.0);
    assert!((gamma - 24.0).abs() < 1e-12 && (lgamma - 24f64.ln()).abs() < 1e-12);
    assert!(math_module(f64::NAN).11 && math_module(f64::INFINITY).11);
}

#[test]
fn powers_follow_python() {
    assert_eq!(powers(3.0, -4, 7), (9.0, 3.0f64.sqrt(), -64, 49, 9.0));
    let r = powers(-1.5, 5, 0);
    assert_eq!((r.0, r.2, r.3, r.4), (2.25, 125, 0, 2.25));
    assert!(r.1.is_nan(), "a negative number to the power 0.5");
}

#[test]
fn numpy_attributes_read_as_fields() {
    let a = Array2::from_shape_fn((3, 5), |(i, j)| (i * 10 + j) as f64);
    assert_eq!(attributes(a.view()), (3, 5, 15, 2, 1.0 + 3.0));
}

#[test]
fn ranges_with_unsigned_and_signed_bounds_count_in_i64() {
    assert_eq!(count_down(array![1.0, 2.0, 3.0].view()), (321.0, 0));
    assert_eq!(count_down(array![].view()), (0.0, -100));
}

/// numba's `examples/bubblesort.py`, with its swap written as a tuple assignment of elements.
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

/// Loops over tuple and array literals; `continue` and `break` keep their meaning.
#[njit]
fn literal_loops(x: i64) -> (i64, f64, i64) {
    let mut s = 0;
    for d in (-1, 0, 1) {
        for e in [10, 20, 30] {
            if e == 20 {
                continue;
            }
            s += d * e + x;
        }
    }
    let mut f = 0.0;
    for w in (0.5, 0.25, x as f64) {
        f += w;
    }
    let mut seen = 0;
    for k in [3, 1, 4, 1, 5] {
        if k == 4 {
            break;
        }
        seen += k;
    }
    (s, f, seen)
}

#[test]
fn tuple_assignment_to_elements_swaps() {
    let mut a = rjit::ndarray::Array1::from_vec(vec![5i64, -2, 9, 0, 9, 3, -7]);
    bubblesort(a.view_mut());
    assert_eq!(a.to_vec(), vec![-7, -2, 0, 3, 5, 9, 9]);
    let mut one = rjit::ndarray::Array1::from_vec(vec![1i64]);
    bubblesort(one.view_mut());
    assert_eq!(one.to_vec(), vec![1]);
}

#[test]
fn loops_over_literals_visit_each_item_once_in_order() {
    // d in -1, 0, 1; e in 10, 30: s = sum(d * e) + 6 * x.
    assert_eq!(literal_loops(2), (12, 0.75 + 2.0, 4));
    assert_eq!(literal_loops(-1), (-6, 0.75 - 1.0, 4));
}

/// numbagg's `nanmean` (numba-benchmark `benchmarks/bench_numbagg.py`), as written there.
#[njit]
fn nanmean(a: ArrayView2<f64>) -> f64 {
    let mut asum = 0.0;
    let mut count = 0;
    for ai in a.flat {
        if !np.isnan(ai) {
            asum += ai;
            count += 1;
        }
    }
    if count > 0 {
        return asum / count as f64;
    } else {
        return np.nan;
    }
}

#[njit]
fn flat_forms(a: ArrayView2<f64>) -> (Array1<f64>, Array1<f64>, f64) {
    let r = a.ravel();
    let f = a.flatten();
    f[0] = -1.0;
    (r.copy(), f, a.T.ravel()[1])
}

#[njit]
fn literals(x: f64) -> (Array1<f64>, Array1<i64>, Array2<f64>, f64) {
    let points = np.array([-1.0, 2.0, 5.0]);
    let ints = np.array([3, -1, 4]);
    let m = np.array([[1.0, x], [3.0, 4.0]], dtype = np.float64);
    let same = np.asarray(points);
    (points * x, ints, m, same.sum())
}

#[njit]
fn complex_parts(z: Complex64) -> (f64, f64) {
    (z.real, z.imag)
}

#[test]
fn flat_ravel_and_flatten_visit_elements_in_c_order() {
    let a = array![[1.0, f64::NAN, 3.0], [4.0, 5.0, f64::NAN]];
    assert_eq!(nanmean(a.view()), (1.0 + 3.0 + 4.0 + 5.0) / 4.0);
    // A transposed (F-ordered) view is still read in its own C order.
    assert_eq!(nanmean(a.t()), 13.0 / 4.0);
    assert!(nanmean(array![[f64::NAN]].view()).is_nan());
    let b = array![[1.0, 2.0], [3.0, 4.0]];
    let (r, f, t1) = flat_forms(b.view());
    assert_eq!((r.to_vec(), f.to_vec(), t1), (vec![1.0, 2.0, 3.0, 4.0], vec![-1.0, 2.0, 3.0, 4.0], 3.0));
    assert_eq!(b[[0, 0]], 1.0, "flatten copies");
}

#[test]
fn numpy_array_literals_take_numpys_dtype() {
    let (p, i, m, s) = literals(2.0);
    assert_eq!(p.to_vec(), vec![-2.0, 4.0, 10.0]);
    assert_eq!(i.to_vec(), vec![3, -1, 4]);
    assert_eq!(m, array![[1.0, 2.0], [3.0, 4.0]]);
    assert_eq!(s, 6.0);
    assert_eq!(complex_parts(Complex64::new(1.5, -2.0)), (1.5, -2.0));
}

/// Stores convert to the array's dtype as Numba's setitem does (`as`'s rules).
#[njit]
fn setitem_converts(a: &mut [f32], idx: &mut [i64], small: &mut [u16], x: f64) {
    a[0] = x;
    a[1] = 7;
    for i in range(len(idx)) {
        idx[i] = i;
        small[i] = i * 1000;
    }
    idx[0] = 2.9;
}

#[test]
fn stores_convert_to_the_element_type() {
    let (mut a, mut idx, mut small) = (vec![0.0f32; 2], vec![0i64; 3], vec![0u16; 3]);
    setitem_converts(&mut a, &mut idx, &mut small, 0.1);
    assert_eq!(a, vec![0.1f64 as f32, 7.0]);
    assert_eq!(idx, vec![2, 1, 2]);
    assert_eq!(small, vec![0, 1000, 2000]);
}

// Module-level constants (DSL.md §9): names that are no local resolve where the function is
// defined, with their own types, frozen at the first call.
const SCALE: f64 = 2.5;
static OFFSET: i32 = -7;
const FLAG: bool = true;
const STEPS: usize = 3;
const LOWEST: i64 = i64::MIN;
const SMALL: f32 = -0.1;
const ROOT: Complex64 = Complex64::new(1.5, -2.0);
mod limits {
    pub const CAP: u8 = 200;
}
use limits::CAP;

#[njit]
fn with_globals(a: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in range(STEPS) {
        s += a[i] * SCALE;
    }
    if FLAG {
        s += OFFSET as f64;
    }
    s
}

#[njit]
fn global_types() -> (i64, u8, f32, f64, bool) {
    let z = ROOT * ROOT;
    // Returned as the declared `u8`: the constant keeps its type.
    (LOWEST, CAP / 3, SMALL * 2.0, z.im, LOWEST < 0 && OFFSET == -7)
}

#[test]
fn module_level_constants_have_their_own_types_and_values() {
    let a = [1.0, 2.0, 4.0, 100.0];
    assert_eq!(with_globals(&a), (1.0 + 2.0 + 4.0) * 2.5 - 7.0);
    let (lowest, third, small, im, cond) = global_types();
    let z = ROOT * ROOT;
    assert_eq!(lowest, i64::MIN);
    assert_eq!(third, 66);
    assert_eq!(small, -0.1f32 * 2.0);
    assert_eq!(im, z.im);
    assert!(cond);
}

const HALF: f64 = 0.5;

#[njit]
fn index_with_a_float_constant(a: &[f64]) -> f64 {
    a[HALF]
}

#[test]
fn a_constant_of_the_wrong_type_is_an_error_at_the_first_call() {
    let e = index_with_a_float_constant::try_call(&[1.0, 2.0]).unwrap_err().to_string();
    assert!(e.contains("index_with_a_float_constant") && e.contains("f64"), "{e}");
}

#[njit]
fn weighted_sum(w: &[f64], x: ArrayView1<f64>) -> f64 {
    let mut s = 0.0;
    for (wi, xi) in zip(w, x) {
        s += wi * xi;
    }
    s
}

#[njit]
fn enumerated(a: ArrayView1<f64>, m: ArrayView2<f64>) -> (f64, usize, f64) {
    let mut s = 0.0;
    for (i, x) in enumerate(a) {
        s += (i as f64) * x;
    }
    let mut last = 0;
    for (k, _) in enumerate(a, 10) {
        last = k;
    }
    // Over a 2-D array: the rows, as `for row in m` visits them.
    let mut t = 0.0;
    for (i, row, y) in zip(np.arange(3), m, a) {
        t += row.sum() * y + (i as f64);
    }
    (s, last, t)
}

#[njit]
fn zip_breaks(a: &[i64], b: &[i64]) -> i64 {
    let mut n = 0;
    for (x, y) in zip(a, b) {
        if x == y {
            continue;
        }
        if x > 100 {
            break;
        }
        n += 1;
    }
    n
}

#[test]
fn zip_and_enumerate_mean_what_python_means() {
    let w = [0.5, 2.0, -1.0, 4.0];
    let x = array![1.0, 3.0, 5.0];
    // The shorter length wins, as in Python.
    assert_eq!(weighted_sum(&w, x.view()), 0.5 + 6.0 - 5.0);
    assert_eq!(weighted_sum(&[], x.view()), 0.0);
    let m = Array2::from_shape_fn((4, 2), |(i, j)| (i * 2 + j) as f64);
    let (s, last, t) = enumerated(x.view(), m.view());
    assert_eq!(s, 0.0 * 1.0 + 1.0 * 3.0 + 2.0 * 5.0);
    assert_eq!(last, 12);
    let want: f64 = (0..3).map(|i| m.row(i).sum() * x[i] + i as f64).sum();
    assert_eq!(t, want);
    assert_eq!(zip_breaks(&[1, 5, 7, 200, 3], &[1, 2, 7, 0, 0]), 1);
    assert_eq!(enumerated::interpret(x.view(), m.view()).unwrap(), (s, last, t));
}

#[njit]
fn last_axes(m: ArrayView2<f64>, c: ArrayView3<f64>) -> (usize, usize, usize, usize) {
    (m.shape[-1], m.shape[-2], c.shape[-1], c.shape()[-3])
}

#[test]
fn negative_shape_indices_count_from_the_end() {
    let m = Array2::<f64>::zeros((2, 5));
    let c = rjit::ndarray::Array3::<f64>::zeros((3, 4, 7));
    assert_eq!(last_axes(m.view(), c.view()), (5, 2, 7, 3));
    assert_eq!(last_axes::interpret(m.view(), c.view()).unwrap(), (5, 2, 7, 3));
}

#[njit]
fn logical(
    x: f64,
    k: i64,
    a: ArrayView1<f64>,
    b: ArrayView1<i64>,
) -> (bool, bool, bool, bool, Array1<bool>, Array1<bool>) {
    (
        np.logical_and(x, k),
        np.logical_or(x > 1.0, k),
        np.logical_xor(2, k),
        np.logical_not(k),
        np.logical_and(a, b),
        np.logical_not(np.logical_xor(a > 0.5, b)),
    )
}

#[test]
fn numpys_logical_functions_take_truth_values() {
    let a = array![0.0, 0.25, 2.0, -1.0];
    let b = array![3, 0, 2, 0];
    // `2 & 1` is 0, but both are true: the truth values combine, not the bits.
    let (and, or, xor, not, arr_and, arr_xnor) = logical(2.0, 1, a.view(), b.view());
    assert_eq!((and, or, xor, not), (true, true, false, false));
    assert_eq!(arr_and.to_vec(), vec![false, false, true, false]);
    assert_eq!(arr_xnor.to_vec(), vec![false, true, true, true]);
    let (and, or, xor, not, _, _) = logical(0.0, 0, a.view(), b.view());
    assert_eq!((and, or, xor, not), (false, false, true, true));
    assert_eq!(logical::interpret(2.0, 1, a.view(), b.view()).unwrap(), (true, true, false, false, arr_and, arr_xnor));
}

#[njit(inline)]
fn same_dtype<T: Float>(a: ArrayView1<T>) -> (Array1<T>, Array1<T>, Array1<T>) {
    let z = np.zeros(a.len(), dtype = a.dtype);
    let r = np.arange(3, dtype = a.dtype);
    let o = np.zeros_like(a, dtype = a.dtype) + 1.0;
    (z, r, o)
}

#[test]
fn an_arrays_dtype_names_its_element_type() {
    let a = array![1.5f32, 2.5];
    let (z, r, o) = same_dtype(a.view());
    assert_eq!((z.to_vec(), r.to_vec(), o.to_vec()), (vec![0.0f32; 2], vec![0.0f32, 1.0, 2.0], vec![1.0f32; 2]));
    let b = array![1.5f64];
    assert_eq!(same_dtype(b.view()).1.to_vec(), vec![0.0, 1.0, 2.0]);
}

#[njit]
fn numpy_slices(a: ArrayView1<f64>, mut heap: ArrayViewMut3<f64>, row: usize) -> (f64, f64, f64, usize) {
    let inner = a[1..-1].sum();
    let tail = a[-3..].sum();
    let clamped = a[-100..2].sum() + a[2..100].sum();
    // Fewer indices than axes: a view; a scalar stored into it fills it.
    let r = heap[(0, row)];
    heap[(1, row)] = 7.0;
    (inner, tail, clamped, r.len())
}

#[test]
fn negative_slice_bounds_count_from_the_end_and_clamp() {
    let a = array![1.0, 2.0, 4.0, 8.0, 16.0];
    let mut heap = rjit::ndarray::Array3::<f64>::zeros((2, 3, 4));
    let (inner, tail, clamped, len) = numpy_slices(a.view(), heap.view_mut(), 2);
    assert_eq!((inner, tail, clamped, len), (14.0, 28.0, 3.0 + 28.0, 4));
    assert!(heap.slice(rjit::ndarray::s![1, 2, ..]).iter().all(|x| *x == 7.0));
    assert_eq!(heap.sum(), 28.0);
}
