// Cause: A scalar is indexed.
// Fix: Index an array; a scalar has no elements.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    x[0]
}

fn main() {}
