// Cause: A `prange` loop writes an outer array at an index the loop variable does not lead, so two iterations may write the same element.
// Fix: Index the write with the loop variable (`out[i]`, `out[i + 1]`), or use `range`.
use rjit::prelude::*;

#[njit(parallel)]
fn f(a: &[f64], out: &mut [f64]) {
    for i in prange(a.len()) {
        out[0] = a[i];
    }
}

fn main() {}
