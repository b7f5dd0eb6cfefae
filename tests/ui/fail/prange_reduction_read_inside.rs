// Cause: A reduction variable is read inside the `prange` loop, where each iteration sees only a partial total.
// Fix: Read it after the loop.
use rjit::prelude::*;

#[njit(parallel)]
fn f(a: &[f64], out: &mut [f64]) -> f64 {
    let mut s = 0.0;
    for i in prange(a.len()) {
        s += a[i];
        out[i] = s;
    }
    s
}

fn main() {}
