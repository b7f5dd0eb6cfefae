// Cause: `round(x, ndigits)` is not supported.
// Fix: Scale, round and scale back: `np.round(x * 100.0) / 100.0`.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    round(x, 2)
}

fn main() {}
