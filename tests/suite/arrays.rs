//! Arrays of 1 to 4 dimensions, of every element type, in every parameter form and layout,
//! including zero-length axes, compared with ndarray on the same data.

use rjit::ndarray::{s, Array1, Array2, Array3, Array4, ArrayView3, ArrayView4, ArrayViewMut3};
use rjit::num_complex::{Complex32, Complex64};
use rjit::prelude::*;

#[njit]
fn weighted3(a: ArrayView3<f64>) -> f64 {
    let (p, q, r) = a.shape();
    let mut s = 0.0;
    for i in range(p) {
        for j in range(q) {
            for k in range(r) {
                s += a[[i, j, k]] * (i * 100 + j * 10 + k) as f64;
            }
        }
    }
    s
}

#[njit]
fn planes(a: &Array3<i16>) -> (Array1<i64>, i64) {
    let out = np.zeros(a.len(), dtype = np.int64);
    for i in range(a.len()) {
        out[i] = a[i].sum();
    }
    (out, a[(.., 1, ..)].sum())
}

#[njit]
fn bump4(a: &mut Array4<u8>, k: u8) -> usize {
    a += k;
    a.size()
}

#[njit]
fn corner4(a: ArrayView4<f32>) -> f32 {
    a[[-1, -1, -1, -1]] + a[[0, 0, 0, 0]]
}

#[njit]
fn complex_sum(z: &[Complex64], w: ArrayView3<Complex32>) -> (Complex64, Complex32) {
    (z.sum(), w.sum())
}

#[njit]
fn complex_scale(z: &mut [Complex64], k: f64) {
    z *= k;
    z[0] = 1.5;
}

#[njit]
fn fill3(a: ArrayViewMut3<bool>) -> usize {
    a[(.., 0, ..)] = true;
    let mut n = 0;
    for i in range(a.shape().0) {
        for j in range(a.shape().1) {
            for k in range(a.shape().2) {
                if a[[i, j, k]] {
                    n += 1;
                }
            }
        }
    }
    n
}

#[njit]
fn empty_ok(a: ArrayView3<f64>) -> (f64, usize, Array3<f64>) {
    (a.sum(), a.size(), a * 2.0)
}

fn cube() -> Array3<f64> {
    Array3::from_shape_fn((3, 4, 5), |(i, j, k)| ((i * 31 + j * 7 + k * 3) % 11) as f64 - 4.0)
}

#[test]
fn three_dimensional_arrays_in_every_layout() {
    let a = cube();
    let want =
        |v: ArrayView3<f64>| v.indexed_iter().map(|((i, j, k), x)| x * (i * 100 + j * 10 + k) as f64).sum::<f64>();
    assert_eq!(weighted3(a.view()), want(a.view()));
    let f = a.t().to_owned();
    let ft = f.t();
    assert_eq!(weighted3(ft), want(ft), "an F-layout view");
    let st = a.slice(s![..;2, 1.., ..;-2]);
    assert_eq!(weighted3(st), want(st), "strided and reversed");
    let p = Array3::from_shape_fn((2, 3, 4), |(i, j, k)| (i * 12 + j * 4 + k) as i16 - 9);
    let (sums, mid) = planes(&p);
    let want: Vec<i64> = p.outer_iter().map(|m| m.iter().map(|x| i64::from(*x)).sum()).collect();
    assert_eq!(sums, Array1::from(want));
    assert_eq!(mid, p.slice(s![.., 1, ..]).iter().map(|x| i64::from(*x)).sum::<i64>());
}

#[test]
fn four_dimensional_arrays() {
    let mut a = Array4::<u8>::from_shape_fn((2, 3, 2, 2), |(i, j, k, l)| {
        ((i * 60 + j * 20 + k * 5 + l) as u8).wrapping_add(200)
    });
    let want = a.mapv(|x| x.wrapping_add(100));
    assert_eq!(bump4(&mut a, 100), 24);
    assert_eq!(a, want, "u8 arithmetic wraps");
    let f = Array4::<f32>::from_shape_fn((2, 2, 3, 2), |(i, j, k, l)| (i + j * 2 + k * 3 + l * 5) as f32);
    assert_eq!(corner4(f.view()), f[[1, 1, 2, 1]] + f[[0, 0, 0, 0]]);
}

#[test]
fn complex_and_bool_arrays() {
    let z: Vec<Complex64> = (0..5).map(|i| Complex64::new(i as f64, -(i as f64) / 2.0)).collect();
    let w = Array3::from_shape_fn((2, 2, 2), |(i, j, k)| Complex32::new((i + j) as f32, k as f32));
    let (sz, sw) = complex_sum(&z, w.view());
    assert_eq!(sz, z.iter().sum::<Complex64>());
    assert_eq!(sw, w.iter().sum::<Complex32>());
    let mut zz = z.clone();
    complex_scale(&mut zz, 2.0);
    assert_eq!(zz[0], Complex64::new(1.5, 0.0), "a real stored into a complex array converts");
    assert_eq!(zz[1..], z[1..].iter().map(|c| c * 2.0).collect::<Vec<_>>()[..]);
    let mut b = Array3::from_elem((2, 3, 2), false);
    b[[1, 2, 1]] = true;
    assert_eq!(fill3(b.view_mut()), 5);
}

