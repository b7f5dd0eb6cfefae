use rjit::prelude::*;

#[njit(paralel)]
fn f(x: f64) -> f64 {
    x
}

fn main() {}
