// Cause: A range bound is a float.
// Fix: Use integers: `range(n as i64)`.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> i64 {
    let mut n = 0;
    for i in range(x) {
        n += 1;
    }
    n
}

fn main() {}
