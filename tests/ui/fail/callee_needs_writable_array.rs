// Cause: A read-only array is passed where the callee wants a writable one.
// Fix: Take the caller's parameter as writable too (`&mut [T]`, `ArrayViewMut1<T>`), or make the callee's parameter read-only.
use rjit::prelude::*;

#[njit]
fn fill(a: &mut [f64], x: f64) {
    a[0] = x;
}

#[njit]
fn f(a: &[f64]) {
    fill(a, 1.0);
}

fn main() {}
