use rjit::prelude::*;

#[njit(boundscheck = false)]
unsafe fn at(a: &[f64], i: usize) -> f64 {
    a[i]
}

/// The caller vouches for the index with `unsafe { }`, as in Rust.
#[njit]
fn first(a: &[f64]) -> f64 {
    if a.len() == 0 {
        return 0.0;
    }
    unsafe { at(a, 0) }
}

/// An `unsafe fn` body is an unsafe context.
#[njit]
unsafe fn second(a: &[f64]) -> f64 {
    at(a, 1)
}

fn main() {
    let v = [1.5, 2.5];
    assert_eq!(first(&v), 1.5);
    assert_eq!(unsafe { second(&v) }, 2.5);
}
