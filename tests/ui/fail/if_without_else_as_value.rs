// Cause: An `if` without `else` is used as a value.
// Fix: Add an `else` branch with a value of the same type.
use rjit::prelude::*;

#[njit]
fn f(c: bool) -> f64 {
    if c { 1.0 }
}

fn main() {}
