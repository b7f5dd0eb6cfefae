//! Hostile inputs at the boundary: empty arrays, zero-stride (broadcast) and negative-stride views,
//! shapes whose element or byte count overflows, NaN and infinities, and the extreme integers.
//! Each call must give the result NumPy or Rust gives on the same data, or a clear error — never
//! a crash, a hang or a silently wrong value. Every kernel is also run under `RJIT_DIFFERENTIAL=1`
//! by `scripts/differential.sh`.

use rjit::ndarray::{arr0, s, Array1, Array2, ArrayView1, ArrayView2, Axis};
use rjit::prelude::*;
use rjit::Error;

mod numbers;

// ---------------------------------------------------------------- kernels

#[njit]
fn reductions(a: ArrayView1<f64>) -> (f64, f64, f64, usize) {
    (a.sum(), a.prod(), a.mean(), a.len())
}

#[njit]
fn reductions_2d(a: ArrayView2<f64>) -> (f64, f64, usize, usize) {
    let (r, c) = a.shape();
    (a.sum(), (a * 2.0).sum(), r, c)
}

#[njit]
fn extremes(a: ArrayView1<f64>) -> (f64, f64, usize, usize) {
    (a.min(), a.max(), a.argmin(), a.argmax())
}

#[njit]
fn int_extremes(a: &[i64]) -> (i64, i64, i64, usize, usize) {
    (a.min(), a.max(), a.sum(), a.argmin(), a.argmax())
}

#[njit]
fn elementwise(a: ArrayView2<f64>, b: ArrayView1<f64>) -> Array2<f64> {
    a * 2.0 + b
}

#[njit]
fn first(a: ArrayView1<f64>) -> f64 {
    a[0]
}

#[njit]
fn loop_sum(a: ArrayView2<f64>) -> f64 {
    let (r, c) = a.shape();
    let mut s = 0.0;
    for i in range(r) {
        for j in range(c) {
            s += a[[i, j]] * (i + 2 * j + 1) as f64;
        }
    }
    s
}

#[njit]
fn rows_and_copies(a: ArrayView2<f64>) -> (Array2<f64>, Array2<f64>, f64) {
    let mut s = 0.0;
    for row in a {
        s += row.sum();
    }
    (a.copy(), a.t().copy(), s)
}

#[njit]
fn add_into(out: ArrayViewMut2<f64>, b: ArrayView2<f64>) {
    out += b;
}

#[njit]
fn dots(a: ArrayView1<f64>, m: ArrayView2<f64>) -> (f64, Array1<f64>) {
    (np.dot(a, a), m.dot(a))
}

#[njit]
fn cumulative(a: ArrayView1<i64>) -> Array1<i64> {
    np.cumsum(a)
}

#[njit]
fn zeros2(r: usize, c: usize) -> Array2<f64> {
    np.zeros((r, c))
}

#[njit]
fn zeros_signed(r: i64, c: i64) -> Array2<u8> {
    np.zeros((r, c), dtype = np.uint8)
}

#[njit]
fn zeros_like_wide(a: ArrayView2<f64>, k: usize) -> Array2<f64> {
    np.zeros((a.shape().1, k))
}

#[njit]
fn aranged(lo: f64, hi: f64, step: f64) -> usize {
    np.arange(lo, hi, step).len()
}

#[njit]
fn int_aranged(lo: i64, hi: i64, step: i64) -> usize {
    np.arange(lo, hi, step).len()
}

#[njit]
fn spaced(n: usize) -> usize {
    np.linspace(0.0, 1.0, n).len()
}

#[njit]
fn spaced_signed(n: i64) -> usize {
    np.linspace(0.0, 1.0, n).len()
}

#[njit]
fn randoms(n: usize) -> usize {
    np.random.random(n).len()
}

#[njit]
fn to_u64(x: f64) -> (u64, usize, u64) {
    (x as u64, x as usize, (x as f32) as u64)
}

#[njit]
fn casts(x: f64) -> (i64, u8, usize, i32, u64) {
    (x as i64, x as u8, x as usize, x as i32, x as u64)
}

#[njit]
fn float_math(x: f64) -> (f64, f64, f64, f64, f64, f64, bool) {
    (np.round(x), np.floor(x), x % 2.0, np.sqrt(x), x.min(1.0), np.minimum(x, 1.0), x > 0.0)
}

