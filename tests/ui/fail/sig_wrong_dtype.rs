// Cause: A signature's argument type differs from the Rust parameter's.
// Fix: Make the signature match the Rust types: they decide the element types, the signature adds layouts.
use rjit::prelude::*;

#[njit(sig = ["f64(f64[:])", "f64(f32[:])"])]
fn f(a: &[f64]) -> f64 {
    a.sum()
}

fn main() {}
