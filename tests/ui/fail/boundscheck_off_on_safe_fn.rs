// Cause: `boundscheck = false` on a function that is not `unsafe`.
// Fix: Declare it `unsafe fn`: without index checks, an out-of-bounds index is undefined behaviour, and its callers must promise valid indices.
use rjit::prelude::*;

#[njit(boundscheck = false)]
fn f(a: &[f64], i: usize) -> f64 {
    a[i]
}

fn main() {}
