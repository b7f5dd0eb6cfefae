//! Generic and inferred signatures, and calls between them.
use rjit::prelude::*;

#[njit]
fn norm2<T: Float>(a: &[T]) -> T {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += a[i] * a[i];
    }
    s.sqrt()
}

#[njit]
fn twice(x: _) -> _ {
    x * 2
}

#[njit]
fn uses_both(a: &[f32], n: i32) -> f32 {
    norm2(a) * twice(n) as f32
}

fn main() {
    assert_eq!(norm2(&[3.0f64, 4.0]), 5.0);
    let t: i64 = twice(21i64);
    assert_eq!(t, 42);
    assert_eq!(uses_both(&[3.0, 4.0], 2), 20.0);
}
