//! NumPy names beyond the core: creators (`arange`, `linspace`, `zeros_like`, `empty_like`),
//! `cumsum`, `dot`, `argmin`/`argmax`, `copy`, `fill`, the `isnan` family, scalar `np.where`, and
//! complex parts. Each is compared with plain Rust or ndarray on the same data.

use rjit::ndarray::{s, Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut1};
use rjit::num_complex::Complex64;
use rjit::prelude::*;

#[njit]
fn ranges(n: i64) -> (Array1<i64>, Array1<i64>, Array1<f64>, Array1<i16>) {
    (np.arange(n), np.arange(2, n, 3), np.arange(0.5, 2.0, 0.25), np.arange(10, 0, -3, dtype = np.int16))
}

#[njit]
fn spaced(a: f64, b: f64, n: i64) -> Array1<f64> {
    np.linspace(a, b, n)
}

#[njit]
fn likes(m: ArrayView2<f32>) -> (Array2<f32>, Array2<i32>) {
    let z = np.zeros_like(m);
    let e = np.empty_like(m, dtype = np.int32);
    e.fill(7);
    (z, e)
}

#[njit]
fn running(a: ArrayView2<i32>) -> Array1<i64> {
    np.cumsum(a)
}

#[njit]
fn products(
    a: ArrayView1<f64>,
    b: ArrayView1<f64>,
    m: ArrayView2<f64>,
    n: ArrayView2<f64>,
) -> (f64, Array1<f64>, Array2<f64>) {
    (np.dot(a, b), m.dot(a), np.dot(m, n))
}

#[njit]
fn extremes(a: ArrayView2<f64>, b: &[u16]) -> (usize, usize, usize, usize) {
    (a.argmin(), a.argmax(), b.argmin(), b.argmax())
}

#[njit]
fn copied(a: ArrayView1<f64>, out: ArrayViewMut1<f64>) -> Array1<f64> {
    let c = a.copy();
    c[0] = -1.0;
    out.fill(3.0);
    c
}

