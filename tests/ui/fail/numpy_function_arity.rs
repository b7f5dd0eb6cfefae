// Cause: A NumPy function is called with the wrong number of arguments.
// Fix: See DSL.md §4 for its arguments.
use rjit::prelude::*;

#[njit]
fn f(x: f64, y: f64) -> f64 {
    np.sqrt(x, y)
}

fn main() {}
