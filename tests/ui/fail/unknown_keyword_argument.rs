// Cause: A NumPy function gets a keyword argument it does not take.
// Fix: Array creators take `dtype = …` only.
use rjit::prelude::*;

#[njit]
fn f(n: usize) -> Array1<f64> {
    np.zeros(n, order = 1)
}

fn main() {}
