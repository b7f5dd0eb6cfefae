use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) -> f64 {
    let mut x = 0.0;
    x = a;
    x
}

fn main() {}
