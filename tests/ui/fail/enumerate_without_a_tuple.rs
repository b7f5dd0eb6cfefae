// Cause: `enumerate(a)` gives an index and an element at a time; one name cannot hold both.
// Fix: Name both in a tuple: `for (i, x) in enumerate(a)`.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) -> f64 {
    let mut s = 0.0;
    for pair in enumerate(a) {
        s += 1.0;
    }
    s
}

fn main() {}