#[njit]
fn masked_histogram(x: &[f64], bins: usize) -> Array1<i64> {
    let hist = np.zeros(bins, dtype = np.int64);
    for i in range(x.len()) {
        let b = (x[i] * bins as f64) as usize;
        hist[b.min(bins - 1)] += 1;
    }
    hist
}

#[njit]
fn int_ops(a: i64, b: i64) -> (i64, i64, i64, i64, i64) {
    (a.abs(), -a, a + b, a * b, a << b)
}

#[njit]
fn int_div(a: i64, b: i64) -> (i64, i64) {
    (a / b, a % b)
}

#[njit]
fn narrow_div(a: i8, b: i8) -> i8 {
    a / b
}

#[njit]
fn count_range(start: i64, stop: i64, step: i64) -> i64 {
    let mut c = 0;
    let mut last = 0;
    for i in range(start, stop, step) {
        c += 1;
        last = i;
        if c == 5 {
            break;
        }
    }
    c * 1000 + last % 1000
}

#[njit]
fn count_urange(stop: usize) -> usize {
    let mut c = 0;
    for i in range(stop) {
        if i == 3 {
            break;
        }
        c += 1;
    }
    c
}

#[njit(parallel)]
fn count_prange(start: i64, stop: i64, step: i64) -> i64 {
    let mut c = 0;
    for i in prange(start, stop, step) {
        c += i % 7 + 1;
    }
    c
}

#[njit]
fn at_signed(a: &[f64], i: i64) -> f64 {
    a[i]
}

#[njit]
fn at_unsigned(a: &[f64], i: u64) -> f64 {
    a[i]
}

#[njit]
fn slice_sum(a: &[f64], lo: i64, hi: i64) -> (f64, usize) {
    let v = a[lo..hi];
    (v.sum(), v.len())
}

#[njit]
fn int_power(a: i64, b: i64) -> i64 {
    np.power(a, b)
}

#[njit]
fn randint(lo: i64, hi: i64) -> i64 {
    np.random.randint(lo, hi)
}

#[njit(parallel)]
fn par_sum(a: ArrayView1<f64>) -> (f64, f64) {
    let mut s = 0.0;
    for i in prange(a.len()) {
        s += a[i];
    }
    (s, (a * 1.0).sum())
}

#[njit(parallel)]
fn par_extremes(a: &[f64]) -> (f64, f64, f64, f64) {
    let mut lo = np.inf;
    let mut hi = -np.inf;
    let mut np_lo = np.inf;
    let mut np_hi = -np.inf;
    for i in prange(a.len()) {
        lo = lo.min(a[i]);
        hi = hi.max(a[i]);
        np_lo = np.minimum(np_lo, a[i]);
        np_hi = np.maximum(np_hi, a[i]);
    }
    (lo, hi, np_lo, np_hi)
}

#[njit]
fn running_extremes(a: &[f64], start: f64) -> (f64, f64, f64, f64) {
    // `m` and `n` are never NaN (literals and Rust's `max`/`min` of themselves); `p` and `q` may be.
    let mut m = 0.0;
    let mut n = 1.0;
    let mut p = start;
    let mut q = start;
    for i in range(a.len()) {
        m = m.max(a[i]);
        n = a[i].min(n);
        p = p.max(a[i]);
        q = a[i].min(q);
    }
    (m, n, p, q)
}

#[njit]
fn stencil(a: &[f64], out: &mut [f64], lo: usize, hi: usize) {
    for j in range(lo, hi) {
        out[j] = a[j - 1] + 2.0 * a[j] + a[j + 1];
    }
}

#[njit]
fn shifted_sum(a: &[f64], lo: i64, hi: i64, k: i64) -> f64 {
    let mut s = 0.0;
    for j in range(lo, hi) {
        s += a[j + k] * (j as f64);
    }
    s
}

#[njit]
fn narrow_index(a: &[f64], lo: i8, hi: i8) -> f64 {
    let mut s = 0.0;
    for j in range(lo, hi) {
        s += a[j + 100];
    }
    s
}

/// Counts `x`'s values into `hist`, the bin clamped from above by `cap - 1` (as `b.min(…)` when
/// `flip` is false, `(…).min(b)` when true): checked once before the loop when `cap <= hist.len()`.
#[njit]
fn clamped_counts(x: &[f64], hist: &mut [i64], cap: usize, flip: bool) {
    for i in range(x.len()) {
        let b = (x[i] * 10.0) as usize;
        if flip {
            hist[(cap - 1).min(b)] += 1;
        } else {
            hist[b.min(cap - 1)] += 1;
        }
    }
}

