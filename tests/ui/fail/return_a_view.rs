use rjit::prelude::*;

#[njit]
fn f(a: ArrayView1<f64>) -> ArrayView1<f64> {
    a
}

fn main() {}
