// Cause: Inside a `prange` loop, an outer writable array is passed whole to an njit function that takes it writable: every iteration could write to it at once.
// Fix: Pass the row the iteration owns (`out[i]`), or put the loop in `unsafe { }` if the callee's writes are disjoint.
use rjit::prelude::*;

#[njit]
fn bump(a: &mut [f64], i: usize) {
    a[i] += 1.0;
}

#[njit]
fn peek(a: &[f64], i: usize) -> f64 {
    a[i]
}

#[njit(parallel)]
fn f(out: &mut [f64]) -> f64 {
    let mut s = 0.0;
    for i in prange(out.len()) {
        s += peek(out, i);
        bump(out, i);
    }
    s
}

fn main() {}
