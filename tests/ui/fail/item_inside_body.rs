// Cause: A `fn`, `struct` or other item declared inside an njit body.
// Fix: Declare it outside; another `#[njit]` function can be called by name.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    fn helper(y: f64) -> f64 { y }
    x
}

fn main() {}
