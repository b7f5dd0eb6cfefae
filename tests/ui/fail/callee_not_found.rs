// Cause: A called function is not an njit function in scope.
// Fix: Call a function declared with `#[njit]`, by a name or path in scope; other Rust functions cannot be called from njit code.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    helper(x)
}

fn main() {}
