// Cause: The message of `assert!` is not a string literal.
// Fix: Write the message as a literal: `assert!(x > 0.0, "x must be positive")`.
use rjit::prelude::*;

#[njit]
fn f(x: f64, code: i64) -> f64 {
    assert!(x > 0.0, code);
    x
}

fn main() {}
