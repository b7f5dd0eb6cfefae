// Cause: A reference (`&x`) or dereference (`*x`) in an njit body.
// Fix: Use the value itself; arrays are passed as views without copying.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) -> f64 {
    let b = &a;
    0.0
}

fn main() {}
