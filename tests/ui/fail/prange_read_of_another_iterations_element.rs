// Cause: Each iteration writes its own element `out[i]` but reads `out[i + 1]`, which the next iteration writes: the value read depends on which runs first.
// Fix: Read from an array the loop does not write (a copy made before the loop, or the input), or run the loop with `range`.
use rjit::prelude::*;

#[njit(parallel)]
fn shift(out: &mut [f64]) {
    for i in prange(out.len() - 1) {
        out[i] = out[i + 1];
    }
}

fn main() {}
