// Cause: An array is stored into one element of another array.
// Fix: Store a scalar (`a[0] = b[0]`), or copy element by element in a loop.
use rjit::prelude::*;

#[njit]
fn f(a: &mut [f64], b: &[f64]) {
    a[0] = b;
}

fn main() {}
