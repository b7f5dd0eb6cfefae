//! `a.reshape(shape)`, `a.reshape(d0, d1, …)` and `np.reshape(a, shape)` (DSL.md §9, §10): NumPy's
//! C-order reshape, one axis `-1`; a view of a C-contiguous array (writes show through), a
//! read-only copy of any other; a size that does not fit is a run-time error naming the call.

use rjit::ndarray::{array, s, Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut1};
use rjit::prelude::*;

#[njit]
fn shapes(a: ArrayView1<f64>) -> (Array2<f64>, Array2<f64>, Array1<f64>, Array2<f64>) {
    (a.reshape((2, 3)), np.reshape(a, (-1, 2)), a.reshape(-1), a.reshape(3, -1))
}

#[njit]
fn write_through(mut a: ArrayViewMut1<f64>) {
    let m = a.reshape((2, -1));
    m[[1, 0]] = 100.0;
    m[(0, ..)] += 1.0;
}

#[njit]
fn copy_of_strided(m: ArrayView2<f64>) -> (Array1<f64>, f64) {
    let flat = m.reshape(m.size);
    (flat.copy(), flat.sum())
}

#[njit]
fn bad_reshape(a: ArrayView1<f64>, r: i64, c: i64) -> f64 {
    let m = a.reshape((r, c));
    m.sum()
}

#[test]
fn reshape_follows_numpy() {
    let a = Array1::from_iter((0..6).map(f64::from));
    let (m, n, flat, k) = shapes(a.view());
    assert_eq!(m, array![[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]);
    assert_eq!(n, array![[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]);
    assert_eq!(flat, a);
    assert_eq!(k, n);
    assert_eq!(shapes::interpret(a.view()).unwrap(), (m, n, flat, k));

    // A view: the writes land in `a`.
    let mut b = Array1::from_iter((0..6).map(f64::from));
    write_through(b.view_mut());
    assert_eq!(b, array![1.0, 2.0, 3.0, 100.0, 4.0, 5.0]);

    // A strided array's reshape is a copy: writing through it is refused at the first call (a
    // write NumPy might make through a view would be lost).
    let mut c = Array1::from_iter((0..12).map(f64::from));
    let e = write_through::try_call(c.slice_mut(s![..;2])).unwrap_err().to_string();
    assert!(e.contains("read-only") && e.contains("write_through"), "{e}");
    assert_eq!(c, Array1::from_iter((0..12).map(f64::from)));

    // Any layout: C order, as NumPy's `reshape` reads it.
    let g = Array2::from_shape_fn((3, 4), |(i, j)| (i * 4 + j) as f64);
    for view in [g.t(), g.slice(s![.., ..;2]), g.slice(s![..;-1, ..])] {
        let (flat, sum) = copy_of_strided(view);
        assert_eq!(flat.to_vec(), view.iter().copied().collect::<Vec<_>>());
        assert_eq!(sum, view.sum());
        assert_eq!(copy_of_strided::interpret(view).unwrap(), (flat, sum));
    }

    for (r, c, fits) in [(2, 3, true), (4, 2, false), (-1, 4, false), (-1, -1, false), (3, -2, false), (0, -1, false)] {
        let got = bad_reshape::try_call(a.view(), r, c);
        let interpreted = bad_reshape::interpret(a.view(), r, c);
        assert_eq!(got.is_ok(), fits, "({r}, {c}): {got:?}");
        assert_eq!(format!("{got:?}"), format!("{interpreted:?}"));
        if let Err(e) = got {
            let e = e.to_string();
            assert!(e.contains("bad_reshape") && e.contains("reshape"), "{e}");
        }
    }
    // Huge axes whose product wraps around to the size are a mismatch, not a shape.
    let empty: Array1<f64> = Array1::zeros(0);
    assert!(bad_reshape::try_call(empty.view(), 1 << 32, 1 << 32).is_err());
}