#[test]
fn zero_length_axes() {
    let e = Array3::<f64>::zeros((2, 0, 3));
    let (s, n, twice) = empty_ok(e.view());
    assert_eq!((s, n), (0.0, 0));
    assert_eq!(twice.shape(), &[2, 0, 3]);
    assert_eq!(weighted3(Array3::<f64>::zeros((0, 4, 5)).view()), 0.0);
    assert_eq!(complex_sum::try_call(&[], Array3::zeros((0, 1, 1)).view()).map(|r| r.0), Ok(Complex64::new(0.0, 0.0)));
}

// ---------------------------------------------------------------- returned arrays' memory

#[njit]
fn ramp_f64(n: usize) -> Array2<f64> {
    let out = np.zeros((n, 3));
    for i in range(n) {
        for j in range(3) {
            out[[i, j]] = (i * 3 + j) as f64;
        }
    }
    out
}

#[njit]
fn ramp_kinds(n: usize) -> (Array1<f32>, Array1<i16>, Array1<u8>, Array1<bool>, Array1<Complex64>) {
    let a = np.empty(n, dtype = np.float32);
    let b = np.empty(n, dtype = np.int16);
    let c = np.zeros(n, dtype = np.uint8);
    let d = np.zeros(n, dtype = np.bool_);
    let z = np.zeros(n, dtype = np.complex128);
    for i in range(n) {
        a[i] = i as f32;
        b[i] = (i % 1000) as i16;
        c[i] = (i % 256) as u8;
        d[i] = i % 3 == 0;
        z[i] = i as f64;
    }
    (a, b, c, d, z)
}

/// A view of `a`'s second half: returned as a copy.
#[njit]
fn second_half(a: &[f64]) -> Array1<f64> {
    let h = np.arange(a.len() as f64) + a[0];
    h[a.len() / 2..].copy()
}

#[test]
fn large_returned_arrays_start_on_a_cache_line() {
    // Arrays of 4096 bytes and more start on 64 bytes (a vector loop writing them splits no
    // store), small ones as the allocator places them; every value is where Rust looks for it, and
    // Rust frees each with the layout it was allocated with (valgrind and the memory test see it).
    for n in [1, 5, 170, 171, 1000, 4096, 100_003] {
        let a = ramp_f64(n);
        assert_eq!(a.dim(), (n, 3));
        assert!(a.iter().enumerate().all(|(k, v)| *v == k as f64), "n = {n}");
        if n * 3 * 8 >= 4096 {
            assert_eq!(a.as_ptr() as usize % 64, 0, "n = {n}");
        }
        // Owned and growable as any ndarray array: the padding before the data is part of the Vec.
        let (v, offset) = a.clone().into_raw_vec_and_offset();
        let offset = offset.unwrap_or(0);
        assert_eq!(&v[offset..offset + 3 * n], a.as_slice().expect("C order"));
        let mut b = a.clone();
        b.push_row(rjit::ndarray::ArrayView1::from(&[1.0, 2.0, 3.0])).expect("push a row");
        assert_eq!(b.nrows(), n + 1);
        drop(a);
        drop(b);
    }
    for n in [3, 2048, 2049, 5000, 70_001] {
        let (a, b, c, d, z) = ramp_kinds(n);
        assert!(a.iter().enumerate().all(|(i, v)| *v == i as f32));
        assert!(b.iter().enumerate().all(|(i, v)| *v == (i % 1000) as i16));
        assert!(c.iter().enumerate().all(|(i, v)| *v == (i % 256) as u8));
        assert!(d.iter().enumerate().all(|(i, v)| *v == (i % 3 == 0)));
        assert!(z.iter().enumerate().all(|(i, v)| *v == Complex64::new(i as f64, 0.0)));
        if n * 4 >= 4096 {
            assert_eq!(a.as_ptr() as usize % 64, 0, "f32, n = {n}");
        }
        if n * 2 >= 4096 {
            assert_eq!(b.as_ptr() as usize % 64, 0, "i16, n = {n}");
        }
    }
    let src: Vec<f64> = (0..10_000).map(|i| i as f64).collect();
    let h = second_half(&src);
    assert_eq!(h.len(), 5000);
    assert!(h.iter().enumerate().all(|(i, v)| *v == (i + 5000) as f64));
    assert_eq!(h.as_ptr() as usize % 64, 0);
}
