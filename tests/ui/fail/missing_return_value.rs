// Cause: The body can end without producing the declared return value.
// Fix: End the body with the value, or `return` it on every path.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) -> f64 {
    for i in range(a.len()) {
        print(a[i]);
    }
}

fn main() {}
