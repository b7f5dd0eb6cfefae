// Cause: An outer variable is assigned in every iteration of a `prange` loop: iterations running at once race on it.
// Fix: Accumulate with a reduction (`s += …`, `s = s.max(…)`), or write `out[i] = …` indexed by the loop variable.
use rjit::prelude::*;

#[njit(parallel)]
fn f(a: &[f64]) -> f64 {
    let mut last = 0.0;
    for i in prange(a.len()) {
        last = a[i];
    }
    last
}

fn main() {}

#[njit(parallel)]
fn g(a: &[f64]) -> f64 {
    let mut last = 0.0;
    for i in prange(a.len()) {
        if a[i] > 0.0 {
            last = a[i];
        }
    }
    last
}
