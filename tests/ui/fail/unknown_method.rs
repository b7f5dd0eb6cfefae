use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) -> f64 {
    a.median()
}

fn main() {}
