// Cause: `-x ** 2` in Python is `-(x ** 2)`; Rust's grammar reads it as `(-x) ** 2`.
// Fix: Write `-(x ** 2)`.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    -x ** 2
}

fn main() {}
