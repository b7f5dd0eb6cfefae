use rjit::prelude::*;

#[njit]
fn fill(a: &mut [f64], x: f64) {
    a[0] = x;
}

#[njit]
fn f(a: &[f64]) {
    fill(a, 1.0);
}

fn main() {}
