use rjit::prelude::*;

#[njit]
fn f(a: &mut [f32], x: f64) {
    a[0] = x;
}

fn main() {}
