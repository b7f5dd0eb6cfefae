use rjit::prelude::*;

#[njit]
fn f(v: Vec<f64>) -> f64 {
    v[0]
}

fn main() {}
