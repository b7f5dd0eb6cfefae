//! Array kernels against plain Rust: dot products, matrix-vector products, rows, in-place
//! updates, creators, reductions and returned arrays, in every layout a caller can hand over.

use super::*;

// ---- arrays ----

#[njit]
pub(super) fn dot(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += a[i] * b[i];
    }
    s
}

#[njit]
pub(super) fn matvec(m: ArrayView2<f64>, x: ArrayView1<f64>, out: ArrayViewMut1<f64>) {
    let (rows, cols) = m.shape();
    for i in range(rows) {
        let mut s = 0.0;
        for j in range(cols) {
            s += m[[i, j]] * x[j];
        }
        out[i] = s;
    }
}

#[njit]
pub(super) fn row_sums(m: &Array2<f64>) -> Array1<f64> {
    let out = np.zeros(m.shape().0);
    for i in range(m.len()) {
        let row = m[i];
        out[i] = row.sum();
    }
    out
}

#[njit]
pub(super) fn normalize_rows(m: ArrayViewMut2<f32>) {
    for i in range(m.len()) {
        let h = m[i];
        h /= h.sum();
    }
}

#[njit]
pub(super) fn scale_in_place(a: &mut [i32], k: i32) {
    a *= k;
    a += 1;
}

#[njit]
pub(super) fn add_arrays_in_place(a: &mut Array2<f64>, b: &Array2<f64>) {
    a += b;
}

#[njit]
pub(super) fn last_and_first(a: &[i64]) -> (i64, i64) {
    (a[-1], a[0])
}

#[njit]
pub(super) fn outer(a: &[f64], b: &[f64]) -> Array2<f64> {
    let out = np.empty((a.len(), b.len()), dtype = np.float64);
    for i in range(a.len()) {
        for j in range(b.len()) {
            out[[i, j]] = a[i] * b[j];
        }
    }
    out
}

#[njit]
pub(super) fn creators(n: usize) -> (Array1<i32>, Array1<f32>, Array2<u8>) {
    let a = np.ones(n, dtype = np.int32);
    let b = np.full(n, 2.5, dtype = np.float32);
    let c = np.zeros((2, n), dtype = np.uint8);
    c[[1, 0]] = 7;
    (a, b, c)
}

#[njit]
pub(super) fn reductions(a: ArrayView2<i32>) -> (i64, i64, i32, i32, f64, usize, usize) {
    (a.sum(), a.prod(), a.min(), a.max(), a.mean(), a.size(), a.ndim())
}

#[njit]
pub(super) fn float_reductions(a: &[f32]) -> (f32, f32, f32, f32) {
    (a.sum(), np.min(a), np.max(a), np.mean(a))
}

#[njit]
pub(super) fn return_param_copy(a: ArrayView1<f64>) -> Array1<f64> {
    let b = a;
    b
}

#[njit]
pub(super) fn same_array_twice(n: usize) -> (Array1<f64>, Array1<f64>) {
    let a = np.ones(n);
    (a, a)
}

#[njit]
pub(super) fn bool_array(a: &[bool], out: &mut [bool]) -> i64 {
    let mut c = 0;
    for i in range(a.len()) {
        out[i] = !a[i];
        if a[i] {
            c += 1;
        }
    }
    c
}

#[test]
pub(super) fn one_d_kernels_match_rust() {
    let a = Array1::from(random_vec(257));
    let b = a.mapv(|x| x * 0.5 - 1.0);
    let want: f64 = a.iter().zip(&b).fold(0.0, |s, (x, y)| s + x * y);
    assert_eq!(dot(a.view(), b.view()), want);
    // Strided and reversed views get their own specializations and the same answer.
    let sa = a.slice(s![..;2]);
    let sb = b.slice(s![..;2]);
    let want: f64 = sa.iter().zip(&sb).fold(0.0, |s, (x, y)| s + x * y);
    assert_eq!(dot(sa, sb), want);
    let ra = a.slice(s![..;-1]);
    let want: f64 = ra.iter().zip(&b).fold(0.0, |s, (x, y)| s + x * y);
    assert_eq!(dot(ra, b.view()), want);
    assert!(dot::signatures().len() >= 3, "{:?}", dot::signatures());

    let mut v = vec![1, -2, 3, 40_000_000];
    scale_in_place(&mut v, 100);
    assert_eq!(v, vec![101, -199, 301, 40_000_000i32.wrapping_mul(100) + 1]);

    assert_eq!(last_and_first(&[4, 5, 6]), (6, 4));

    let mask = [true, false, true, true];
    let mut out = [false; 4];
    assert_eq!(bool_array(&mask, &mut out), 3);
    assert_eq!(out, [false, true, false, false]);
}

