// Cause: Unary `-` on an unsigned integer.
// Fix: Use a signed type, or `0 - x` if wrapping is what you want.
use rjit::prelude::*;

#[njit]
fn f(x: u32) -> u32 {
    -x
}

fn main() {}