/// The same with a signed bin: a negative one counts from the end, so nothing moves out.
#[njit]
fn clamped_signed(x: &[f64], hist: &mut [i64], cap: i64) {
    for i in range(x.len()) {
        let b = (x[i] * 10.0) as i64;
        hist[b.min(cap - 1)] += 1;
    }
}

// ---------------------------------------------------------------- helpers

fn same(x: f64, y: f64) -> bool {
    x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
}

fn is_alloc_error<T: std::fmt::Debug>(r: Result<T, Error>) -> bool {
    matches!(r, Err(Error::AllocationFailed { .. }))
}

// ---------------------------------------------------------------- empty arrays

#[test]
fn empty_arrays() {
    let e = Array1::<f64>::zeros(0);
    let (s, p, m, n) = reductions(e.view());
    assert_eq!((s, p, n), (0.0, 1.0, 0));
    assert!(m.is_nan(), "the mean of nothing is NaN, as in NumPy");
    assert!(matches!(extremes::try_call(e.view()), Err(Error::EmptyReduction { .. })));
    assert!(matches!(int_extremes::try_call(&[]), Err(Error::EmptyReduction { .. })));
    assert!(matches!(first::try_call(e.view()), Err(Error::IndexOutOfBounds { index: 0, size: 0, .. })));
    assert_eq!(dots(e.view(), Array2::zeros((3, 0)).view()), (0.0, Array1::zeros(3)));
    assert_eq!(cumulative(Array1::zeros(0).view()).len(), 0);
    assert_eq!(slice_sum(&[], 0, 5), (0.0, 0));
    assert_eq!(par_sum(e.view()), (0.0, 0.0));
    for shape in [(0, 0), (0, 5), (5, 0)] {
        let a = Array2::<f64>::zeros(shape);
        assert_eq!(reductions_2d(a.view()), (0.0, 0.0, shape.0, shape.1));
        assert_eq!(loop_sum(a.view()), 0.0);
        let (c, t, s) = rows_and_copies(a.view());
        assert_eq!((c.dim(), t.dim(), s), (shape, (shape.1, shape.0), 0.0));
        let mut out = Array2::<f64>::zeros(shape);
        add_into(out.view_mut(), a.view());
        assert_eq!(elementwise(a.view(), Array1::zeros(shape.1).view()).dim(), shape);
    }
    // (0, 3) with (3,) broadcasts to (0, 3); (0, 3) with (2,) does not.
    assert!(matches!(
        elementwise::try_call(Array2::zeros((0, 3)).view(), Array1::zeros(2).view()),
        Err(Error::ShapeMismatch { .. })
    ));
    // An empty axis beside a very long one: nothing is read, nothing allocated.
    let wide = Array2::<f64>::zeros((0, 1 << 40));
    assert_eq!(reductions_2d(wide.view()), (0.0, 0.0, 0, 1 << 40));
    assert_eq!(rows_and_copies(wide.view()).1.dim(), (1 << 40, 0));
    // … but an array of 2^40 × 2^40 elements cannot exist.
    assert!(is_alloc_error(zeros_like_wide::try_call(wide.view(), 1 << 40)));
}

// ---------------------------------------------------------------- checks moved before a loop

