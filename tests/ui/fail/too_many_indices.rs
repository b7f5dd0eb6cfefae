// Cause: More indices than the array has axes.
// Fix: Use one index per axis; fewer indices give a view.
use rjit::prelude::*;

#[njit]
fn f(a: ArrayView2<f64>) -> f64 {
    a[[0, 1, 2]]
}

fn main() {}
