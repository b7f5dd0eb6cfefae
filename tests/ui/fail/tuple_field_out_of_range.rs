// Cause: A tuple field past its end (`t.2` on a pair).
// Fix: Tuple fields count from 0: a pair has `.0` and `.1`.
use rjit::prelude::*;

#[njit]
fn f(a: ArrayView2<f64>) -> usize {
    a.shape().2
}

fn main() {}