#[test]
fn loops_whose_index_checks_move_before_them() {
    // These loops run without per-element checks when a test before the loop proves every index
    // in bounds, and with them otherwise: the results and errors are the same either way.
    let a: Vec<f64> = (0..10).map(|i| (i * i) as f64).collect();
    let mut out = vec![0.0; 10];
    stencil(&a, &mut out, 1, 9);
    let want: Vec<f64> =
        (0..10).map(|j| if (1..9).contains(&j) { a[j - 1] + 2.0 * a[j] + a[j + 1] } else { 0.0 }).collect();
    assert_eq!(out, want);
    // One index too far: the error names the first bad index, and the iterations before it ran.
    let mut out = vec![0.0; 10];
    match stencil::try_call(&a, &mut out, 5, 10) {
        Err(Error::IndexOutOfBounds { index: 10, size: 10, .. }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(&out[5..9], &want[5..9], "iterations before the failing one were done");
    assert_eq!(out[9], 0.0);
    // `j - 1` at `j == 0` wraps below zero (usize) and is out of bounds, never read from the end.
    assert!(matches!(stencil::try_call(&a, &mut [0.0; 10], 0, 3), Err(Error::IndexOutOfBounds { .. })));
    // Empty ranges check nothing.
    stencil(&a, &mut [0.0; 10], 7, 3);
    // Signed indices below zero count from the end (the checked copy runs).
    let plain =
        |lo: i64, hi: i64, k: i64| -> f64 { (lo..hi).map(|j| a[(j + k).rem_euclid(10) as usize] * j as f64).sum() };
    assert_eq!(shifted_sum(&a, 0, 10, 0), plain(0, 10, 0));
    assert_eq!(shifted_sum(&a, -5, 5, 0), plain(-5, 5, 0));
    assert_eq!(shifted_sum(&a, 0, 5, -5), plain(0, 5, -5));
    assert_eq!(shifted_sum(&a, 2, 7, 3), plain(2, 7, 3));
    assert!(matches!(shifted_sum::try_call(&a, 0, 8, 3), Err(Error::IndexOutOfBounds { index: 10, .. })));
    assert!(matches!(shifted_sum::try_call(&a, -20, 0, 0), Err(Error::IndexOutOfBounds { index: -20, .. })));
    assert!(matches!(shifted_sum::try_call(&a, i64::MAX - 3, i64::MAX, 5), Err(Error::IndexOutOfBounds { .. })));
    // An index whose own type would wrap (`i8` arithmetic): `j + 100` wraps past 127 to negative.
    let big: Vec<f64> = (0..300).map(|i| i as f64).collect();
    assert_eq!(narrow_index(&big, 0, 20), (100..120).sum::<i32>() as f64);
    let wrapped: f64 = (0i8..40)
        .map(|j| {
            let ix = j.wrapping_add(100);
            big[if ix < 0 { (300 + ix as i32) as usize } else { ix as usize }]
        })
        .sum();
    assert_eq!(narrow_index(&big, 0, 40), wrapped);
}

#[test]
fn clamped_indices_checked_once() {
    let x: Vec<f64> = (0..200).map(|i| ((i * 37) % 200) as f64 / 13.0 - 1.5).collect();
    let plain = |len: usize, cap: usize| -> Vec<i64> {
        let mut h = vec![0; len];
        for v in &x {
            h[((v * 10.0) as usize).min(cap - 1)] += 1;
        }
        h
    };
    for flip in [false, true] {
        for len in [1, 7, 16] {
            let mut h = vec![0; len];
            clamped_counts(&x, &mut h, len, flip);
            assert_eq!(h, plain(len, len), "len {len}, flip {flip}");
        }
        // The loop is unrolled 8 times (`loop_facts::scatters`): every remainder of the unrolled body.
        for n in (0..=17).chain([63, 199]) {
            let mut h = vec![0; 16];
            clamped_counts(&x[..n], &mut h, 16, flip);
            let mut want = vec![0; 16];
            for v in &x[..n] {
                want[((v * 10.0) as usize).min(15)] += 1;
            }
            assert_eq!(h, want, "n {n}, flip {flip}");
        }
        // A cap past the end: the first value to reach it fails, with the counts before it made.
        let mut h = vec![0; 7];
        let first = x.iter().position(|v| (v * 10.0) as usize >= 7).expect("a large value");
        match clamped_counts::try_call(&x, &mut h, 8, flip) {
            Err(Error::IndexOutOfBounds { index: 7, size: 7, .. }) => {}
            other => panic!("{other:?}"),
        }
        let mut want = vec![0; 7];
        for v in &x[..first] {
            want[(v * 10.0) as usize] += 1;
        }
        assert_eq!(h, want, "iterations before the failing one were done");

        // `cap - 1` wraps at 0: the clamp is `usize::MAX`, every bin is checked as it comes.
        let small: Vec<f64> = x.iter().map(|v| v.abs() / 100.0).collect();
        let mut h = vec![0; 3];
        clamped_counts(&small, &mut h, 0, flip);
        assert_eq!(h.iter().sum::<i64>(), small.len() as i64);
        assert!(matches!(
            clamped_counts::try_call(&x, &mut [0; 3], 0, flip),
            Err(Error::IndexOutOfBounds { size: 3, .. })
        ));
        // Empty input checks nothing, even with a cap the array cannot hold.
        clamped_counts(&[], &mut [], 5, flip);
    }
    // Signed: negative bins (here down to -7) count from the end.
    let xs: Vec<f64> = x.iter().map(|v| v.max(-0.7)).collect();
    let mut h = vec![0i64; 8];
    clamped_signed(&xs, &mut h, 8);
    let mut want = vec![0i64; 8];
    for v in &xs {
        let b = ((v * 10.0) as i64).min(7);
        want[b.rem_euclid(8) as usize] += 1;
    }
    assert_eq!(h, want);
}

// ---------------------------------------------------------------- zero strides

#[test]
fn zero_stride_views() {
    // A 1-D view of one value, repeated: every element is the same memory.
    let one = arr0(2.5);
    let rep = one.broadcast(7).unwrap();
    assert_eq!(rep.strides(), &[0]);
    let (s, p, m, n) = reductions(rep.view());
    assert_eq!((s, p, m, n), (17.5, 2.5f64.powi(7), 2.5, 7));
    assert_eq!(extremes(rep.view()), (2.5, 2.5, 0, 0));
    assert_eq!(first(rep.view()), 2.5);
    assert_eq!(par_sum(rep.view()), (17.5, 17.5));

    // A row broadcast down 4 rows (stride 0 on axis 0), and a column across 3 columns.
    let row = Array1::from(vec![1.0, 2.0, 3.0]);
    let rows = row.broadcast((4, 3)).unwrap();
    let col = Array2::from_shape_vec((4, 1), vec![1.0, -1.0, 0.5, 2.0]).unwrap();
    let cols = col.broadcast((4, 3)).unwrap();
    for b in [rows.view(), cols.view()] {
        let dense = b.to_owned();
        assert_eq!(reductions_2d(b), reductions_2d(dense.view()));
        assert_eq!(loop_sum(b), loop_sum(dense.view()));
        let (c, t, s) = rows_and_copies(b);
        assert_eq!((c, t), (dense.clone(), dense.t().to_owned()));
        assert_eq!(s, dense.sum());
        assert_eq!(elementwise(b, row.view()), &dense * 2.0 + &row);
        let mut out = Array2::from_elem((4, 3), 1.0);
        add_into(out.view_mut(), b);
        assert_eq!(out, &dense + 1.0);
        assert_eq!(dots(row.view(), b).1, dense.dot(&row));
    }
    // A 2-D view with both strides zero.
    let all = one.broadcast((3, 5)).unwrap();
    assert_eq!(reductions_2d(all.view()), (37.5, 75.0, 3, 5));
}

// ---------------------------------------------------------------- negative strides

#[test]
fn negative_stride_views() {
    let a = Array1::from_shape_fn(9, |i| (i as f64 - 4.0) * 1.5);
    let rev = a.slice(s![..;-1]);
    let rev2 = a.slice(s![..;-2]);
    for v in [rev, rev2] {
        let dense = v.to_owned();
        let (s, p, _, n) = reductions(v);
        assert_eq!((s, p, n), (dense.sum(), dense.product(), dense.len()));
        let want_argmin = dense.iter().enumerate().fold(0, |k, (i, x)| if *x < dense[k] { i } else { k });
        assert_eq!(extremes(v).2, want_argmin);
        assert_eq!(first(v), dense[0]);
        assert_eq!(
            dots(v, Array2::from_elem((2, v.len()), 1.0).view()),
            (dense.dot(&dense), Array1::from_elem(2, dense.sum()))
        );
        assert_eq!(par_sum(v).0, dense.sum());
    }
    assert_eq!(at_signed(&[1.0, 2.0, 3.0], -1), 3.0);

    let m = Array2::from_shape_fn((4, 5), |(i, j)| (i * 5 + j) as f64);
    let mut both = m.clone();
    both.invert_axis(Axis(0));
    both.invert_axis(Axis(1));
    for v in [m.slice(s![..;-1, ..]), m.slice(s![.., ..;-1]), both.view(), m.slice(s![..;-1, ..]).reversed_axes()] {
        let dense = v.to_owned();
        assert_eq!(loop_sum(v), loop_sum(dense.view()));
        let (c, t, _) = rows_and_copies(v);
        assert_eq!((c, t), (dense.clone(), dense.t().to_owned()));
        let b = Array1::from_elem(v.ncols(), 0.5);
        assert_eq!(elementwise(v, b.view()), &dense * 2.0 + &b);
    }
    // Writing through a reversed view reaches the right elements.
    let mut out = Array2::<f64>::zeros((4, 5));
    add_into(out.slice_mut(s![..;-1, ..]), m.view());
    assert_eq!(out, m.slice(s![..;-1, ..]));
}
