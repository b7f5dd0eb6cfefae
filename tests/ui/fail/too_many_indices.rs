use rjit::prelude::*;

#[njit]
fn f(a: ArrayView2<f64>) -> f64 {
    a[[0, 1, 2]]
}

fn main() {}
