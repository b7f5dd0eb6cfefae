// Cause: Every iteration of the `prange` loop sorts the same array: a data race.
// Fix: Sort once after the loop, or sort a row per iteration (`m[(i, ..)].sort()`).
use rjit::prelude::*;

#[njit(parallel)]
fn f(mut a: ArrayViewMut1<f64>, n: usize) {
    for i in prange(n) {
        a[i] = 0.0;
        a.sort();
    }
}

fn main() {}
