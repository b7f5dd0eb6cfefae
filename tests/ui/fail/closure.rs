// Cause: A closure in an njit body.
// Fix: Write the code inline, or move it into another `#[njit]` function and call that.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    let g = |y: f64| y * 2.0;
    x
}

fn main() {}
