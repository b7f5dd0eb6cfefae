// Cause: The loop variable runs over negative values, and a negative index counts from the end: iteration `-1` writes the element iteration `n - 1` writes.
// Fix: Index from zero (`prange(2 * n)` and `out[i]`), or compute the element with `i + n`.
use rjit::prelude::*;

#[njit(parallel)]
fn fill(out: &mut [f64], n: i64) {
    for i in prange(-n, n) {
        out[i] = 1.0;
    }
}

fn main() {}
