use rjit::prelude::*;

#[njit]
fn f(a: ArrayView2<f64>) -> usize {
    a.shape().2
}

fn main() {}
