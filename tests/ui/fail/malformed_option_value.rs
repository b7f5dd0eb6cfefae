// Cause: An option of `#[njit(...)]` has a value of the wrong kind.
// Fix: `boundscheck` takes `true` or `false`; `fastmath` a flag list string; `sig` a signature string or an array of them.
use rjit::prelude::*;

#[njit(boundscheck = 0)]
unsafe fn f(a: &[f64], i: usize) -> f64 {
    a[i]
}

fn main() {}
