// Cause: A struct value is built in an njit body.
// Fix: Pass its fields as separate parameters.
use rjit::prelude::*;

struct P { x: f64 }

#[njit]
fn f(x: f64) -> f64 {
    let p = P { x };
    x
}

fn main() {}
