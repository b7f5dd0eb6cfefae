use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) -> f64 {
    let b = &a;
    0.0
}

fn main() {}
