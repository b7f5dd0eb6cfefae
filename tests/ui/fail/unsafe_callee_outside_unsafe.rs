// Cause: A safe njit function calls an `unsafe fn` njit function (here one with `boundscheck = false`) outside an `unsafe { }` block: the callee's promise about valid indices would go unchecked.
// Fix: Wrap the call in `unsafe { }` where you can vouch for its arguments, as in Rust.
use rjit::prelude::*;

#[njit(boundscheck = false)]
unsafe fn at(a: &[f64], i: usize) -> f64 {
    a[i]
}

#[njit]
fn last(a: &[f64]) -> f64 {
    at(a, a.len())
}

fn main() {}
