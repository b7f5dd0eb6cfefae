use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    helper(x)
}

fn main() {}
