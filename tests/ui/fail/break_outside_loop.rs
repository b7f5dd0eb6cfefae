// Cause: `break` (or `continue`) outside any loop.
// Fix: Move it into a loop, or use `return`.
use rjit::prelude::*;

#[njit]
fn f(n: i64) -> i64 {
    break;
    n
}

fn main() {}
