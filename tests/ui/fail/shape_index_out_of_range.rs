// Cause: A 2-D array's shape has two axes: `-3` counts past the first.
// Fix: Index the shape with `-1` or `-2` (or `0`, `1`).
use rjit::prelude::*;

#[njit]
fn f(m: ArrayView2<f64>) -> usize {
    m.shape[-3]
}

fn main() {}
