// Cause: A type alias gives a scalar's name another meaning where the function is defined: the body would be checked for `f64` while Rust passes `f32`.
// Fix: Write parameter and return types by their real names; do not shadow `f64`, `ArrayView1` and the like.
#![allow(non_camel_case_types)]
use rjit::prelude::*;

type f64 = f32;

#[njit]
fn total(a: &[f64]) -> f64 {
    a.sum()
}

fn main() {}
