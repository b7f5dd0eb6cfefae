//! Element-wise array expressions with NumPy broadcasting (DSL.md §4): operators, comparisons and
//! bool masks, `np.` math on arrays, `np.where`, dtype conversion, in-place updates and view
//! assignment that broadcast. Each is compared with ndarray's own arithmetic on the same data.

use rjit::ndarray::{arr1, s, Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut2, Axis, ShapeBuilder};
use rjit::prelude::*;

#[njit]
fn affine(a: ArrayView1<f64>, b: ArrayView1<f64>, k: f64) -> Array1<f64> {
    a * k + b - 1.0
}

#[njit]
fn outer_sum(m: ArrayView2<f64>, row: ArrayView1<f64>, col: ArrayView2<f64>) -> (Array2<f64>, Array2<f64>) {
    (m + row, m * col)
}

#[njit]
fn masks(a: ArrayView1<f64>) -> (Array1<bool>, Array1<bool>, Array1<f64>, i64) {
    let pos = a > 0.0;
    let small = np.abs(a) < 2.0;
    let both = pos & small;
    (both, !pos | small, np.r#where(pos, a, 0.0), np.sum(both))
}

#[njit]
fn math(a: ArrayView1<f64>, x: ArrayView1<i32>) -> (Array1<f64>, Array1<f64>, Array1<f32>, Array1<i32>) {
    (np.sqrt(np.abs(a)) + np.exp(-a), np.maximum(a, 0.5), np.float32(a * 2.0), -x * 3 % 7)
}

#[njit]
fn normalize(m: ArrayViewMut2<f64>, mean: ArrayView1<f64>) {
    m -= mean;
    m[1..3] = mean;
}

#[njit]
fn chained(a: ArrayView2<f32>) -> f32 {
    ((a * a + a.t()) / 2.0).sum()
}

fn data(n: usize, shift: f64) -> Vec<f64> {
    (0..n).map(|i| ((i * 7919) % 13) as f64 / 3.0 - shift).collect()
}

#[test]
fn arithmetic_matches_ndarray() {
    let a = Array1::from(data(9, 2.0));
    let b = Array1::from(data(9, 1.0));
    assert_eq!(affine(a.view(), b.view(), 3.0), &a * 3.0 + &b - 1.0);
    // Strided and reversed operands.
    let big = Array1::from(data(18, 0.5));
    let sa = big.slice(s![..;2]);
    let rb = b.slice(s![..;-1]);
    assert_eq!(affine(sa, rb, -2.0), &sa * -2.0 + rb - 1.0);
    // Mismatched lengths are an error, not a wrong answer.
    assert!(matches!(affine::try_call(a.view(), big.view(), 1.0), Err(rjit::Error::ShapeMismatch { .. })));
}

#[test]
fn broadcasting_matches_ndarray() {
    let m = Array2::from_shape_vec((3, 4), data(12, 1.5)).unwrap();
    let row = Array1::from(vec![1.0, -2.0, 0.5, 4.0]);
    let col = Array2::from_shape_vec((3, 1), vec![2.0, 3.0, -1.0]).unwrap();
    let (sum, prod) = outer_sum(m.view(), row.view(), col.view());
    assert_eq!(sum, &m + &row);
    assert_eq!(prod, &m * &col);
    let (sum_t, _) = outer_sum(m.t().to_owned().t(), row.view(), col.view());
    assert_eq!(sum_t, &m + &row, "an F-layout operand");
    let bad = Array1::from(vec![1.0, 2.0, 3.0]);
    assert!(matches!(
        outer_sum::try_call(m.view(), bad.view(), col.view()),
        Err(rjit::Error::ShapeMismatch { axis: 1, .. })
    ));
    let f = Array2::from_shape_fn((3, 3), |(i, j)| (i * 3 + j) as f32);
    let want = ((&f * &f + f.t()) / 2.0).iter().fold(0.0f32, |a, x| a + x);
    assert_eq!(chained(f.view()), want);
}

#[test]
fn comparisons_masks_and_where() {
    let a = arr1(&[-3.0, -1.0, 0.0, 0.5, 1.5, 2.5]);
    let pos = a.mapv(|x| x > 0.0);
    let small = a.mapv(|x| f64::abs(x) < 2.0);
    let both: Array1<bool> = pos.iter().zip(&small).map(|(p, q)| *p && *q).collect();
    let either: Array1<bool> = pos.iter().zip(&small).map(|(p, q)| !*p || *q).collect();
    let (b, e, w, n) = masks(a.view());
    assert_eq!((b, e), (both, either));
    assert_eq!(w, a.mapv(|x| if x > 0.0 { x } else { 0.0 }));
    assert_eq!(n, 2);
}

#[test]
fn math_on_arrays() {
    let a = Array1::from(data(7, 2.0));
    let x = Array1::from(vec![1i32, -2, 3, 40, 0]);
    let (m, mx, f, ints) = math(a.view(), x.view());
    assert_eq!(m, a.mapv(|v| v.abs().sqrt() + (-v).exp()));
    assert_eq!(mx, a.mapv(|v| v.max(0.5)));
    assert_eq!(f, a.mapv(|v| (v * 2.0) as f32));
    assert_eq!(ints, x.mapv(|v| (-v).wrapping_mul(3) % 7));
}

#[test]
fn in_place_and_view_assignment_broadcast() {
    let mut m = Array2::from_shape_vec((4, 3), data(12, 0.0)).unwrap();
    let mean = m.mean_axis(Axis(0)).unwrap();
    let mut want = &m - &mean;
    want.slice_mut(s![1..3, ..]).assign(&mean);
    normalize(m.view_mut(), mean.view());
    assert_eq!(m, want);
}

#[njit]
fn shift_add(a: &mut [f64]) {
    let n = a.len();
    a[1..] += a[..n - 1] * 2.0;
}

#[njit]
fn fused_axpy(y: ArrayViewMut2<f32>, x: ArrayView2<f32>, k: f32) {
    y += x * k + 1.0;
}

#[test]
fn fused_in_place_updates_read_their_inputs_first() {
    // The right side overlaps the target: NumPy computes it first; so must the fused loop.
    let mut a = vec![1.0, 2.0, 3.0, 4.0];
    let orig = a.clone();
    shift_add(&mut a);
    let want: Vec<f64> = (0..4).map(|i| if i == 0 { orig[0] } else { orig[i] + 2.0 * orig[i - 1] }).collect();
    assert_eq!(a, want);
    // Disjoint operands, contiguous and strided, with broadcasting.
    let mut y = Array2::<f32>::ones((3, 4));
    let x = Array2::from_shape_fn((3, 4), |(i, j)| (i * 4 + j) as f32);
    let want = &y + &(&x * 0.5 + 1.0);
    fused_axpy(y.view_mut(), x.view(), 0.5);
    assert_eq!(y, want);
    let mut y2 = Array2::<f32>::zeros((3, 4));
    let row = x.slice(s![1..2, ..]);
    fused_axpy(y2.view_mut(), row, 2.0);
    assert_eq!(y2, Array2::from_shape_fn((3, 4), |(_, j)| x[[1, j]] * 2.0 + 1.0));
    let xt = x.t().to_owned();
    let mut y3 = Array2::<f32>::zeros((3, 4));
    fused_axpy(y3.view_mut(), xt.t(), 1.0);
    assert_eq!(y3, &x + 1.0);
}

/// Reductions of element-wise trees: computed inside the reduction's loop, no array in between.
#[njit]
fn fused_reductions(
    a: ArrayView2<f64>,
    row: ArrayView1<f64>,
    k: ArrayView2<i32>,
) -> (f64, f64, f64, f64, i64, f64, i64) {
    (
        (a * row).sum(),
        np.max(np.abs(a - row)),
        np.min(a * 2.0 - 1.0),
        (a + 1.0).prod(),
        (a > 0.5).sum(),
        (k * 3).mean(),
        np.sum(k % 5 - 2),
    )
}

#[njit(parallel)]
fn fused_reductions_par(
    a: ArrayView2<f64>,
    row: ArrayView1<f64>,
    k: ArrayView2<i32>,
) -> (f64, f64, f64, f64, i64, f64, i64) {
    (
        (a * row).sum(),
        np.max(np.abs(a - row)),
        np.min(a * 2.0 - 1.0),
        (a + 1.0).prod(),
        (a > 0.5).sum(),
        (k * 3).mean(),
        np.sum(k % 5 - 2),
    )
}

#[njit]
fn max_of_nothing(a: ArrayView1<f64>) -> f64 {
    (a * 2.0).max()
}

#[test]
fn reductions_of_element_wise_trees_fuse_and_match_ndarray() {
    for (rows, cols) in [(7, 5), (300, 250)] {
        for fortran in [false, true] {
            let a = Array2::from_shape_fn((rows, cols).set_f(fortran), |(i, j)| ((i * 13 + j * 7) % 29) as f64 / 29.0);
            let row = Array1::from_shape_fn(cols, |j| j as f64 * 0.01);
            let k = Array2::from_shape_fn((rows, cols), |(i, j)| ((i + 3 * j) % 11) as i32 - 5);
            let want_sum: f64 = (&a * &row).iter().fold(0.0, |s, x| s + x);
            let want_max = (&a - &row).iter().fold(f64::NEG_INFINITY, |m, x| m.max(x.abs()));
            let want_min = a.iter().fold(f64::INFINITY, |m, x| m.min(x * 2.0 - 1.0));
            let want_prod = a.iter().fold(1.0, |p, x| p * (x + 1.0));
            let want_count = a.iter().filter(|x| **x > 0.5).count() as i64;
            let want_mean = k.iter().map(|x| f64::from(x * 3)).sum::<f64>() / (rows * cols) as f64;
            let want_isum: i64 = k.iter().map(|x| i64::from(x % 5 - 2)).sum();
            for got in
                [fused_reductions(a.view(), row.view(), k.view()), fused_reductions_par(a.view(), row.view(), k.view())]
            {
                let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * y.abs().max(1.0);
                assert!(close(got.0, want_sum) && got.1 == want_max && got.2 == want_min, "{got:?}");
                assert!(
                    close(got.3, want_prod) || (got.3.is_infinite() && want_prod.is_infinite()),
                    "{got:?} {want_prod}"
                );
                assert_eq!((got.4, got.6), (want_count, want_isum));
                assert!(close(got.5, want_mean), "{got:?}");
            }
        }
    }
    let serial = fused_reductions::inspect_llvm();
    assert!(!serial.contains("rjit_alloc"), "no array is allocated for a reduced tree:\n{serial}");
    let e = max_of_nothing::try_call(ArrayView1::from(&[] as &[f64])).unwrap_err();
    assert!(matches!(e, rjit::Error::EmptyReduction { .. }), "{e}");
}
