//! Sorting (DSL.md §10): `a.sort()`, `np.sort`, `np.argsort` / `a.argsort()`, along the last axis,
//! NaN last, `argsort` stable, in every layout; compared with hand-computed NumPy results and with
//! plain Rust on random data, compiled and interpreted.

use rand::{Rng, SeedableRng};
use rjit::ndarray::{array, s, Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut1, ArrayViewMut2};
use rjit::prelude::*;

#[njit]
fn sort_copy(a: ArrayView1<f64>) -> (Array1<f64>, Array1<usize>, Array1<usize>) {
    (np.sort(a), np.argsort(a), a.argsort())
}

#[njit]
fn sort_in_place(mut a: ArrayViewMut1<f64>) {
    a.sort();
}

#[njit]
fn sort_rows(m: ArrayView2<f64>) -> (Array2<f64>, Array2<usize>) {
    (np.sort(m), np.argsort(m))
}

#[njit]
fn sort_rows_in_place(mut m: ArrayViewMut2<i64>) {
    m.sort();
}

#[njit]
fn sort_small_types(
    a: ArrayView1<u8>,
    b: ArrayView1<bool>,
    c: ArrayView1<f32>,
    d: ArrayView1<i16>,
) -> (Array1<u8>, Array1<bool>, Array1<f32>, Array1<usize>) {
    (np.sort(a), np.sort(b), np.sort(c), np.argsort(d))
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| if x.is_nan() { f64::NAN.to_bits() } else { x.to_bits() }).collect()
}

#[test]
fn sorts_put_nan_last_and_argsort_is_stable() {
    let nan = f64::NAN;
    let a = array![3.0, nan, -1.0, 0.0, -0.0, 3.0, -np_inf(), 2.5, nan, 0.0];
    let (sorted, idx, idx2) = sort_copy(a.view());
    // NumPy: np.sort([3, nan, -1, 0, -0., 3, -inf, 2.5, nan, 0]) and np.argsort(…, kind="stable").
    assert_eq!(bits(&sorted.to_vec()), bits(&[-np_inf(), -1.0, 0.0, -0.0, 0.0, 2.5, 3.0, 3.0, nan, nan]));
    assert_eq!(idx.to_vec(), vec![6, 2, 3, 4, 9, 7, 0, 5, 1, 8]);
    assert_eq!(idx2, idx);
    let (si, ii, _) = sort_copy::interpret(a.view()).unwrap();
    assert_eq!((bits(&si.to_vec()), ii), (bits(&sorted.to_vec()), idx.clone()));

    // In place, through a reversed strided view: only the viewed elements move.
    let mut base = Array1::from_iter((0..12).map(|k| ((k * 7) % 12) as f64));
    let before = base.clone();
    sort_in_place(base.slice_mut(s![..;-2]));
    let mut want: Vec<f64> = before.slice(s![..;-2]).to_vec();
    want.sort_by(|x, y| x.partial_cmp(y).unwrap());
    assert_eq!(base.slice(s![..;-2]).to_vec(), want);
    assert!((0..12).filter(|k| k % 2 == 0).all(|k| base[k] == before[k]), "elements outside the view stay");

    let empty: Array1<f64> = Array1::zeros(0);
    let (e, ei, _) = sort_copy(empty.view());
    assert_eq!((e.len(), ei.len()), (0, 0));
}

fn np_inf() -> f64 {
    f64::INFINITY
}

#[test]
fn n_d_arrays_sort_along_the_last_axis_in_every_layout() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let m = Array2::from_shape_fn((5, 9), |_| f64::from(rng.gen_range(-4i32..5)));
    for view in [m.view(), m.t(), m.slice(s![..;2, ..;-3])] {
        let (sorted, idx) = sort_rows(view);
        assert_eq!(sorted.shape(), view.shape());
        for (r, row) in view.rows().into_iter().enumerate() {
            let mut want = row.to_vec();
            want.sort_by(|x, y| x.partial_cmp(y).unwrap());
            assert_eq!(sorted.row(r).to_vec(), want);
            let mut want_idx: Vec<usize> = (0..row.len()).collect();
            want_idx.sort_by(|i, j| row[*i].partial_cmp(&row[*j]).unwrap());
            assert_eq!(idx.row(r).to_vec(), want_idx, "stable, as NumPy's kind=\"stable\"");
        }
        assert_eq!(sort_rows::interpret(view).unwrap(), (sorted, idx));
    }
    let mut k = Array2::from_shape_fn((4, 6), |(i, j)| ((i * 5 + j * 7) % 11) as i64 - 5);
    let want: Vec<Vec<i64>> = k
        .t()
        .rows()
        .into_iter()
        .map(|r| {
            let mut v = r.to_vec();
            v.sort();
            v
        })
        .collect();
    sort_rows_in_place(k.view_mut().reversed_axes()); // the lanes of the transpose are the columns
    for (j, w) in want.iter().enumerate() {
        assert_eq!(&k.column(j).to_vec(), w);
    }
}

#[test]
fn every_element_type_sorts() {
    let a = array![200u8, 3, 255, 0, 3];
    let b = array![true, false, true, false];
    let c = array![1.5f32, f32::NAN, -0.5, f32::NEG_INFINITY];
    let d = array![-3i16, 7, -3, i16::MIN, 7];
    let (sa, sb, sc, id) = sort_small_types(a.view(), b.view(), c.view(), d.view());
    assert_eq!(sa.to_vec(), vec![0, 3, 3, 200, 255]);
    assert_eq!(sb.to_vec(), vec![false, false, true, true]);
    assert_eq!(sc[0], f32::NEG_INFINITY);
    assert_eq!(sc.slice(s![1..3]).to_vec(), vec![-0.5, 1.5]);
    assert!(sc[3].is_nan());
    assert_eq!(id.to_vec(), vec![3, 0, 2, 1, 4]);
}

#[test]
fn large_random_sorts_match_rust() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let a = Array1::from_shape_fn(100_000, |_| rng.gen_range(-1e6..1e6));
    let (sorted, idx, _) = sort_copy(a.view());
    let mut want = a.to_vec();
    want.sort_by(|x, y| x.partial_cmp(y).unwrap());
    assert_eq!(sorted.to_vec(), want);
    assert!(idx.iter().zip(&want).all(|(i, w)| a[*i] == *w));
}

#[njit(parallel)]
fn sort_each_row(mut m: ArrayViewMut2<f64>) {
    for i in prange(m.shape[0]) {
        m[(i, ..)].sort();
    }
}

#[test]
fn prange_iterations_may_sort_their_own_rows() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(2);
    let mut m = Array2::from_shape_fn((200, 30), |_| rng.gen_range(0.0..1.0));
    let mut want = m.clone();
    for mut row in want.rows_mut() {
        let mut v = row.to_vec();
        v.sort_by(|x, y| x.partial_cmp(y).unwrap());
        row.assign(&Array1::from(v));
    }
    sort_each_row(m.view_mut());
    assert_eq!(m, want);
}
