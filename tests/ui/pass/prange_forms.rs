//! Race-free `prange` forms, and a racy loop the user vouches for with `unsafe { }`.
use rjit::prelude::*;

#[njit(parallel)]
fn rows(m: ArrayViewMut2<f64>, out: &mut [f64]) -> f64 {
    let mut total = 0.0;
    for i in prange(out.len()) {
        let row = m[i];
        row *= 2.0;
        out[i] = row.sum();
        total += out[i] * 0.0 + 1.0;
    }
    total
}

#[njit(parallel)]
fn last_positive(a: &[f64]) -> f64 {
    let mut last = 0.0;
    unsafe {
        for i in prange(a.len()) {
            if a[i] > 0.0 {
                last = a[i];
            }
        }
    }
    last
}

fn main() {
    let mut m = rjit::ndarray::Array2::<f64>::ones((3, 2));
    let mut out = vec![0.0; 3];
    assert_eq!(rows(m.view_mut(), &mut out), 3.0);
    assert_eq!(out, vec![4.0, 4.0, 4.0]);
    assert_eq!(last_positive(&[-1.0, 5.0, -2.0]), 5.0);
}
