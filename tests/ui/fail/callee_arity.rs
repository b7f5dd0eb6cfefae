// Cause: An njit function is called with the wrong number of arguments.
// Fix: Pass exactly the arguments its signature lists.
use rjit::prelude::*;

#[njit]
fn g(a: f64, b: f64) -> f64 {
    a * b
}

#[njit]
fn f(x: f64) -> f64 {
    g(x)
}

fn main() {}
