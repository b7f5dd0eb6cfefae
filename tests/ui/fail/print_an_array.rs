// Cause: `print` is given an array.
// Fix: Print elements in a loop, or a reduction such as `a.sum()`.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) {
    print(a);
}

fn main() {}
