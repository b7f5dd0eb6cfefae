// Cause: Inside a `prange` loop, an outer array is passed whole to an njit function whose parameter is `_`: it takes the array writable as it is, and could write it from every iteration at once.
// Fix: Declare the callee's parameter read-only (`ArrayView1<T>`, `&[T]`), pass the row the iteration owns (`out[i]`), or put the loop in `unsafe { }` if the writes are disjoint.
use rjit::prelude::*;

#[njit]
fn poke(a: _, i: usize) {
    a[i] += 1.0;
}

#[njit(parallel)]
fn f(out: &mut [f64]) {
    for i in prange(out.len()) {
        poke(out, 0);
    }
}

fn main() {}
