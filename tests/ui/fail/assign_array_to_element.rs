use rjit::prelude::*;

#[njit]
fn f(a: &mut [f64], b: &[f64]) {
    a[0] = b;
}

fn main() {}