#[njit]
fn tests(x: f64, k: i32) -> (bool, bool, bool, bool, i32) {
    (np.isnan(x), np.isinf(x), np.isfinite(x), np.isfinite(k), np.r#where(x > 0.0, k, -k))
}

#[njit]
fn parts(z: Complex64, x: f64) -> (f64, f64, Complex64, Complex64) {
    (z.re, z.im, z.conj(), np.complex128(x, 2.0 * x))
}

#[test]
fn creators_match_numpy() {
    let (a, b, c, d) = ranges(7);
    assert_eq!(a, Array1::from_iter(0..7i64));
    assert_eq!(b, Array1::from(vec![2i64, 5]));
    assert_eq!(c, Array1::from(vec![0.5, 0.75, 1.0, 1.25, 1.5, 1.75]));
    assert_eq!(d, Array1::from(vec![10i16, 7, 4, 1]));
    let (a, ..) = ranges(-3);
    assert_eq!(a.len(), 0);
    let l = spaced(0.0, 1.0, 5);
    assert_eq!(l, Array1::from(vec![0.0, 0.25, 0.5, 0.75, 1.0]));
    let l = spaced(-1.0, 2.0, 7);
    assert_eq!(l, Array1::linspace(-1.0, 2.0, 7));
    assert_eq!(l[6], 2.0, "the last point is exactly `stop`");
    assert_eq!(spaced(3.0, 4.0, 1), Array1::from(vec![3.0]));
    assert_eq!(spaced(3.0, 4.0, 0).len(), 0);
    let m = Array2::<f32>::ones((2, 3));
    let (z, e) = likes(m.t());
    assert_eq!(z, Array2::<f32>::zeros((3, 2)));
    assert_eq!(e, Array2::<i32>::from_elem((3, 2), 7));
}

#[test]
fn cumsum_dot_and_extremes_match_rust() {
    let m = Array2::from_shape_fn((3, 4), |(i, j)| (i as i32 - 1) * 10 + j as i32);
    let mut acc = 0i64;
    let want: Vec<i64> = m
        .iter()
        .map(|x| {
            acc += i64::from(*x);
            acc
        })
        .collect();
    assert_eq!(running(m.view()), Array1::from(want.clone()));
    // In C order, also for a transposed input.
    let mut acc = 0i64;
    let want_t: Vec<i64> = m
        .t()
        .iter()
        .map(|x| {
            acc += i64::from(*x);
            acc
        })
        .collect();
    assert_eq!(running(m.t()), Array1::from(want_t));

    let a = Array1::from(vec![1.0, 2.0, -3.0]);
    let b = Array1::from(vec![0.5, 4.0, 1.0]);
    let mm = Array2::from_shape_fn((2, 3), |(i, j)| (i * 3 + j) as f64 - 2.0);
    let nn = Array2::from_shape_fn((3, 4), |(i, j)| (i + j * j) as f64 * 0.5);
    let (d, mv, prod) = products(a.view(), b.view(), mm.view(), nn.view());
    assert_eq!(d, a.dot(&b));
    assert_eq!(mv, mm.dot(&a));
    assert_eq!(prod, mm.dot(&nn));
    let (_, _, prod_t) = products(a.view(), b.view(), mm.view(), nn.t().t());
    assert_eq!(prod_t, mm.dot(&nn));
    assert!(matches!(
        products::try_call(a.view(), b.slice(s![..2]), mm.view(), nn.view()),
        Err(rjit::Error::ShapeMismatch { .. })
    ));

    let f = Array2::from_shape_vec((2, 3), vec![3.0, -1.0, 7.0, -1.0, 7.0, 0.0]).unwrap();
    assert_eq!(extremes(f.view(), &[5, 2, 9, 2, 9]), (1, 2, 1, 2), "first occurrences, flat C order");
    assert_eq!(extremes(f.t(), &[1]).0, 1, "argmin of the transposed array counts in its own C order");
    let nan = Array2::from_shape_vec((1, 3), vec![1.0, f64::NAN, 5.0]).unwrap();
    assert_eq!(extremes(nan.view(), &[1]).1, 1, "NaN is the maximum, as in NumPy");
    assert!(matches!(extremes::try_call(Array2::zeros((0, 3)).view(), &[1]), Err(rjit::Error::EmptyReduction { .. })));
}

#[test]
fn copies_fills_tests_and_complex_parts() {
    let a = Array1::from(vec![1.0, 2.0, 3.0]);
    let mut out = Array1::zeros(2);
    let c = copied(a.slice(s![..;-1]), out.view_mut());
    assert_eq!(c, Array1::from(vec![-1.0, 2.0, 1.0]));
    assert_eq!(a, Array1::from(vec![1.0, 2.0, 3.0]), "the copy is independent");
    assert_eq!(out, Array1::from(vec![3.0, 3.0]));
    assert_eq!(tests(f64::NAN, 3), (true, false, false, true, -3));
    assert_eq!(tests(f64::NEG_INFINITY, 3), (false, true, false, true, -3));
    assert_eq!(tests(2.5, 3), (false, false, true, true, 3));
    let z = Complex64::new(1.5, -2.0);
    assert_eq!(parts(z, 0.5), (1.5, -2.0, z.conj(), Complex64::new(0.5, 1.0)));
}

#[njit]
fn likes_copy_clip(
    a: ArrayView2<f64>,
    k: ArrayView1<i32>,
) -> (Array2<f64>, Array2<f64>, Array1<i32>, Array2<f64>, Array2<f64>, f64) {
    (
        np.ones_like(a),
        np.full_like(a, 2.5),
        np.full_like(k, 7),
        np.copy(a),
        np.clip(a, -1.0, 1.5),
        np.clip(3.0, 0.0, 2.0),
    )
}

#[test]
fn ones_like_full_like_copy_and_clip_match_ndarray() {
    let a = rjit::ndarray::array![[0.5, -3.0, f64::NAN], [2.0, 1.0, -0.25]];
    let k = rjit::ndarray::array![1, 2, 3];
    let t = a.t();
    for view in [a.view(), t] {
        let (ones, full, fk, copy, clip, c) = likes_copy_clip(view, k.view());
        assert_eq!(ones, Array2::<f64>::ones(view.raw_dim()));
        assert_eq!(full, Array2::from_elem(view.raw_dim(), 2.5));
        assert_eq!(fk.to_vec(), vec![7, 7, 7]);
        let bits = |m: &Array2<f64>| m.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&copy), bits(&view.to_owned()));
        let want = view.mapv(|x| if x.is_nan() { x } else { x.clamp(-1.0, 1.5) });
        assert_eq!(bits(&clip), bits(&want));
        assert_eq!(c, 2.0);
        let (o2, f2, k2, c2, l2, s2) = likes_copy_clip::interpret(view, k.view()).unwrap();
        assert_eq!((o2, f2, k2, bits(&c2), bits(&l2), s2), (ones, full, fk, bits(&copy), bits(&clip), c));
    }
}
