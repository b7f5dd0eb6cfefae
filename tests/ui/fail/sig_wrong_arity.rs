// Cause: A signature lists a different number of arguments than the function takes.
// Fix: List one type per parameter.
use rjit::prelude::*;

#[njit(sig = "f64(f64[:])")]
fn f(a: &[f64], k: f64) -> f64 {
    a.sum() * k
}

fn main() {}
