// Cause: Every iteration of the `prange` loop shuffles the same array: a data race.
// Fix: Shuffle before or after the loop, or shuffle a row per iteration (`np.random.shuffle(m[(i, ..)])`).
use rjit::prelude::*;

#[njit(parallel)]
fn f(mut a: ArrayViewMut1<f64>, n: usize) {
    for _i in prange(n) {
        np.random.shuffle(a);
    }
}

fn main() {}
