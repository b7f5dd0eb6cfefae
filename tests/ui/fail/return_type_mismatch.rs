// Cause: The returned value's type is not the declared return type.
// Fix: Convert explicitly (`(x * 2.0) as u64`), or change the declared type.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> u64 {
    x * 2.0
}

fn main() {}
