// Cause: `break` or `return` inside a `prange` loop, whose iterations run in no particular order.
// Fix: Use `range` to stop early.
use rjit::prelude::*;

#[njit(parallel)]
fn f(a: &[f64]) -> i64 {
    for i in prange(a.len()) {
        if a[i] < 0.0 {
            break;
        }
    }
    0
}

fn main() {}
