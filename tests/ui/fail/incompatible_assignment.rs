// Cause: A variable is assigned values of incompatible kinds (a scalar, then an array).
// Fix: Use two variables, or shadow with a new `let`.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) -> f64 {
    let mut x = 0.0;
    x = a;
    x
}

fn main() {}
