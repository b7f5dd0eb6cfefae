// Cause: `m` is a view of `a`: iteration `i` writes `a[2 * i]` through it and reads `a[2 * i + 2]`, which iteration `i + 1` writes.
// Fix: Read and write each element through one name, each iteration its own.
use rjit::prelude::*;

#[njit(parallel)]
fn f(mut a: ArrayViewMut1<f64>, n: usize) {
    let m = a.reshape((n, 2));
    for i in prange(n - 1) {
        m[[i, 0]] = a[2 * i + 2];
    }
}

fn main() {}
