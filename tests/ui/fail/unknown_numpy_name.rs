// Cause: An `np.` name the DSL does not have.
// Fix: See DSL.md §4 for the supported NumPy names.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    np.frobnicate(x)
}

fn main() {}
