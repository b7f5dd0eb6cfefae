use rjit::prelude::*;

#[njit]
fn f(a: Array1<f64>) -> f64 {
    a.sum()
}

fn main() {}
