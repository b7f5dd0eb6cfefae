// Cause: `np.where` does not parse: `where` is a Rust keyword.
// Fix: Write `np.where_(cond, a, b)`.
use rjit::prelude::*;

#[njit]
fn clip(a: &[f64]) -> Array1<f64> {
    np.where(a > 0.5, a, 0.0)
}

fn main() {}
