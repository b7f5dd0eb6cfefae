// Cause: A const generic parameter.
// Fix: Pass the value as an ordinary parameter.
use rjit::prelude::*;

#[njit]
fn f<const N: usize>(a: &[f64]) -> f64 {
    a[0]
}

fn main() {}
