use rjit::prelude::*;

#[njit]
fn g(a: &[f32]) -> f32 {
    a.sum()
}

#[njit]
fn f(a: &[f64]) -> f32 {
    g(a)
}

fn main() {}
