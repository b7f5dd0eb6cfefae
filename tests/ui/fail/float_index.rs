use rjit::prelude::*;

#[njit]
fn f(a: &[f32]) -> f32 {
    a[1.5]
}

fn main() {}
