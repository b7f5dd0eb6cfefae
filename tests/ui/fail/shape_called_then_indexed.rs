// Cause: A shape is a tuple; it is indexed with a literal, not a computed axis.
// Fix: Write `a.shape[0]` (or `a.shape().0`), one axis at a time.
use rjit::prelude::*;

#[njit]
fn f(a: rjit::ndarray::ArrayView2<f64>, k: usize) -> usize {
    a.shape[k]
}

fn main() {}
