//! Views and slicing (DSL.md §4): `a[lo..hi]`, `a[lo..]`, `a[..hi]`, `a[..]`, `a[(i, ..)]`,
//! `a[(.., j)]`, `a[(lo..hi, 1..3)]`, `t()`, negative bounds, writes through views, `for x in a`.
//! Each is compared with ndarray's own slicing of the same data.

use rjit::ndarray::{s, Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut2};
use rjit::prelude::*;

#[njit]
fn sum_range(a: &[f64], lo: i64, hi: i64) -> f64 {
    a[lo..hi].sum()
}

#[njit]
fn sum_from(a: &[f64], lo: i64) -> f64 {
    a[lo..].sum()
}

#[njit]
fn sum_to(a: &[f64], hi: usize) -> f64 {
    a[..hi].sum()
}

#[njit]
fn sum_all(a: &[f64]) -> f64 {
    a[..].sum()
}

#[njit]
fn row_col_block(m: ArrayView2<f64>, i: usize, j: usize) -> (f64, f64, f64, usize) {
    let row = m[(i, ..)];
    let col = m[(.., j)];
    let block = m[(1..3, 1..3)];
    (row.sum(), col.sum(), block.sum(), block.len())
}

#[njit]
fn column_copy(m: ArrayView2<f64>, j: usize) -> Array1<f64> {
    let out = np.empty(m.shape().0);
    let col = m[(.., j)];
    for i in range(col.len()) {
        out[i] = col[i];
    }
    out
}

#[njit]
fn transposed(m: ArrayView2<f64>) -> Array2<f64> {
    let t = m.t();
    let (r, c) = t.shape();
    let out = np.zeros((r, c));
    for i in range(r) {
        for j in range(c) {
            out[[i, j]] = t[[i, j]];
        }
    }
    out
}

#[njit]
fn scale_block(m: ArrayViewMut2<f64>, k: f64) {
    let b = m[(1..3, ..2)];
    b *= k;
    m[(0, ..)] = -1.0;
}

#[njit]
fn shift_right(a: &mut [i32]) {
    let n = a.len();
    a[1..] = a[..n - 1];
}

#[njit]
fn copy_rows(dst: ArrayViewMut2<f32>, src: ArrayView2<f32>) {
    dst[1..3] = src[..2];
}

#[njit]
fn iterate(a: &[i64], m: ArrayView2<f64>) -> (i64, f64) {
    let mut s = 0;
    for x in a {
        s += x;
    }
    let mut t = 0.0;
    for row in m {
        t += row.max();
    }
    (s, t)
}

fn data(n: usize) -> Vec<f64> {
    (0..n).map(|i| ((i * 37) % 11) as f64 - 3.5).collect()
}

#[test]
fn one_d_slices_clamp_like_numpy() {
    let v = data(10);
    let a = Array1::from(v.clone());
    let sum = |lo: usize, hi: usize| v[lo..hi].iter().fold(0.0, |s, x| s + x);
    assert_eq!(sum_range(&v, 2, 7), sum(2, 7));
    assert_eq!(sum_range(&v, -3, 10), sum(7, 10));
    assert_eq!(sum_range(&v, 5, 100), sum(5, 10), "clamped to the length");
    assert_eq!(sum_range(&v, 7, 2), 0.0, "an empty slice");
    assert_eq!(sum_range(&v, -100, 3), sum(0, 3));
    assert_eq!(sum_from(&v, 4), sum(4, 10));
    assert_eq!(sum_from(&v, -2), sum(8, 10));
    assert_eq!(sum_to(&v, 6), sum(0, 6));
    assert_eq!(sum_all(&v), a.iter().fold(0.0, |s, x| s + x));
}

#[test]
fn two_d_views_match_ndarray() {
    let m = Array2::from_shape_vec((4, 5), data(20)).unwrap();
    let f = |x: ArrayView1<f64>| x.iter().fold(0.0, |s, v| s + v);
    let block = m.slice(s![1..3, 1..3]);
    let want = (f(m.row(2)), f(m.column(3)), block.iter().fold(0.0, |s, v| s + v), 2);
    assert_eq!(row_col_block(m.view(), 2, 3), want);
    // The same through a transposed (F-layout) and a strided input.
    let mt = m.t().to_owned();
    assert_eq!(row_col_block(mt.t(), 2, 3), want);
    let big = Array2::from_shape_fn((8, 10), |(i, j)| if i % 2 == 0 && j % 2 == 0 { m[[i / 2, j / 2]] } else { 1e9 });
    assert_eq!(row_col_block(big.slice(s![..;2, ..;2]), 2, 3), want);
    assert_eq!(column_copy(m.view(), 4), m.column(4).to_owned());
    assert_eq!(transposed(m.view()), m.t().to_owned());
    assert_eq!(transposed(m.slice(s![.., ..;-2])), m.slice(s![.., ..;-2]).t().to_owned());
}

#[test]
fn writes_through_views_reach_the_array() {
    let mut m = Array2::from_shape_vec((4, 3), data(12)).unwrap();
    let mut want = m.clone();
    want.slice_mut(s![1..3, ..2]).mapv_inplace(|x| x * 2.0);
    want.row_mut(0).fill(-1.0);
    scale_block(m.view_mut(), 2.0);
    assert_eq!(m, want);

    let mut a = vec![1, 2, 3, 4, 5];
    shift_right(&mut a);
    assert_eq!(a, vec![1, 1, 2, 3, 4], "overlapping copies read the source first, as NumPy does");

    let src = Array2::from_shape_fn((3, 2), |(i, j)| (i * 10 + j) as f32);
    let mut dst = Array2::<f32>::zeros((4, 2));
    copy_rows(dst.view_mut(), src.view());
    let mut want = Array2::<f32>::zeros((4, 2));
    want.slice_mut(s![1..3, ..]).assign(&src.slice(s![..2, ..]));
    assert_eq!(dst, want);
    let mut small = Array2::<f32>::zeros((2, 2));
    assert!(matches!(copy_rows::try_call(small.view_mut(), src.view()), Err(rjit::Error::ShapeMismatch { .. })));
}

#[test]
fn for_loops_over_arrays() {
    let m = Array2::from_shape_vec((3, 4), data(12)).unwrap();
    let want_t: f64 = m.outer_iter().map(|r| r.iter().cloned().fold(f64::MIN, f64::max)).sum();
    let (s, t) = iterate(&[4, -1, 10], m.view());
    assert_eq!(s, 13);
    assert!((t - want_t).abs() < 1e-12);
}