#[test]
pub(super) fn two_d_kernels_match_rust_in_every_layout() {
    let mut r = rng();
    let m = Array2::from_shape_fn((7, 5), |_| r.gen_range(-1.0..1.0));
    let x = Array1::from(random_vec(5));
    let want = m.dot(&x);
    let check = |mv: ArrayView2<f64>| {
        let mut out = Array1::zeros(7);
        matvec(mv, x.view(), out.view_mut());
        for (g, w) in out.iter().zip(&want) {
            assert!((g - w).abs() < 1e-12, "{g} vs {w}");
        }
    };
    check(m.view());
    let f = {
        let mut f = Array2::zeros((7, 5).f());
        f.assign(&m);
        f
    };
    check(f.view());
    let big = Array2::from_shape_fn((14, 10), |(i, j)| if i % 2 == 0 && j % 2 == 0 { m[[i / 2, j / 2]] } else { 99.0 });
    check(big.slice(s![..;2, ..;2]));

    let sums = row_sums(&m);
    for (i, row) in m.outer_iter().enumerate() {
        assert_eq!(sums[i], row.iter().fold(0.0, |a, x| a + x));
    }

    let mut g = Array2::from_shape_fn((4, 6), |(i, j)| (i * 6 + j + 1) as f32);
    let mut want = g.clone();
    for mut row in want.outer_iter_mut() {
        let s = row.iter().fold(0.0f32, |a, x| a + x);
        row /= s;
    }
    normalize_rows(g.view_mut());
    assert_eq!(g, want);
    // Through a transposed (F-layout) view, rows are strided.
    let mut t = Array2::from_shape_fn((6, 4), |(i, j)| (i + 10 * j + 1) as f32);
    let mut want = t.clone().reversed_axes();
    for mut row in want.outer_iter_mut() {
        let s = row.iter().fold(0.0f32, |a, x| a + x);
        row /= s;
    }
    normalize_rows(t.view_mut().reversed_axes());
    assert_eq!(t.reversed_axes(), want);

    let mut a = Array2::from_shape_fn((3, 3), |(i, j)| (i * j) as f64);
    let b = Array2::from_shape_fn((3, 3), |(i, j)| (i + j) as f64);
    let want = &a + &b;
    add_arrays_in_place(&mut a, &b);
    assert_eq!(a, want);

    let a = [1.0, 2.0, 3.0];
    let b = [10.0, 20.0];
    let o = outer(&a, &b);
    assert_eq!(o, Array2::from_shape_fn((3, 2), |(i, j)| a[i] * b[j]));
}

#[test]
pub(super) fn array_creators_reductions_and_returns() {
    let (a, b, c) = creators(5);
    assert_eq!(a, Array1::from(vec![1i32; 5]));
    assert_eq!(b, Array1::from(vec![2.5f32; 5]));
    let mut want = Array2::<u8>::zeros((2, 5));
    want[[1, 0]] = 7;
    assert_eq!(c, want);
    let (e1, _, e3) = creators(1);
    assert_eq!(e1.len(), 1);
    assert_eq!(e3, rjit::ndarray::arr2(&[[0u8], [7]]));
    // With n = 0 the write `c[[1, 0]]` is out of bounds: an error, and nothing leaks.
    let err = creators::try_call(0).unwrap_err();
    assert!(matches!(err, rjit::Error::IndexOutOfBounds { index: 0, axis: 1, size: 0, .. }), "{err}");

    let m = Array2::from_shape_fn((3, 4), |(i, j)| (i as i32 - 1) * 7 + j as i32 + 1);
    let want = (
        m.iter().map(|x| i64::from(*x)).sum::<i64>(),
        m.iter().map(|x| i64::from(*x)).product::<i64>(),
        *m.iter().min().unwrap(),
        *m.iter().max().unwrap(),
        m.iter().map(|x| f64::from(*x)).sum::<f64>() / 12.0,
        12,
        2,
    );
    assert_eq!(reductions(m.view()), want);
    assert_eq!(reductions(m.t()), want);

    let v: Vec<f32> = random_vec(33).iter().map(|x| *x as f32).collect();
    let sum = v.iter().fold(0.0f32, |a, x| a + x);
    let min = v.iter().cloned().fold(f32::INFINITY, f32::min);
    let max = v.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    assert_eq!(float_reductions(&v), (sum, min, max, sum / 33.0));

    // A returned view of an argument is copied; the argument is untouched.
    let a = Array1::from(random_vec(9));
    let c = return_param_copy(a.slice(s![..;-1]));
    assert_eq!(c, a.slice(s![..;-1]).to_owned());
    // Returning the same array twice hands one over and copies the other.
    let (x, y) = same_array_twice(4);
    assert_eq!(x, y);
    assert_ne!(x.as_ptr(), y.as_ptr());
}
