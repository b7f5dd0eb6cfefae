// Cause: `a.dtype` names a type: it is usable only as a `dtype = …` argument.
// Fix: `np.zeros(n, dtype = a.dtype)`; convert a number with `np.float32(x)` or `x as f32`.
use rjit::prelude::*;

#[njit]
fn f(a: &[f32]) -> f32 {
    let t = a.dtype;
    a[0]
}

fn main() {}
