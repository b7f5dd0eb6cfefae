use rjit::prelude::*;

#[njit]
fn f(h: ArrayView1<f32>) {
    h /= 2.0;
}

fn main() {}
