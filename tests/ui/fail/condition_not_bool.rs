// Cause: An `if` or `while` condition is not a `bool`.
// Fix: Compare explicitly: `while x != 0.0`.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    while x {
        return 1.0;
    }
    0.0
}

fn main() {}
