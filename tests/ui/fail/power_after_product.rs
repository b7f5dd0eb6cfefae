// Cause: `2.0 * b ** 2` in Python squares `b`; Rust's grammar reads it as `(2.0 * b) ** 2`.
// Fix: Parenthesize the power as Python means it: `2.0 * (b ** 2)`.
use rjit::prelude::*;

#[njit]
fn f(b: f64) -> f64 {
    2.0 * b ** 2
}

fn main() {}
