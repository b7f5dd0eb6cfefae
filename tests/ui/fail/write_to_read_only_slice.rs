// Cause: An element of a read-only array is assigned.
// Fix: Take the parameter as writable: `&mut [T]`, `ArrayViewMut1<T>` or `&mut Array1<T>`.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) {
    a[0] = 1.0;
}

fn main() {}
