// Cause: An array is indexed with a float.
// Fix: Index with an integer: `a[i as usize]`.
use rjit::prelude::*;

#[njit]
fn f(a: &[f32]) -> f32 {
    a[1.5]
}

fn main() {}
