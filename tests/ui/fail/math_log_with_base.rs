// Cause: `math.log(x, base)`: njit functions take the one-argument form.
// Fix: Divide: `math.log(x) / math.log(base)`.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    math.log(x, 2.0)
}

fn main() {}
