// Cause: A module-level constant named in the body must be a scalar: its value is frozen into the code.
// Fix: Pass arrays and other values as parameters.
use rjit::prelude::*;

const WEIGHTS: [f64; 3] = [0.25, 0.5, 0.25];

#[njit]
fn f(x: f64) -> f64 {
    x * WEIGHTS[0]
}

fn main() {}
