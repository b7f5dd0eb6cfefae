// Cause: A `bool` takes part in arithmetic.
// Fix: Convert it: `b as i64` or `b as f64`.
use rjit::prelude::*;

#[njit]
fn f(b: bool) -> f64 {
    b + 1.5
}

fn main() {}
